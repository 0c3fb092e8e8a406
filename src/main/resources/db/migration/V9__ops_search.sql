-- Message search (issue 7): a duplicate is linked to the first by its DUPLICATE event's destination
-- (duplicate-of:<first id>); finding the duplicates of a message reads that column.
create index ix_journal_destination on journal_event (destination);
