-- 16 (../016.sql): desirable levels by campaign and group. WITHOUT ROWID
-- dropped.
ALTER TABLE assignments ADD COLUMN grp TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE TABLE campaign_desirable (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  grp TEXT COLLATE "C" NOT NULL,
  scope TEXT COLLATE "C" NOT NULL CHECK (scope IN ('item', 'section')),
  ref TEXT COLLATE "C" NOT NULL,
  level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
  set_by TEXT COLLATE "C" NOT NULL,
  set_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (campaign_id, grp, scope, ref));
CREATE INDEX assignments_grp ON assignments(campaign_id, grp);
