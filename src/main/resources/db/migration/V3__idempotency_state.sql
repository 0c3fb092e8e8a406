-- An Idempotency-Key is reserved (PENDING) before the message is sent and becomes ACCEPTED after
-- Kafka's acknowledgement; a concurrent request with the same key is told to retry instead of
-- sending a second copy. A PENDING row older than the send timeout belongs to a crashed attempt.
alter table idempotency_key add column state varchar(16) default 'ACCEPTED' not null;
