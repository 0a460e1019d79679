-- 9 (../009.sql): the last refused upload of each assignment, filled from
-- the audit log once (text || bigint concatenates as in sqlite; the
-- ranges compare bytes: audit_log.object is COLLATE "C")
CREATE TABLE assignment_refusals (
  assignment_id BIGINT PRIMARY KEY REFERENCES assignments(id),
  at TEXT COLLATE "C" NOT NULL,
  code TEXT COLLATE "C" NOT NULL);
INSERT INTO assignment_refusals (assignment_id, at, code)
 SELECT a.id, r.at, r.code FROM assignments a JOIN campaigns c ON c.id = a.campaign_id
 JOIN audit_log r ON r.seq = (SELECT max(seq) FROM audit_log l
  WHERE l.object > 'POST /api/v1/submissions campaign/' || c.id || ' '
  AND l.object < 'POST /api/v1/submissions campaign/' || c.id || ' ~'
  AND l.actor = a.org_id AND l.outcome = 'rejected');
