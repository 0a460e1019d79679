-- 8: reminders. contacts: who hears about an organisation's
-- assignments, in which language; reminders: one row per
-- (assignment, stage, recipient), claimed in a transaction before
-- the mail is sent, so a reminder goes out at most once however
-- many jobs run and however they end.
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('ja', 'en')),
  created_at TEXT NOT NULL,
  UNIQUE (org_id, email));
CREATE TABLE reminders (
  assignment_id INTEGER NOT NULL REFERENCES assignments(id),
  stage TEXT NOT NULL,
  recipient TEXT NOT NULL,
  about TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN
   ('claimed', 'sent', 'failed', 'uncertain', 'no_contact')),
  claimed_by TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  sent_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  message_id TEXT NOT NULL,
  PRIMARY KEY (assignment_id, stage, recipient));
