-- Intake rules (issue 6). A customer the hub registers itself is claimed here first, by its strongest contact
-- key (phone, else e-mail, else name): the unique key makes "one registration per new customer" hold across
-- threads and hub instances. The customer row keeps the message whose registration created it, so a retry of
-- that same input sends the same registration again (same id) instead of losing it.
create table customer_claim (
    claim_key        varchar(300)  primary key,   -- phone:<digits> / email:<address> / name:<folded name>
    customer_number  varchar(64)   not null,
    message_id       varchar(64)   not null,      -- the registration message
    source_message_id varchar(64)  not null,      -- the order, complaint or form that revealed the customer
    created_at       timestamp with time zone not null
);
create index ix_customer_claim_number on customer_claim (customer_number);

-- The cross-channel duplicate guard: an order (customer or partner + order number) or a complaint (customer + text
-- hash) belongs to the first message that claimed it; PENDING until that message is on Kafka. Only the primary key:
-- a phone export claims a key per row, and every index is written per row.
create table business_key (
    scope       varchar(32)   not null,       -- business-order / business-complaint
    bkey        varchar(300)  not null,
    message_id  varchar(64)   not null,
    created_at  timestamp with time zone not null,
    state       varchar(16)   not null,       -- PENDING / ACCEPTED
    primary key (scope, bkey)
);
