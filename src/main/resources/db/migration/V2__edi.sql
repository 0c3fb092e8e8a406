-- EDI state: outbound control numbers per partner, interchanges already received (duplicate
-- detection) and the acknowledgements the hub has sent (matched when the partner answers).
create table edi_control_number (
    partner       varchar(64)  not null,
    kind          varchar(32)  not null,   -- x12-interchange, x12-group, edifact-interchange, ...
    last_value    bigint       not null,
    primary key (partner, kind)
);

create table edi_interchange (
    partner        varchar(64)  not null,
    interchange    varchar(200) not null,  -- sender qualifier:id/control number
    file_name      varchar(512),
    received_at    timestamp with time zone not null,
    primary key (partner, interchange)
);
create index ix_edi_interchange_received on edi_interchange (received_at);

create table edi_outbound (
    partner        varchar(64)  not null,
    standard       varchar(16)  not null,
    interchange    varchar(32)  not null,
    group_control  varchar(32),
    doc_type       varchar(16)  not null,
    file_name      varchar(512) not null,
    acknowledges   varchar(200),           -- the interchange this document acknowledges
    sent_at        timestamp with time zone not null,
    ack_status     varchar(16),            -- when the partner acknowledged it: A, E, R
    acked_at       timestamp with time zone,
    primary key (partner, standard, interchange)
);
