-- 11: the subcontractors of a draft (re-entrustment declarations being
-- prepared), in the order the form shows them; like the rest of a draft
-- never chained: only an accepted submission's declarations are.
CREATE TABLE draft_subs (
  assignment_id INTEGER NOT NULL REFERENCES drafts(assignment_id),
  position INTEGER NOT NULL,
  child_id TEXT NOT NULL,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  personal INTEGER NOT NULL,
  confidential INTEGER NOT NULL,
  PRIMARY KEY (assignment_id, position));
