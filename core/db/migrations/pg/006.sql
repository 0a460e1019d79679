-- 6 (../006.sql): scoring: items and sections as rows, the nonce each
-- accepted version quoted, each assignment's latest accepted submission,
-- per-submission scores, the latest answers and the aggregate's running
-- sums. WITHOUT ROWID dropped; scores.submission_id is always given.
ALTER TABLE submissions ADD COLUMN nonce TEXT COLLATE "C";
CREATE INDEX submissions_nonce ON submissions(nonce);
ALTER TABLE assignments ADD COLUMN latest_submission_id BIGINT
 REFERENCES submissions(id);
ALTER TABLE assignments ADD COLUMN latest_total BIGINT;
ALTER TABLE assignments ADD COLUMN latest_mean DOUBLE PRECISION;
CREATE INDEX assignments_rank ON assignments
 (campaign_id, coalesce(latest_mean, 99), org_id);
CREATE INDEX assignments_scores ON assignments
 (campaign_id, latest_submission_id, latest_mean, latest_total);
CREATE TABLE questionnaire_sections (
  questionnaire TEXT COLLATE "C" NOT NULL,
  version TEXT COLLATE "C" NOT NULL,
  section_id TEXT COLLATE "C" NOT NULL,
  position BIGINT NOT NULL,
  title_ja TEXT COLLATE "C" NOT NULL,
  title_en TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (questionnaire, version, section_id));
CREATE TABLE questionnaire_items (
  questionnaire TEXT COLLATE "C" NOT NULL,
  version TEXT COLLATE "C" NOT NULL,
  item_id TEXT COLLATE "C" NOT NULL,
  section_id TEXT COLLATE "C" NOT NULL,
  position BIGINT NOT NULL,
  desirable BIGINT NOT NULL,
  na_allowed BIGINT NOT NULL,
  optional BIGINT NOT NULL,
  text_ja TEXT COLLATE "C" NOT NULL,
  text_en TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (questionnaire, version, item_id));
CREATE TABLE scores (
  submission_id BIGINT PRIMARY KEY REFERENCES submissions(id),
  answered BIGINT NOT NULL,
  na BIGINT NOT NULL,
  total BIGINT NOT NULL,
  mean DOUBLE PRECISION,
  below BIGINT NOT NULL);
CREATE TABLE section_scores (
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  section_id TEXT COLLATE "C" NOT NULL,
  answered BIGINT NOT NULL,
  total BIGINT NOT NULL,
  mean DOUBLE PRECISION,
  PRIMARY KEY (submission_id, section_id));
CREATE TABLE latest_answers (
  campaign_id BIGINT NOT NULL,
  item_id TEXT COLLATE "C" NOT NULL,
  level BIGINT NOT NULL,
  org_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (campaign_id, item_id, level, org_id));
CREATE INDEX latest_answers_org ON latest_answers(campaign_id, org_id);
CREATE TABLE campaign_item_levels (
  campaign_id BIGINT NOT NULL,
  item_id TEXT COLLATE "C" NOT NULL,
  level BIGINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, item_id, level));
CREATE TABLE campaign_section_sums (
  campaign_id BIGINT NOT NULL,
  section_id TEXT COLLATE "C" NOT NULL,
  orgs BIGINT NOT NULL,
  answered BIGINT NOT NULL,
  total BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, section_id));
CREATE INDEX audit_object ON audit_log(object);
