-- 21: the aggregate's progress and timeline as running counters, so that
-- its first page reads a few rows instead of every assignment and every
-- submission of the campaign on each request. Triggers keep them, as in
-- migration 20: every writer of assignments, assignment_refusals and
-- submissions moves them in its own transaction (and a rolled-back
-- transaction takes its trigger writes with it). Each trigger takes out
-- what the old row contributed and adds what the new one does, so the
-- counters equal a full recount (aggdb_counts_check()) after any sequence
-- of writes. assignment_refusals are upserted, never INSERT OR REPLACE'd:
-- a REPLACE fires no delete trigger.
--
-- campaign_progress: per campaign the assignments, those with an
-- accepted submission (answered) and those without one that have a
-- refused upload (refused; "submitted" unless the campaign is past due).
-- "overdue" depends on the clock and is worked out from these when read.
-- campaign_first_days: per campaign and day how many organisations had
-- their first accepted submission that day (the timeline).
CREATE TABLE campaign_progress (
  campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id),
  assigned INTEGER NOT NULL,
  answered INTEGER NOT NULL,
  refused INTEGER NOT NULL);
CREATE TABLE campaign_first_days (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  day TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, day)) WITHOUT ROWID;

INSERT INTO campaign_progress (campaign_id, assigned, answered, refused)
 SELECT a.campaign_id, count(*), count(a.latest_submission_id),
  sum(a.latest_submission_id IS NULL AND EXISTS (SELECT 1 FROM assignment_refusals l
   WHERE l.assignment_id = a.id))
 FROM assignments a GROUP BY a.campaign_id;
INSERT INTO campaign_first_days (campaign_id, day, n)
 SELECT campaign_id, day, count(*) FROM (SELECT campaign_id,
  substr(min(received_at), 1, 10) AS day FROM submissions
  WHERE campaign_id IS NOT NULL GROUP BY campaign_id, org_id)
 GROUP BY campaign_id, day;

-- ---- assignments ----
CREATE TRIGGER assignments_progress_ins AFTER INSERT ON assignments BEGIN
  INSERT INTO campaign_progress (campaign_id, assigned, answered, refused)
   VALUES (new.campaign_id, 1, new.latest_submission_id IS NOT NULL,
    new.latest_submission_id IS NULL AND EXISTS (SELECT 1 FROM assignment_refusals l
     WHERE l.assignment_id = new.id))
   ON CONFLICT (campaign_id) DO UPDATE SET assigned = assigned + 1,
    answered = answered + excluded.answered, refused = refused + excluded.refused;
END;
CREATE TRIGGER assignments_progress_del AFTER DELETE ON assignments BEGIN
  UPDATE campaign_progress SET assigned = assigned - 1,
   answered = answered - (old.latest_submission_id IS NOT NULL),
   refused = refused - (old.latest_submission_id IS NULL AND EXISTS (SELECT 1
    FROM assignment_refusals l WHERE l.assignment_id = old.id))
   WHERE campaign_id = old.campaign_id;
END;
CREATE TRIGGER assignments_progress_upd
 AFTER UPDATE OF id, campaign_id, latest_submission_id ON assignments
 WHEN (old.latest_submission_id IS NULL) <> (new.latest_submission_id IS NULL)
  OR old.campaign_id IS NOT new.campaign_id OR old.id <> new.id BEGIN
  UPDATE campaign_progress SET assigned = assigned - 1,
   answered = answered - (old.latest_submission_id IS NOT NULL),
   refused = refused - (old.latest_submission_id IS NULL AND EXISTS (SELECT 1
    FROM assignment_refusals l WHERE l.assignment_id = old.id))
   WHERE campaign_id = old.campaign_id;
  INSERT INTO campaign_progress (campaign_id, assigned, answered, refused)
   VALUES (new.campaign_id, 1, new.latest_submission_id IS NOT NULL,
    new.latest_submission_id IS NULL AND EXISTS (SELECT 1 FROM assignment_refusals l
     WHERE l.assignment_id = new.id))
   ON CONFLICT (campaign_id) DO UPDATE SET assigned = assigned + 1,
    answered = answered + excluded.answered, refused = refused + excluded.refused;
END;

-- ---- refusals: count while their assignment has nothing accepted ----
CREATE TRIGGER assignment_refusals_progress_ins AFTER INSERT ON assignment_refusals BEGIN
  UPDATE campaign_progress SET refused = refused + 1
   WHERE campaign_id = (SELECT a.campaign_id FROM assignments a
    WHERE a.id = new.assignment_id AND a.latest_submission_id IS NULL);
END;
CREATE TRIGGER assignment_refusals_progress_del AFTER DELETE ON assignment_refusals BEGIN
  UPDATE campaign_progress SET refused = refused - 1
   WHERE campaign_id = (SELECT a.campaign_id FROM assignments a
    WHERE a.id = old.assignment_id AND a.latest_submission_id IS NULL);
END;
CREATE TRIGGER assignment_refusals_progress_upd
 AFTER UPDATE OF assignment_id ON assignment_refusals
 WHEN old.assignment_id <> new.assignment_id BEGIN
  UPDATE campaign_progress SET refused = refused - 1
   WHERE campaign_id = (SELECT a.campaign_id FROM assignments a
    WHERE a.id = old.assignment_id AND a.latest_submission_id IS NULL);
  UPDATE campaign_progress SET refused = refused + 1
   WHERE campaign_id = (SELECT a.campaign_id FROM assignments a
    WHERE a.id = new.assignment_id AND a.latest_submission_id IS NULL);
END;

-- ---- submissions: an organisation counts on the day of its first ----
-- (the earliest received_at of its submissions to the campaign; the
-- others of the same organisation are an index range of
-- submissions_campaign). A row leaving moves the organisation to the day
-- of its next earliest, or out; a row arriving earlier moves it there.
CREATE TRIGGER submissions_first_day_ins AFTER INSERT ON submissions
 WHEN new.campaign_id IS NOT NULL BEGIN
  UPDATE campaign_first_days SET n = n - 1
   WHERE campaign_id = new.campaign_id AND day = (SELECT substr(min(s.received_at), 1, 10)
    FROM submissions s WHERE s.campaign_id = new.campaign_id AND s.org_id = new.org_id
    AND s.id <> new.id HAVING min(s.received_at) > new.received_at);
  INSERT INTO campaign_first_days (campaign_id, day, n)
   SELECT new.campaign_id, substr(new.received_at, 1, 10), 1
   WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.campaign_id = new.campaign_id
    AND s.org_id = new.org_id AND s.id <> new.id AND s.received_at <= new.received_at)
   ON CONFLICT (campaign_id, day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER submissions_first_day_del AFTER DELETE ON submissions
 WHEN old.campaign_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.campaign_id = old.campaign_id
   AND s.org_id = old.org_id AND s.received_at < old.received_at) BEGIN
  -- old was (one of) the earliest
  UPDATE campaign_first_days SET n = n - 1
   WHERE campaign_id = old.campaign_id AND day = substr(old.received_at, 1, 10);
  INSERT INTO campaign_first_days (campaign_id, day, n)
   SELECT old.campaign_id, substr(min(s.received_at), 1, 10), 1 FROM submissions s
   WHERE s.campaign_id = old.campaign_id AND s.org_id = old.org_id
   HAVING count(*) > 0
   ON CONFLICT (campaign_id, day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER submissions_first_day_upd
 AFTER UPDATE OF campaign_id, org_id, received_at ON submissions
 WHEN old.campaign_id IS NOT new.campaign_id OR old.org_id <> new.org_id
  OR old.received_at <> new.received_at BEGIN
  -- out of the old key as if deleted (the row itself no longer there)
  UPDATE campaign_first_days SET n = n - 1
   WHERE old.campaign_id IS NOT NULL AND campaign_id = old.campaign_id
   AND day = substr(old.received_at, 1, 10)
   AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.campaign_id = old.campaign_id
    AND s.org_id = old.org_id AND s.id <> new.id AND s.received_at < old.received_at);
  INSERT INTO campaign_first_days (campaign_id, day, n)
   SELECT old.campaign_id, substr(min(s.received_at), 1, 10), 1 FROM submissions s
   WHERE old.campaign_id IS NOT NULL AND s.campaign_id = old.campaign_id
   AND s.org_id = old.org_id AND s.id <> new.id
   AND NOT EXISTS (SELECT 1 FROM submissions t WHERE t.campaign_id = old.campaign_id
    AND t.org_id = old.org_id AND t.id <> new.id AND t.received_at < old.received_at)
   HAVING count(*) > 0
   ON CONFLICT (campaign_id, day) DO UPDATE SET n = n + 1;
  -- into the new key as if inserted
  UPDATE campaign_first_days SET n = n - 1
   WHERE new.campaign_id IS NOT NULL AND campaign_id = new.campaign_id
   AND day = (SELECT substr(min(s.received_at), 1, 10) FROM submissions s
    WHERE s.campaign_id = new.campaign_id AND s.org_id = new.org_id AND s.id <> new.id
    HAVING min(s.received_at) > new.received_at);
  INSERT INTO campaign_first_days (campaign_id, day, n)
   SELECT new.campaign_id, substr(new.received_at, 1, 10), 1
   WHERE new.campaign_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM submissions s
    WHERE s.campaign_id = new.campaign_id AND s.org_id = new.org_id AND s.id <> new.id
    AND s.received_at <= new.received_at)
   ON CONFLICT (campaign_id, day) DO UPDATE SET n = n + 1;
END;

-- ---- scores: the population and the scatter ----
-- campaign_score_counts: per campaign, latest total and latest mean level
-- (-1: no mean, every answer "na") how many assignments have them: exact
-- integer counts, from which the population's count, means, standard
-- deviation and the scatter's points (tier 1) are a few hundred rows at
-- most (totals × the means a variant's item count allows), however many
-- organisations. Sums of REAL means kept running would drift with every
-- subtraction; counts of each exact value cannot. Assignments without a
-- scored answer are not counted.
CREATE TABLE campaign_score_counts (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  total INTEGER NOT NULL,
  mean REAL NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, total, mean)) WITHOUT ROWID;
-- the organisation of a scatter point that stands for one, and the
-- scatter of a campaign whose chain is deeper than tier 1: a range
CREATE INDEX assignments_spots ON assignments
 (campaign_id, latest_total, latest_mean, org_id) WHERE latest_total IS NOT NULL;
INSERT INTO campaign_score_counts (campaign_id, total, mean, n)
 SELECT campaign_id, latest_total, coalesce(latest_mean, -1), count(*) FROM assignments
 WHERE latest_total IS NOT NULL GROUP BY campaign_id, latest_total, coalesce(latest_mean, -1);
CREATE TRIGGER assignments_score_count_ins AFTER INSERT ON assignments
 WHEN new.latest_total IS NOT NULL BEGIN
  INSERT INTO campaign_score_counts (campaign_id, total, mean, n)
   VALUES (new.campaign_id, new.latest_total, coalesce(new.latest_mean, -1), 1)
   ON CONFLICT (campaign_id, total, mean) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER assignments_score_count_del AFTER DELETE ON assignments
 WHEN old.latest_total IS NOT NULL BEGIN
  UPDATE campaign_score_counts SET n = n - 1 WHERE campaign_id = old.campaign_id
   AND total = old.latest_total AND mean = coalesce(old.latest_mean, -1);
END;
CREATE TRIGGER assignments_score_count_upd
 AFTER UPDATE OF campaign_id, latest_total, latest_mean ON assignments
 WHEN old.campaign_id IS NOT new.campaign_id OR old.latest_total IS NOT new.latest_total
  OR old.latest_mean IS NOT new.latest_mean BEGIN
  UPDATE campaign_score_counts SET n = n - 1 WHERE old.latest_total IS NOT NULL
   AND campaign_id = old.campaign_id AND total = old.latest_total
   AND mean = coalesce(old.latest_mean, -1);
  INSERT INTO campaign_score_counts (campaign_id, total, mean, n)
   SELECT new.campaign_id, new.latest_total, coalesce(new.latest_mean, -1), 1
   WHERE new.latest_total IS NOT NULL
   ON CONFLICT (campaign_id, total, mean) DO UPDATE SET n = n + 1;
END;
