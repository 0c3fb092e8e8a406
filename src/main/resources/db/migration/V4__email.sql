-- Email state: the case number each email-born message got (threading of replies), and the
-- acknowledgements sent (one per message; the per-sender rate limit counts them).
create table email_case (
    case_number      varchar(32)  primary key,
    message_id       varchar(64)  not null,   -- the canonical message the case is
    message_type     varchar(32)  not null,
    mail_message_id  varchar(512),            -- the customer's Message-ID
    ack_message_id   varchar(512),            -- the Message-ID of the hub's acknowledgement
    sender           varchar(320),
    created_at       timestamp with time zone not null,
    constraint uq_email_case_message unique (message_id)
);
create index ix_email_case_mail on email_case (mail_message_id);
create index ix_email_case_ack on email_case (ack_message_id);

create table email_reply (
    message_id        varchar(64)  primary key,   -- the canonical message acknowledged
    recipient         varchar(320) not null,
    reply_message_id  varchar(512) not null,
    sent_at           timestamp with time zone not null
);
create index ix_email_reply_recipient on email_reply (recipient, sent_at);
