-- 2: questionnaire definitions, immutable per id and version
CREATE TABLE questionnaires (
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  title_ja TEXT NOT NULL,
  title_en TEXT NOT NULL,
  items INTEGER NOT NULL,
  variants TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  definition BLOB NOT NULL,
  imported_at TEXT NOT NULL,
  PRIMARY KEY (id, version));
