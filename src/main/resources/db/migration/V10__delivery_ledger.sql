-- Kafka writes in doubt: records written to a topic whose input's progress (a phone batch remembered, an EDI
-- interchange recorded, a web key accepted) is not yet in the store. A row is written before the records are sent
-- and deleted once the progress is recorded; a row left by a crash is resolved by looking for its message ids on
-- the topic, so the input's re-reading sends none of them twice. Ids are kept in chunks of at most 100, one per line.
create table delivery_in_doubt (
    batch_id     varchar(64)    not null,
    chunk        integer        not null,
    owner        varchar(128)   not null,   -- hub.instance-id of the writer
    input_ref    varchar(512),              -- whose progress settles it; null: settled as soon as Kafka acknowledged
    topics       varchar(1000)  not null,   -- comma-separated
    started_at   timestamp with time zone not null,
    message_ids  varchar(13000) not null,
    primary key (batch_id, chunk)
);
create index ix_delivery_in_doubt_input on delivery_in_doubt (input_ref);
create index ix_delivery_in_doubt_owner on delivery_in_doubt (owner, started_at);

-- Message ids a resolution found on their topic: the input's re-reading skips them (and deletes them here once its
-- progress is recorded); the rest expire after hub.delivery.confirmed-retention.
create table delivery_confirmed (
    message_id   varchar(128)   not null primary key,
    topic        varchar(255)   not null,
    confirmed_at timestamp with time zone not null
);
create index ix_delivery_confirmed_at on delivery_confirmed (confirmed_at);
