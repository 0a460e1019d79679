-- 13 (../013.sql): the audit chain's head at each acceptance
ALTER TABLE submissions ADD COLUMN audit_seq BIGINT;
ALTER TABLE submissions ADD COLUMN audit_hash TEXT COLLATE "C";
