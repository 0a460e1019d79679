-- 11 (../011.sql): the subcontractors of a draft, in the form's order
CREATE TABLE draft_subs (
  assignment_id BIGINT NOT NULL REFERENCES drafts(assignment_id),
  position BIGINT NOT NULL,
  child_id TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  scope TEXT COLLATE "C" NOT NULL,
  personal BIGINT NOT NULL,
  confidential BIGINT NOT NULL,
  PRIMARY KEY (assignment_id, position));
