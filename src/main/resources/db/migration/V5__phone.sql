-- Phone exports: the contact events of call-detail records (a call logged on the customer, not an
-- order), one row per call leg; the profile and the row's key make it unique, so a re-dropped
-- export logs nothing twice. Rows that became messages are de-duplicated in idempotency_key
-- (scope 'phone:<profile>', key = the call id).
create table contact_event (
    profile          varchar(40)   not null,
    event_key        varchar(256)  not null,
    event_id         varchar(64)   not null,   -- the tracking id in the receipt
    phone            varchar(64),              -- the caller
    customer_number  varchar(128),
    counterpart      varchar(64),              -- the number called
    started_at       timestamp with time zone,
    answered_at      timestamp with time zone,
    ended_at         timestamp with time zone,
    duration_s       integer,
    billable_s       integer,
    disposition      varchar(32),
    channel          varchar(128),
    reference        varchar(128),             -- the phone system's own call id
    file_name        varchar(256),
    line             bigint,
    recorded_at      timestamp with time zone not null,
    primary key (profile, event_key)
);
create index ix_contact_event_phone on contact_event (phone, started_at);
create index ix_contact_event_customer on contact_event (customer_number, started_at);
