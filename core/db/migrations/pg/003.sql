-- 3 (../003.sql): receipts (RFC 3161 TimeStampResp) issued with accepted
-- submissions. submission_id is always given: no identity.
CREATE TABLE receipts (
  submission_id BIGINT PRIMARY KEY REFERENCES submissions(id),
  gen_time TEXT COLLATE "C" NOT NULL,
  tsr BYTEA NOT NULL);
