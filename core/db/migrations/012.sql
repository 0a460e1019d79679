-- 12: anchors of the audit chain's head. `itaku audit anchor` (daily, with
-- the reminder job) time-stamps the newest entry's seq and hash with the
-- instance TSA and keeps the token here, so a log cut short after an
-- anchor is caught: the anchored entry is gone, or it is not the one the
-- token vouches for.
CREATE TABLE audit_anchors (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  token BLOB NOT NULL);
CREATE INDEX audit_anchors_seq ON audit_anchors(seq);
