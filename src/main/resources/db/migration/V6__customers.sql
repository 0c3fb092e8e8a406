-- The customer directory (DOMAIN.md §2, §4; 004 客户台账): what the CRM publishes on the compacted topic
-- intake.customers.v1, plus the customers the hub registers itself (status PENDING until the CRM's record
-- arrives). Contacts are kept normalised for matching (phone digits, lower-case e-mail) beside the text given.
create table customer (
    customer_number  varchar(64)   primary key,
    name             varchar(256),
    name_key         varchar(256),             -- normalised name, for matching
    contact_person   varchar(128),
    address          varchar(1000),
    region           varchar(128),
    delivery_route   varchar(128),
    member           boolean       not null default false,
    customer_class   varchar(16),              -- key-account / small-medium when the CRM says so; else from the volume
    monthly_volume   numeric(18,2),            -- monthly purchases, CNY
    credit_terms     varchar(32),
    status           varchar(16)   not null,   -- ACTIVE (the CRM's) / PENDING (registered by the hub)
    source           varchar(16)   not null,   -- crm / hub
    updated_at       timestamp with time zone not null
);
create index ix_customer_name_key on customer (name_key);

create table customer_contact (
    customer_number  varchar(64)   not null,
    kind             varchar(8)    not null,   -- phone / email
    value_key        varchar(256)  not null,   -- normalised
    value_text       varchar(256)  not null,   -- as given
    primary key (customer_number, kind, value_key)
);
create index ix_customer_contact_key on customer_contact (kind, value_key);
