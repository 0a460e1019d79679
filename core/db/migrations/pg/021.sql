-- 21 (../021.sql): the aggregate's progress, timeline and score counts as
-- running counters kept by triggers (aggdb_counts_check() recounts).
-- WITHOUT ROWID dropped. Row triggers as in 20, for the same reason
-- unaffected by AFTER ROW triggers running at the end of the statement:
-- assignments read refusals, refusals read assignments, score counts read
-- nothing. The first days are the exception: they read the submissions
-- of the same organisation, which a statement of several rows changes
-- under the row triggers' feet; they are statement triggers over
-- transition tables instead (see submissions_first_day below).
CREATE TABLE campaign_progress (
  campaign_id BIGINT PRIMARY KEY REFERENCES campaigns(id),
  assigned BIGINT NOT NULL,
  answered BIGINT NOT NULL,
  refused BIGINT NOT NULL);
CREATE TABLE campaign_first_days (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  day TEXT COLLATE "C" NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, day));

INSERT INTO campaign_progress (campaign_id, assigned, answered, refused)
 SELECT a.campaign_id, count(*), count(a.latest_submission_id),
  sum((a.latest_submission_id IS NULL AND EXISTS (SELECT 1 FROM assignment_refusals l
   WHERE l.assignment_id = a.id))::int)
 FROM assignments a GROUP BY a.campaign_id;
INSERT INTO campaign_first_days (campaign_id, day, n)
 SELECT campaign_id, day, count(*) FROM (SELECT campaign_id,
  substr(min(received_at), 1, 10) AS day FROM submissions
  WHERE campaign_id IS NOT NULL GROUP BY campaign_id, org_id) AS f
 GROUP BY campaign_id, day;

-- ---- assignments ----
CREATE FUNCTION assignments_progress_out(o assignments) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  UPDATE campaign_progress SET assigned = assigned - 1,
   answered = answered - (o.latest_submission_id IS NOT NULL)::int,
   refused = refused - (o.latest_submission_id IS NULL AND EXISTS (SELECT 1
    FROM assignment_refusals l WHERE l.assignment_id = o.id))::int
   WHERE campaign_id = o.campaign_id;
END $$;
CREATE FUNCTION assignments_progress_in(a assignments) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO campaign_progress AS p (campaign_id, assigned, answered, refused)
   VALUES (a.campaign_id, 1, (a.latest_submission_id IS NOT NULL)::int,
    (a.latest_submission_id IS NULL AND EXISTS (SELECT 1 FROM assignment_refusals l
     WHERE l.assignment_id = a.id))::int)
   ON CONFLICT (campaign_id) DO UPDATE SET assigned = p.assigned + 1,
    answered = p.answered + excluded.answered, refused = p.refused + excluded.refused;
END $$;
CREATE FUNCTION assignments_progress_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(NEW.campaign_id);
  PERFORM assignments_progress_in(NEW);
  RETURN NULL;
END $$;
CREATE FUNCTION assignments_progress_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id);
  PERFORM assignments_progress_out(OLD);
  RETURN NULL;
END $$;
CREATE FUNCTION assignments_progress_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id, NEW.campaign_id);
  PERFORM assignments_progress_out(OLD);
  PERFORM assignments_progress_in(NEW);
  RETURN NULL;
END $$;
CREATE TRIGGER assignments_progress_ins AFTER INSERT ON assignments
 FOR EACH ROW EXECUTE FUNCTION assignments_progress_ins();
CREATE TRIGGER assignments_progress_del AFTER DELETE ON assignments
 FOR EACH ROW EXECUTE FUNCTION assignments_progress_del();
CREATE TRIGGER assignments_progress_upd
 AFTER UPDATE OF id, campaign_id, latest_submission_id ON assignments
 FOR EACH ROW WHEN ((OLD.latest_submission_id IS NULL) <> (NEW.latest_submission_id IS NULL)
  OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id OR OLD.id <> NEW.id)
 EXECUTE FUNCTION assignments_progress_upd();

-- ---- refusals: count while their assignment has nothing accepted ----
CREATE FUNCTION assignment_refusals_progress_move(assignment BIGINT, d BIGINT) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock((SELECT a.campaign_id FROM assignments a WHERE a.id = assignment));
  UPDATE campaign_progress SET refused = refused + d
   WHERE campaign_id = (SELECT a.campaign_id FROM assignments a
    WHERE a.id = assignment AND a.latest_submission_id IS NULL);
END $$;
CREATE FUNCTION assignment_refusals_progress_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM assignment_refusals_progress_move(NEW.assignment_id, 1);
  RETURN NULL;
END $$;
CREATE FUNCTION assignment_refusals_progress_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM assignment_refusals_progress_move(OLD.assignment_id, -1);
  RETURN NULL;
END $$;
CREATE FUNCTION assignment_refusals_progress_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM assignment_refusals_progress_move(OLD.assignment_id, -1);
  PERFORM assignment_refusals_progress_move(NEW.assignment_id, 1);
  RETURN NULL;
END $$;
CREATE TRIGGER assignment_refusals_progress_ins AFTER INSERT ON assignment_refusals
 FOR EACH ROW EXECUTE FUNCTION assignment_refusals_progress_ins();
CREATE TRIGGER assignment_refusals_progress_del AFTER DELETE ON assignment_refusals
 FOR EACH ROW EXECUTE FUNCTION assignment_refusals_progress_del();
CREATE TRIGGER assignment_refusals_progress_upd
 AFTER UPDATE OF assignment_id ON assignment_refusals
 FOR EACH ROW WHEN (OLD.assignment_id <> NEW.assignment_id)
 EXECUTE FUNCTION assignment_refusals_progress_upd();

-- ---- submissions: an organisation counts on the day of its first ----
-- (the earliest received_at of its submissions to the campaign). One
-- function for the three statement triggers: the (campaign,
-- organisation) pairs whose rows the statement changed; for each its
-- first day before the statement (the rows now, less the new rows, plus
-- the old ones) and after it; out of the one, into the other where they
-- differ. For one row this moves the counters exactly as sqlite's row
-- triggers do; for several it nets their moves (sqlite's may leave a 0
-- row for a day an organisation passed through within the statement).
-- Transition tables cannot be combined with a column list, so the update
-- trigger runs on every UPDATE of submissions; one that leaves campaign,
-- organisation and received_at alone finds no pair and stops there.
CREATE FUNCTION submissions_first_day() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- old rows, new rows (campaign, organisation, received_at) and the pairs
  oc BIGINT[]; oorg TEXT[]; oat TEXT[];
  nc BIGINT[]; norg TEXT[]; nat TEXT[];
  kc BIGINT[]; korg TEXT[];
  m RECORD;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT array_agg(campaign_id), array_agg(org_id), array_agg(received_at)
     INTO oc, oorg, oat FROM old_rows WHERE campaign_id IS NOT NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    SELECT array_agg(campaign_id), array_agg(org_id), array_agg(received_at)
     INTO nc, norg, nat FROM new_rows WHERE campaign_id IS NOT NULL;
  END IF;
  SELECT array_agg(c.campaign_id), array_agg(c.org_id) INTO kc, korg
   FROM (SELECT DISTINCT campaign_id, org_id FROM (
    (SELECT * FROM unnest(oc, oorg, oat) EXCEPT ALL SELECT * FROM unnest(nc, norg, nat))
    UNION ALL
    (SELECT * FROM unnest(nc, norg, nat) EXCEPT ALL SELECT * FROM unnest(oc, oorg, oat)))
    AS r(campaign_id, org_id, at)) AS c;
  IF kc IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM counters_lock(VARIADIC array(SELECT DISTINCT unnest(kc)));
  FOR m IN
    WITH firsts AS (
     SELECT k.campaign_id,
      (SELECT substr(min(x.at COLLATE "C"), 1, 10) FROM (
        (SELECT s.received_at FROM submissions s
          WHERE s.campaign_id = k.campaign_id AND s.org_id = k.org_id
         EXCEPT ALL SELECT n.at FROM unnest(nc, norg, nat) AS n(campaign_id, org_id, at)
          WHERE n.campaign_id = k.campaign_id AND n.org_id = k.org_id)
        UNION ALL SELECT o.at FROM unnest(oc, oorg, oat) AS o(campaign_id, org_id, at)
         WHERE o.campaign_id = k.campaign_id AND o.org_id = k.org_id) AS x(at)) AS before,
      (SELECT substr(min(s.received_at), 1, 10) FROM submissions s
        WHERE s.campaign_id = k.campaign_id AND s.org_id = k.org_id) AS after
     FROM unnest(kc, korg) AS k(campaign_id, org_id))
    SELECT campaign_id, day, sum(d) AS d FROM (
     SELECT campaign_id, before AS day, -1 AS d FROM firsts
      WHERE before IS NOT NULL AND before IS DISTINCT FROM after
     UNION ALL
     SELECT campaign_id, after, 1 FROM firsts
      WHERE after IS NOT NULL AND before IS DISTINCT FROM after) AS moves
    GROUP BY campaign_id, day HAVING sum(d) <> 0
  LOOP
    IF m.d < 0 THEN
      UPDATE campaign_first_days SET n = n + m.d
       WHERE campaign_id = m.campaign_id AND day = m.day;
    ELSE
      INSERT INTO campaign_first_days AS f (campaign_id, day, n)
       VALUES (m.campaign_id, m.day, m.d)
       ON CONFLICT (campaign_id, day) DO UPDATE SET n = f.n + excluded.n;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER submissions_first_day_ins AFTER INSERT ON submissions
 REFERENCING NEW TABLE AS new_rows
 FOR EACH STATEMENT EXECUTE FUNCTION submissions_first_day();
CREATE TRIGGER submissions_first_day_del AFTER DELETE ON submissions
 REFERENCING OLD TABLE AS old_rows
 FOR EACH STATEMENT EXECUTE FUNCTION submissions_first_day();
CREATE TRIGGER submissions_first_day_upd AFTER UPDATE ON submissions
 REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
 FOR EACH STATEMENT EXECUTE FUNCTION submissions_first_day();

-- ---- scores: the population and the scatter ----
-- (counter arithmetic only, nothing read: no lock needed beyond the
-- counter row's own)
CREATE TABLE campaign_score_counts (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  total BIGINT NOT NULL,
  mean DOUBLE PRECISION NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, total, mean));
CREATE INDEX assignments_spots ON assignments
 (campaign_id, latest_total, latest_mean, org_id) WHERE latest_total IS NOT NULL;
INSERT INTO campaign_score_counts (campaign_id, total, mean, n)
 SELECT campaign_id, latest_total, coalesce(latest_mean, -1), count(*) FROM assignments
 WHERE latest_total IS NOT NULL GROUP BY campaign_id, latest_total, coalesce(latest_mean, -1);
CREATE FUNCTION assignments_score_count_out(o assignments) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  UPDATE campaign_score_counts SET n = n - 1 WHERE o.latest_total IS NOT NULL
   AND campaign_id = o.campaign_id AND total = o.latest_total
   AND mean = coalesce(o.latest_mean, -1);
END $$;
CREATE FUNCTION assignments_score_count_in(a assignments) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO campaign_score_counts AS c (campaign_id, total, mean, n)
   SELECT a.campaign_id, a.latest_total, coalesce(a.latest_mean, -1), 1
   WHERE a.latest_total IS NOT NULL
   ON CONFLICT (campaign_id, total, mean) DO UPDATE SET n = c.n + 1;
END $$;
CREATE FUNCTION assignments_score_count_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM assignments_score_count_in(NEW);
  RETURN NULL;
END $$;
CREATE FUNCTION assignments_score_count_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM assignments_score_count_out(OLD);
  RETURN NULL;
END $$;
CREATE FUNCTION assignments_score_count_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM assignments_score_count_out(OLD);
  PERFORM assignments_score_count_in(NEW);
  RETURN NULL;
END $$;
CREATE TRIGGER assignments_score_count_ins AFTER INSERT ON assignments
 FOR EACH ROW WHEN (NEW.latest_total IS NOT NULL)
 EXECUTE FUNCTION assignments_score_count_ins();
CREATE TRIGGER assignments_score_count_del AFTER DELETE ON assignments
 FOR EACH ROW WHEN (OLD.latest_total IS NOT NULL)
 EXECUTE FUNCTION assignments_score_count_del();
CREATE TRIGGER assignments_score_count_upd
 AFTER UPDATE OF campaign_id, latest_total, latest_mean ON assignments
 FOR EACH ROW WHEN (OLD.campaign_id IS DISTINCT FROM NEW.campaign_id
  OR OLD.latest_total IS DISTINCT FROM NEW.latest_total
  OR OLD.latest_mean IS DISTINCT FROM NEW.latest_mean)
 EXECUTE FUNCTION assignments_score_count_upd();
