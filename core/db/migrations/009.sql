-- 9: the last refused upload of each assignment, as data: status
-- "submitted" and last_refusal read it instead of the text of audit_log
-- objects. Written when an upload naming the assignment's campaign is
-- refused; like audit_log a record of refusals, kept when the refused
-- request's changes are rolled back. Filled from the audit log once.
CREATE TABLE assignment_refusals (
  assignment_id INTEGER PRIMARY KEY REFERENCES assignments(id),
  at TEXT NOT NULL,
  code TEXT NOT NULL);
INSERT INTO assignment_refusals (assignment_id, at, code)
 SELECT a.id, r.at, r.code FROM assignments a JOIN campaigns c ON c.id = a.campaign_id
 JOIN audit_log r ON r.seq = (SELECT max(seq) FROM audit_log l
  WHERE l.object > 'POST /api/v1/submissions campaign/' || c.id || ' '
  AND l.object < 'POST /api/v1/submissions campaign/' || c.id || ' ~'
  AND l.actor = a.org_id AND l.outcome = 'rejected');
