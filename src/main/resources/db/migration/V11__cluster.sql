-- Several hub instances on one store (docs/production.md: Run a cluster).
-- Each running instance says it is alive here every hub.cluster.heartbeat-interval; one whose last_seen is older
-- than hub.cluster.instance-ttl is gone (killed, partitioned away): others may take over its inboxes and resolve the
-- Kafka writes it left in doubt.
create table hub_instance (
    instance_id  varchar(128)   not null primary key,   -- hub.instance-id
    process      varchar(64)    not null,                -- this run of it (a restart is a new process)
    started_at   timestamp with time zone not null,
    last_seen    timestamp with time zone not null,
    version      varchar(64)
);

-- Who reads each inbox (phone folder, EDI folders, mailbox, a partner's server): one instance at a time. A lease is
-- taken or renewed by one conditional update (free, expired or already ours), so two instances never hold it together.
create table inbox_lease (
    name         varchar(200)   not null primary key,    -- the reading route's id
    owner        varchar(128)   not null,                -- hub.instance-id of the holder
    acquired_at  timestamp with time zone not null,
    expires_at   timestamp with time zone not null
);
