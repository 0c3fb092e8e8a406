-- Every value the canonical schemas allow fits where the hub keeps it (StoreLengthsTest checks the two):
-- a customer number or contact person is a shortText (256), an e-mail address up to 64 + 1 + 255 characters,
-- an address the joined parts of an address object. Keys built from such values (claims, business keys) are
-- cut to their column by a hash of the whole (Hashes.fitted), never by truncation.
alter table customer alter column customer_number set data type varchar(256);
alter table customer alter column contact_person set data type varchar(256);
alter table customer alter column region set data type varchar(256);
alter table customer alter column delivery_route set data type varchar(256);
alter table customer alter column address set data type varchar(4000);
alter table customer_contact alter column customer_number set data type varchar(256);
alter table customer_contact alter column value_key set data type varchar(320);
alter table customer_contact alter column value_text set data type varchar(320);
alter table customer_claim alter column claim_key set data type varchar(330);
alter table customer_claim alter column customer_number set data type varchar(256);
alter table journal_event alter column customer_id set data type varchar(256);
alter table contact_event alter column customer_number set data type varchar(256);
