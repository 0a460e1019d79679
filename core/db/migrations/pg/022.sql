-- 22: the package bytes in the database (see ../022.sql, its sqlite twin):
-- every accepted package is a row of objects, content-addressed by its
-- SHA-256 (hex), inserted (ON CONFLICT (sha256) DO NOTHING) in the
-- acceptance's own transaction, so that streaming replication and pg_dump
-- cover the packages with the rows that point at them and no node needs a
-- shared file system. The spool (DIR/tmp) stays on each node's local disk,
-- for receiving and hashing only (core/db/objects.h). sha256 compares
-- bytes (COLLATE "C"), as sqlite does.
CREATE TABLE objects (
  sha256 TEXT COLLATE "C" PRIMARY KEY,
  size BIGINT NOT NULL,
  bytes BYTEA NOT NULL);
-- a package is a ZIP, deflated already: stored out of line as it is,
-- without PostgreSQL trying to compress it again
ALTER TABLE objects ALTER COLUMN bytes SET STORAGE EXTERNAL;
