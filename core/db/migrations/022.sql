-- 22: the package bytes in the database, for the PostgreSQL backend: with
-- backend = postgresql every accepted package is a row of objects
-- (content-addressed by its SHA-256, hex), written in the acceptance's own
-- transaction, so that streaming replication and pg_dump carry the
-- packages with the rows that point at them and no node needs a shared
-- file system (core/db/objects.h). On sqlite the table is made too, so
-- that both schemas stay alike, and it stays EMPTY: sqlite keeps the
-- packages as files in the store directory (DIR/ab/<sha256>), as before.
CREATE TABLE objects (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL);
