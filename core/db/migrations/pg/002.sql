-- 2 (../002.sql): questionnaire definitions, immutable per id and version
CREATE TABLE questionnaires (
  id TEXT COLLATE "C" NOT NULL,
  version TEXT COLLATE "C" NOT NULL,
  title_ja TEXT COLLATE "C" NOT NULL,
  title_en TEXT COLLATE "C" NOT NULL,
  items BIGINT NOT NULL,
  variants TEXT COLLATE "C" NOT NULL,
  sha256 TEXT COLLATE "C" NOT NULL,
  definition BYTEA NOT NULL,
  imported_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (id, version));
