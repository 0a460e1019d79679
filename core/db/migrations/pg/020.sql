-- 20 (../020.sql): the chains summary's counts as running counters, kept
-- by triggers: each takes out what the old row contributed and adds what
-- the new one does (chainsdb_counts_check() recounts). WITHOUT ROWID
-- dropped. The triggers are plpgsql functions of the triggers' names;
-- sqlite's 0/1 truth values are (…)::int. Every row trigger here reads
-- another table than its own (nodes read assignments, assignments read
-- nodes, edges read approvals and approvals edges), so that PostgreSQL
-- running AFTER ROW triggers at the end of the statement rather than
-- after each row changes nothing. counters_lock(): see pg/001.sql.
CREATE TABLE chain_tier_counts (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  tier BIGINT NOT NULL,
  nodes BIGINT NOT NULL,
  unassigned BIGINT NOT NULL,
  waiting BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, tier));
CREATE TABLE chain_edge_counts (
  campaign_id BIGINT PRIMARY KEY REFERENCES campaigns(id),
  unapproved BIGINT NOT NULL);
CREATE INDEX chain_nodes_cycle ON chain_nodes(campaign_id, cycle, org_id)
 WHERE cycle IS NOT NULL;
CREATE INDEX invitations_live ON invitations(campaign_id, expires_at, org_id)
 WHERE used_at IS NULL;
CREATE INDEX chain_nodes_weakest ON chain_nodes
 (campaign_id, (weakest_mean IS NULL), weakest_mean, tier DESC, org_id)
 WHERE tier IS NOT NULL;
CREATE INDEX chain_nodes_page ON chain_nodes(campaign_id, (tier IS NULL), tier, org_id);

INSERT INTO chain_tier_counts (campaign_id, tier, nodes, unassigned, waiting)
 SELECT n.campaign_id, coalesce(n.tier, -1), count(*), sum((a.id IS NULL)::int),
  sum((a.id IS NOT NULL AND a.latest_submission_id IS NULL)::int)
 FROM chain_nodes n LEFT JOIN assignments a ON a.campaign_id = n.campaign_id
  AND a.org_id = n.org_id
 GROUP BY n.campaign_id, coalesce(n.tier, -1);
INSERT INTO chain_edge_counts (campaign_id, unapproved)
 SELECT e.campaign_id, sum(((e.personal <> 0 OR e.confidential <> 0) AND NOT coalesce(
  ap.personal >= e.personal AND ap.confidential >= e.confidential, false))::int)
 FROM chain_edges e LEFT JOIN chain_approvals ap ON ap.campaign_id = e.campaign_id
  AND ap.parent_id = e.parent_id AND ap.child_id = e.child_id
 GROUP BY e.campaign_id;

-- sqlite runs one writer at a time; PostgreSQL does not, and a trigger
-- reading another table would miss a row another transaction writes at
-- the same moment (a node and its assignment made at once would each
-- count without the other). Every counter trigger that reads another
-- table first takes its campaigns' rows (in id order, so two writers
-- cannot deadlock on them); under READ COMMITTED its next query sees
-- what the writer before it committed. FOR NO KEY UPDATE does not block
-- the foreign-key checks (FOR KEY SHARE) of rows being written.
CREATE FUNCTION counters_lock(VARIADIC ids BIGINT[]) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM campaigns WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
END $$;

-- ---- nodes: a node counts in its tier, with its assignment's state ----
CREATE FUNCTION chain_nodes_count_out(o chain_nodes) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  UPDATE chain_tier_counts SET nodes = nodes - 1,
   unassigned = unassigned - (NOT EXISTS (SELECT 1 FROM assignments a
    WHERE a.campaign_id = o.campaign_id AND a.org_id = o.org_id))::int,
   waiting = waiting - (EXISTS (SELECT 1 FROM assignments a
    WHERE a.campaign_id = o.campaign_id AND a.org_id = o.org_id
    AND a.latest_submission_id IS NULL))::int
   WHERE campaign_id = o.campaign_id AND tier = coalesce(o.tier, -1);
END $$;
CREATE FUNCTION chain_nodes_count_in(n chain_nodes) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO chain_tier_counts AS c (campaign_id, tier, nodes, unassigned, waiting)
   VALUES (n.campaign_id, coalesce(n.tier, -1), 1,
    (NOT EXISTS (SELECT 1 FROM assignments a WHERE a.campaign_id = n.campaign_id
     AND a.org_id = n.org_id))::int,
    (EXISTS (SELECT 1 FROM assignments a WHERE a.campaign_id = n.campaign_id
     AND a.org_id = n.org_id AND a.latest_submission_id IS NULL))::int)
   ON CONFLICT (campaign_id, tier) DO UPDATE SET nodes = c.nodes + 1,
    unassigned = c.unassigned + excluded.unassigned, waiting = c.waiting + excluded.waiting;
END $$;
CREATE FUNCTION chain_nodes_count_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(NEW.campaign_id);
  PERFORM chain_nodes_count_in(NEW);
  RETURN NULL;
END $$;
CREATE FUNCTION chain_nodes_count_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id);
  PERFORM chain_nodes_count_out(OLD);
  RETURN NULL;
END $$;
-- a node moving tier (or key): out of the old row, into the new
CREATE FUNCTION chain_nodes_count_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id, NEW.campaign_id);
  PERFORM chain_nodes_count_out(OLD);
  PERFORM chain_nodes_count_in(NEW);
  RETURN NULL;
END $$;
CREATE TRIGGER chain_nodes_count_ins AFTER INSERT ON chain_nodes
 FOR EACH ROW EXECUTE FUNCTION chain_nodes_count_ins();
CREATE TRIGGER chain_nodes_count_del AFTER DELETE ON chain_nodes
 FOR EACH ROW EXECUTE FUNCTION chain_nodes_count_del();
CREATE TRIGGER chain_nodes_count_upd AFTER UPDATE OF campaign_id, org_id, tier ON chain_nodes
 FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier OR OLD.campaign_id <> NEW.campaign_id
  OR OLD.org_id <> NEW.org_id)
 EXECUTE FUNCTION chain_nodes_count_upd();

-- ---- assignments: move the state of their node, if it is one ----
CREATE FUNCTION assignments_chain_count_out(o assignments) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  UPDATE chain_tier_counts SET unassigned = unassigned + 1,
   waiting = waiting - (o.latest_submission_id IS NULL)::int
   WHERE campaign_id = o.campaign_id AND tier = (SELECT coalesce(n.tier, -1)
    FROM chain_nodes n WHERE n.campaign_id = o.campaign_id AND n.org_id = o.org_id);
END $$;
CREATE FUNCTION assignments_chain_count_in(a assignments) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  UPDATE chain_tier_counts SET unassigned = unassigned - 1,
   waiting = waiting + (a.latest_submission_id IS NULL)::int
   WHERE campaign_id = a.campaign_id AND tier = (SELECT coalesce(n.tier, -1)
    FROM chain_nodes n WHERE n.campaign_id = a.campaign_id AND n.org_id = a.org_id);
END $$;
CREATE FUNCTION assignments_chain_count_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(NEW.campaign_id);
  PERFORM assignments_chain_count_in(NEW);
  RETURN NULL;
END $$;
CREATE FUNCTION assignments_chain_count_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id);
  PERFORM assignments_chain_count_out(OLD);
  RETURN NULL;
END $$;
CREATE FUNCTION assignments_chain_count_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id, NEW.campaign_id);
  PERFORM assignments_chain_count_out(OLD);
  PERFORM assignments_chain_count_in(NEW);
  RETURN NULL;
END $$;
CREATE TRIGGER assignments_chain_count_ins AFTER INSERT ON assignments
 FOR EACH ROW EXECUTE FUNCTION assignments_chain_count_ins();
CREATE TRIGGER assignments_chain_count_del AFTER DELETE ON assignments
 FOR EACH ROW EXECUTE FUNCTION assignments_chain_count_del();
CREATE TRIGGER assignments_chain_count_upd
 AFTER UPDATE OF campaign_id, org_id, latest_submission_id ON assignments
 FOR EACH ROW WHEN ((OLD.latest_submission_id IS NULL) <> (NEW.latest_submission_id IS NULL)
  OR OLD.campaign_id <> NEW.campaign_id OR OLD.org_id <> NEW.org_id)
 EXECUTE FUNCTION assignments_chain_count_upd();

-- ---- edges: unapproved while protected and not covered by an approval ----
CREATE FUNCTION chain_edges_unapproved(e chain_edges) RETURNS bigint
 LANGUAGE sql STABLE AS $$
  SELECT ((e.personal <> 0 OR e.confidential <> 0) AND NOT coalesce(
   (SELECT ap.personal >= e.personal AND ap.confidential >= e.confidential
    FROM chain_approvals ap WHERE ap.campaign_id = e.campaign_id
    AND ap.parent_id = e.parent_id AND ap.child_id = e.child_id), false))::int
$$;
CREATE FUNCTION chain_edges_count_out(o chain_edges) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  UPDATE chain_edge_counts SET unapproved = unapproved - chain_edges_unapproved(o)
   WHERE campaign_id = o.campaign_id;
END $$;
CREATE FUNCTION chain_edges_count_in(n chain_edges) RETURNS void
 LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO chain_edge_counts AS c (campaign_id, unapproved)
   VALUES (n.campaign_id, chain_edges_unapproved(n))
   ON CONFLICT (campaign_id) DO UPDATE SET unapproved = c.unapproved + excluded.unapproved;
END $$;
CREATE FUNCTION chain_edges_count_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(NEW.campaign_id);
  PERFORM chain_edges_count_in(NEW);
  RETURN NULL;
END $$;
CREATE FUNCTION chain_edges_count_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id);
  PERFORM chain_edges_count_out(OLD);
  RETURN NULL;
END $$;
CREATE FUNCTION chain_edges_count_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id, NEW.campaign_id);
  PERFORM chain_edges_count_out(OLD);
  PERFORM chain_edges_count_in(NEW);
  RETURN NULL;
END $$;
CREATE TRIGGER chain_edges_count_ins AFTER INSERT ON chain_edges
 FOR EACH ROW EXECUTE FUNCTION chain_edges_count_ins();
CREATE TRIGGER chain_edges_count_del AFTER DELETE ON chain_edges
 FOR EACH ROW EXECUTE FUNCTION chain_edges_count_del();
CREATE TRIGGER chain_edges_count_upd AFTER UPDATE ON chain_edges
 FOR EACH ROW EXECUTE FUNCTION chain_edges_count_upd();

-- ---- approvals: the edge they cover stops (or starts) counting ----
CREATE FUNCTION chain_approvals_covered(ap chain_approvals) RETURNS bigint
 LANGUAGE sql STABLE AS $$
  SELECT count(*) FROM chain_edges e
   WHERE e.campaign_id = ap.campaign_id AND e.parent_id = ap.parent_id
   AND e.child_id = ap.child_id AND (e.personal <> 0 OR e.confidential <> 0)
   AND ap.personal >= e.personal AND ap.confidential >= e.confidential
$$;
CREATE FUNCTION chain_approvals_count_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(NEW.campaign_id);
  UPDATE chain_edge_counts SET unapproved = unapproved - chain_approvals_covered(NEW)
   WHERE campaign_id = NEW.campaign_id;
  RETURN NULL;
END $$;
CREATE FUNCTION chain_approvals_count_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id);
  UPDATE chain_edge_counts SET unapproved = unapproved + chain_approvals_covered(OLD)
   WHERE campaign_id = OLD.campaign_id;
  RETURN NULL;
END $$;
CREATE FUNCTION chain_approvals_count_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM counters_lock(OLD.campaign_id, NEW.campaign_id);
  UPDATE chain_edge_counts SET unapproved = unapproved + chain_approvals_covered(OLD)
   WHERE campaign_id = OLD.campaign_id;
  UPDATE chain_edge_counts SET unapproved = unapproved - chain_approvals_covered(NEW)
   WHERE campaign_id = NEW.campaign_id;
  RETURN NULL;
END $$;
CREATE TRIGGER chain_approvals_count_ins AFTER INSERT ON chain_approvals
 FOR EACH ROW EXECUTE FUNCTION chain_approvals_count_ins();
CREATE TRIGGER chain_approvals_count_del AFTER DELETE ON chain_approvals
 FOR EACH ROW EXECUTE FUNCTION chain_approvals_count_del();
CREATE TRIGGER chain_approvals_count_upd AFTER UPDATE ON chain_approvals
 FOR EACH ROW EXECUTE FUNCTION chain_approvals_count_upd();
