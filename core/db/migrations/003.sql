-- 3: receipts (RFC 3161 TimeStampResp) issued with accepted submissions
CREATE TABLE receipts (
  submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
  gen_time TEXT NOT NULL,
  tsr BLOB NOT NULL);
