-- 18 (../018.sql): a reminder is one per (assignment, stage, recipient,
-- due date); rows of before get their campaign's due date. The new
-- column sits after recipient, where ALTER TABLE ADD COLUMN cannot put it:
-- the same rebuild as sqlite's, then the constraints take the names they
-- would have had on a table made as reminders.
CREATE TABLE reminders_by_due (
  assignment_id BIGINT NOT NULL REFERENCES assignments(id),
  stage TEXT COLLATE "C" NOT NULL,
  recipient TEXT COLLATE "C" NOT NULL,
  due TEXT COLLATE "C" NOT NULL,
  about TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL CHECK (status IN
   ('claimed', 'sent', 'failed', 'uncertain', 'no_contact')),
  claimed_by TEXT COLLATE "C" NOT NULL,
  claimed_at TEXT COLLATE "C" NOT NULL,
  sent_at TEXT COLLATE "C",
  attempts BIGINT NOT NULL DEFAULT 0,
  error TEXT COLLATE "C",
  message_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (assignment_id, stage, recipient, due));
INSERT INTO reminders_by_due (assignment_id, stage, recipient, due, about, status,
  claimed_by, claimed_at, sent_at, attempts, error, message_id)
 SELECT r.assignment_id, r.stage, r.recipient, c.due, r.about, r.status, r.claimed_by,
  r.claimed_at, r.sent_at, r.attempts, r.error, r.message_id
 FROM reminders r JOIN assignments a ON a.id = r.assignment_id
 JOIN campaigns c ON c.id = a.campaign_id;
DROP TABLE reminders;
ALTER TABLE reminders_by_due RENAME TO reminders;
ALTER TABLE reminders RENAME CONSTRAINT reminders_by_due_pkey TO reminders_pkey;
ALTER TABLE reminders RENAME CONSTRAINT reminders_by_due_status_check TO reminders_status_check;
ALTER TABLE reminders RENAME CONSTRAINT reminders_by_due_assignment_id_fkey
 TO reminders_assignment_id_fkey;
