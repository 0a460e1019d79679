-- 10: the portal. drafts: the answers an organisation is preparing for an
-- assignment, saved from the answer page by any of its staff; a draft is
-- never scored, aggregated or chained (only a signed package that was
-- accepted is a submission). instance_secrets: the keys the server makes
-- tokens with (the portal's CSRF tokens), here so that every itakud on this
-- database agrees; made once, now, by sqlite's CSPRNG (ChaCha20 seeded by
-- the operating system).
CREATE TABLE drafts (
  assignment_id INTEGER PRIMARY KEY REFERENCES assignments(id),
  saved_at TEXT NOT NULL,
  saved_by TEXT NOT NULL);
CREATE TABLE draft_items (
  assignment_id INTEGER NOT NULL REFERENCES drafts(assignment_id),
  item_id TEXT NOT NULL,
  level TEXT NOT NULL,
  comment TEXT NOT NULL,
  PRIMARY KEY (assignment_id, item_id));
CREATE TABLE instance_secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL);
INSERT INTO instance_secrets VALUES ('csrf', randomblob(32));
