-- 18: a reminder is one per (assignment, stage, recipient, due date). A
-- campaign whose due date moves gets the stages of the new date (the week
-- before it, the day itself, the weeks after), not silence because the
-- same stage names were sent for the old one. Rows of before keep the due
-- date their campaign has now, so nothing already sent is sent again by
-- the upgrade itself.
CREATE TABLE reminders_by_due (
  assignment_id INTEGER NOT NULL REFERENCES assignments(id),
  stage TEXT NOT NULL,
  recipient TEXT NOT NULL,
  due TEXT NOT NULL,
  about TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN
   ('claimed', 'sent', 'failed', 'uncertain', 'no_contact')),
  claimed_by TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  sent_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  message_id TEXT NOT NULL,
  PRIMARY KEY (assignment_id, stage, recipient, due));
INSERT INTO reminders_by_due (assignment_id, stage, recipient, due, about, status,
  claimed_by, claimed_at, sent_at, attempts, error, message_id)
 SELECT r.assignment_id, r.stage, r.recipient, c.due, r.about, r.status, r.claimed_by,
  r.claimed_at, r.sent_at, r.attempts, r.error, r.message_id
 FROM reminders r JOIN assignments a ON a.id = r.assignment_id
 JOIN campaigns c ON c.id = a.campaign_id;
DROP TABLE reminders;
ALTER TABLE reminders_by_due RENAME TO reminders;
