-- 16: desirable levels by campaign and group. The levels a questionnaire
-- definition carries (questionnaire_items.desirable) are the project's
-- defaults; a campaign may set its own per section or per item, for all
-- its organisations (grp '') or for one group of them (IPA's GI/GII/GIII).
-- An assignment belongs to at most one group of its campaign (grp '' is
-- none). The level that counts for an organisation's item is the first
-- of: its group's item setting, its group's section setting, the
-- campaign's item setting, the campaign's section setting, the default
-- (core/db/desirable.h: DESIRABLE_SQL). Every change is audited with the
-- value it replaced; answers, receipts and the audit log never change,
-- the gaps and below counts (scores.below) are recomputed against the
-- levels in force.
ALTER TABLE assignments ADD COLUMN grp TEXT NOT NULL DEFAULT '';
CREATE TABLE campaign_desirable (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  grp TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('item', 'section')),
  ref TEXT NOT NULL,
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL,
  PRIMARY KEY (campaign_id, grp, scope, ref)) WITHOUT ROWID;
CREATE INDEX assignments_grp ON assignments(campaign_id, grp);
