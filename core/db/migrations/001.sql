-- 1: organisations, certificate bindings, submissions, audit log
CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'respondent')),
  created_at TEXT NOT NULL);
CREATE TABLE certificates (
  fingerprint TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  subject TEXT NOT NULL,
  issuer TEXT NOT NULL,
  not_after TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT);
CREATE INDEX certificates_org ON certificates(org_id);
CREATE TABLE submissions (
  id INTEGER PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  questionnaire TEXT NOT NULL,
  questionnaire_version TEXT NOT NULL,
  version INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  signer_fingerprint TEXT NOT NULL,
  uploader_fingerprint TEXT NOT NULL,
  status TEXT NOT NULL,
  received_at TEXT NOT NULL,
  details TEXT NOT NULL,
  UNIQUE (org_id, questionnaire, questionnaire_version, version));
CREATE TABLE answers (
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  item_id TEXT NOT NULL,
  level INTEGER NOT NULL,
  comment TEXT,
  PRIMARY KEY (submission_id, item_id));
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  outcome TEXT NOT NULL,
  code TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
