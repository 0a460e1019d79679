-- 6: scoring. Items and sections of each questionnaire as rows, so
-- that scores and the aggregate are SQL; the nonce each accepted
-- version quoted (nonces are single-use); each assignment's latest
-- accepted submission; per-submission scores written with it.
-- answers.level 0 means "not applicable".
ALTER TABLE submissions ADD COLUMN nonce TEXT;
CREATE INDEX submissions_nonce ON submissions(nonce);
ALTER TABLE assignments ADD COLUMN latest_submission_id INTEGER
 REFERENCES submissions(id);
ALTER TABLE assignments ADD COLUMN latest_total INTEGER;
ALTER TABLE assignments ADD COLUMN latest_mean REAL;
-- weakest first, unanswered last: the aggregate's organisation
-- pages are index ranges; population figures a covering scan
CREATE INDEX assignments_rank ON assignments
 (campaign_id, coalesce(latest_mean, 99), org_id);
CREATE INDEX assignments_scores ON assignments
 (campaign_id, latest_submission_id, latest_mean, latest_total);
CREATE TABLE questionnaire_sections (
  questionnaire TEXT NOT NULL,
  version TEXT NOT NULL,
  section_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  title_ja TEXT NOT NULL,
  title_en TEXT NOT NULL,
  PRIMARY KEY (questionnaire, version, section_id));
CREATE TABLE questionnaire_items (
  questionnaire TEXT NOT NULL,
  version TEXT NOT NULL,
  item_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  desirable INTEGER NOT NULL,
  na_allowed INTEGER NOT NULL,
  optional INTEGER NOT NULL,
  text_ja TEXT NOT NULL,
  text_en TEXT NOT NULL,
  PRIMARY KEY (questionnaire, version, item_id));
CREATE TABLE scores (
  submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
  answered INTEGER NOT NULL,
  na INTEGER NOT NULL,
  total INTEGER NOT NULL,
  mean REAL,
  below INTEGER NOT NULL);
CREATE TABLE section_scores (
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  section_id TEXT NOT NULL,
  answered INTEGER NOT NULL,
  total INTEGER NOT NULL,
  mean REAL,
  PRIMARY KEY (submission_id, section_id));
-- the latest accepted answers of each assignment, kept in step with
-- assignments.latest_submission_id: the lists of organisations below
-- the desirable level are index ranges of it
CREATE TABLE latest_answers (
  campaign_id INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  level INTEGER NOT NULL,
  org_id TEXT NOT NULL,
  PRIMARY KEY (campaign_id, item_id, level, org_id)) WITHOUT ROWID;
CREATE INDEX latest_answers_org ON latest_answers(campaign_id, org_id);
-- running sums over the latest answers of each campaign, updated in
-- the transaction that accepts a submission (old version out, new
-- version in): the aggregate reads a few rows, not every answer
CREATE TABLE campaign_item_levels (
  campaign_id INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  level INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, item_id, level)) WITHOUT ROWID;
CREATE TABLE campaign_section_sums (
  campaign_id INTEGER NOT NULL,
  section_id TEXT NOT NULL,
  orgs INTEGER NOT NULL,
  answered INTEGER NOT NULL,
  total INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, section_id)) WITHOUT ROWID;
CREATE INDEX audit_object ON audit_log(object);
