-- 10 (../010.sql): the portal's drafts, and the instance's secrets. The
-- CSRF key: 32 bytes, the SHA-256 of three random UUIDs (366 bits from
-- the server's CSPRNG, pg_strong_random) instead of sqlite's
-- randomblob(32); gen_random_uuid() and sha256() are core PostgreSQL
-- (13+), no extension needed.
CREATE TABLE drafts (
  assignment_id BIGINT PRIMARY KEY REFERENCES assignments(id),
  saved_at TEXT COLLATE "C" NOT NULL,
  saved_by TEXT COLLATE "C" NOT NULL);
CREATE TABLE draft_items (
  assignment_id BIGINT NOT NULL REFERENCES drafts(assignment_id),
  item_id TEXT COLLATE "C" NOT NULL,
  level TEXT COLLATE "C" NOT NULL,
  comment TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (assignment_id, item_id));
CREATE TABLE instance_secrets (
  name TEXT COLLATE "C" PRIMARY KEY,
  value BYTEA NOT NULL);
INSERT INTO instance_secrets VALUES ('csrf', sha256(convert_to(
 gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')));
