-- 13: the audit chain's head at each acceptance (the seq and hash of the
-- entry that records it), handed to the uploader with the receipt: a
-- vendor holding it can later show that the log went at least that far
-- (`itaku audit verify --expect-head SEQ:HASH`). NULL for acceptances from
-- before this schema.
ALTER TABLE submissions ADD COLUMN audit_seq INTEGER;
ALTER TABLE submissions ADD COLUMN audit_hash TEXT;
