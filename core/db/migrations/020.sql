-- 20: the chains summary's counts as running counters, so that the
-- summary reads a few rows instead of counting every node of the
-- campaign on each request. Triggers keep them: every writer of
-- chain_nodes, assignments, chain_edges and chain_approvals (the
-- acceptance, assignments, enrolment, approvals, pruning, a script) moves
-- them in its own transaction, none can forget to. Each trigger takes out
-- what the old row contributed and adds what the new one does, so the
-- counters equal a full recount (chainsdb_counts_check()) after any
-- sequence of writes. chain_approvals are upserted, never INSERT OR
-- REPLACE'd: a REPLACE fires no delete trigger.
--
-- chain_tier_counts: per campaign and tier (-1: unreachable) the nodes,
-- those without an assignment (unassigned) and those with one that has no
-- accepted submission (waiting; overdue once the campaign is past due).
-- chain_edge_counts: per campaign the edges passing on protected data
-- without an approval covering it. "invited" depends on the clock (an
-- invitation is current until it expires) and is read from the live
-- invitations alone (invitations_live); cycles from chain_nodes_cycle.
CREATE TABLE chain_tier_counts (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  tier INTEGER NOT NULL,
  nodes INTEGER NOT NULL,
  unassigned INTEGER NOT NULL,
  waiting INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, tier)) WITHOUT ROWID;
CREATE TABLE chain_edge_counts (
  campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id),
  unapproved INTEGER NOT NULL);
CREATE INDEX chain_nodes_cycle ON chain_nodes(campaign_id, cycle, org_id)
 WHERE cycle IS NOT NULL;
CREATE INDEX invitations_live ON invitations(campaign_id, expires_at, org_id)
 WHERE used_at IS NULL;
-- the weakest paths: leaves in the order they are listed, so the first
-- ones are read off the index instead of sorting every node
CREATE INDEX chain_nodes_weakest ON chain_nodes
 (campaign_id, weakest_mean IS NULL, weakest_mean, tier DESC, org_id)
 WHERE tier IS NOT NULL;
-- the nodes page: reachable nodes by tier, unreachable ones last
CREATE INDEX chain_nodes_page ON chain_nodes(campaign_id, tier IS NULL, tier, org_id);

INSERT INTO chain_tier_counts (campaign_id, tier, nodes, unassigned, waiting)
 SELECT n.campaign_id, coalesce(n.tier, -1), count(*), sum(a.id IS NULL),
  sum(a.id IS NOT NULL AND a.latest_submission_id IS NULL)
 FROM chain_nodes n LEFT JOIN assignments a ON a.campaign_id = n.campaign_id
  AND a.org_id = n.org_id
 GROUP BY n.campaign_id, coalesce(n.tier, -1);
INSERT INTO chain_edge_counts (campaign_id, unapproved)
 SELECT e.campaign_id, sum((e.personal OR e.confidential) AND NOT coalesce(
  ap.personal >= e.personal AND ap.confidential >= e.confidential, 0))
 FROM chain_edges e LEFT JOIN chain_approvals ap ON ap.campaign_id = e.campaign_id
  AND ap.parent_id = e.parent_id AND ap.child_id = e.child_id
 GROUP BY e.campaign_id;

-- ---- nodes: a node counts in its tier, with its assignment's state ----
CREATE TRIGGER chain_nodes_count_ins AFTER INSERT ON chain_nodes BEGIN
  INSERT INTO chain_tier_counts (campaign_id, tier, nodes, unassigned, waiting)
   VALUES (new.campaign_id, coalesce(new.tier, -1), 1,
    NOT EXISTS (SELECT 1 FROM assignments a WHERE a.campaign_id = new.campaign_id
     AND a.org_id = new.org_id),
    EXISTS (SELECT 1 FROM assignments a WHERE a.campaign_id = new.campaign_id
     AND a.org_id = new.org_id AND a.latest_submission_id IS NULL))
   ON CONFLICT (campaign_id, tier) DO UPDATE SET nodes = nodes + 1,
    unassigned = unassigned + excluded.unassigned, waiting = waiting + excluded.waiting;
END;
CREATE TRIGGER chain_nodes_count_del AFTER DELETE ON chain_nodes BEGIN
  UPDATE chain_tier_counts SET nodes = nodes - 1,
   unassigned = unassigned - (NOT EXISTS (SELECT 1 FROM assignments a
    WHERE a.campaign_id = old.campaign_id AND a.org_id = old.org_id)),
   waiting = waiting - EXISTS (SELECT 1 FROM assignments a
    WHERE a.campaign_id = old.campaign_id AND a.org_id = old.org_id
    AND a.latest_submission_id IS NULL)
   WHERE campaign_id = old.campaign_id AND tier = coalesce(old.tier, -1);
END;
-- a node moving tier (or key): out of the old row, into the new
CREATE TRIGGER chain_nodes_count_upd AFTER UPDATE OF campaign_id, org_id, tier ON chain_nodes
 WHEN old.tier IS NOT new.tier OR old.campaign_id <> new.campaign_id
  OR old.org_id <> new.org_id BEGIN
  UPDATE chain_tier_counts SET nodes = nodes - 1,
   unassigned = unassigned - (NOT EXISTS (SELECT 1 FROM assignments a
    WHERE a.campaign_id = old.campaign_id AND a.org_id = old.org_id)),
   waiting = waiting - EXISTS (SELECT 1 FROM assignments a
    WHERE a.campaign_id = old.campaign_id AND a.org_id = old.org_id
    AND a.latest_submission_id IS NULL)
   WHERE campaign_id = old.campaign_id AND tier = coalesce(old.tier, -1);
  INSERT INTO chain_tier_counts (campaign_id, tier, nodes, unassigned, waiting)
   VALUES (new.campaign_id, coalesce(new.tier, -1), 1,
    NOT EXISTS (SELECT 1 FROM assignments a WHERE a.campaign_id = new.campaign_id
     AND a.org_id = new.org_id),
    EXISTS (SELECT 1 FROM assignments a WHERE a.campaign_id = new.campaign_id
     AND a.org_id = new.org_id AND a.latest_submission_id IS NULL))
   ON CONFLICT (campaign_id, tier) DO UPDATE SET nodes = nodes + 1,
    unassigned = unassigned + excluded.unassigned, waiting = waiting + excluded.waiting;
END;

-- ---- assignments: move the state of their node, if it is one ----
CREATE TRIGGER assignments_chain_count_ins AFTER INSERT ON assignments BEGIN
  UPDATE chain_tier_counts SET unassigned = unassigned - 1,
   waiting = waiting + (new.latest_submission_id IS NULL)
   WHERE campaign_id = new.campaign_id AND tier = (SELECT coalesce(n.tier, -1)
    FROM chain_nodes n WHERE n.campaign_id = new.campaign_id AND n.org_id = new.org_id);
END;
CREATE TRIGGER assignments_chain_count_del AFTER DELETE ON assignments BEGIN
  UPDATE chain_tier_counts SET unassigned = unassigned + 1,
   waiting = waiting - (old.latest_submission_id IS NULL)
   WHERE campaign_id = old.campaign_id AND tier = (SELECT coalesce(n.tier, -1)
    FROM chain_nodes n WHERE n.campaign_id = old.campaign_id AND n.org_id = old.org_id);
END;
CREATE TRIGGER assignments_chain_count_upd
 AFTER UPDATE OF campaign_id, org_id, latest_submission_id ON assignments
 WHEN (old.latest_submission_id IS NULL) <> (new.latest_submission_id IS NULL)
  OR old.campaign_id <> new.campaign_id OR old.org_id <> new.org_id BEGIN
  UPDATE chain_tier_counts SET unassigned = unassigned + 1,
   waiting = waiting - (old.latest_submission_id IS NULL)
   WHERE campaign_id = old.campaign_id AND tier = (SELECT coalesce(n.tier, -1)
    FROM chain_nodes n WHERE n.campaign_id = old.campaign_id AND n.org_id = old.org_id);
  UPDATE chain_tier_counts SET unassigned = unassigned - 1,
   waiting = waiting + (new.latest_submission_id IS NULL)
   WHERE campaign_id = new.campaign_id AND tier = (SELECT coalesce(n.tier, -1)
    FROM chain_nodes n WHERE n.campaign_id = new.campaign_id AND n.org_id = new.org_id);
END;

-- ---- edges: unapproved while protected and not covered by an approval ----
CREATE TRIGGER chain_edges_count_ins AFTER INSERT ON chain_edges BEGIN
  INSERT INTO chain_edge_counts (campaign_id, unapproved)
   VALUES (new.campaign_id, (new.personal OR new.confidential) AND NOT coalesce(
    (SELECT ap.personal >= new.personal AND ap.confidential >= new.confidential
     FROM chain_approvals ap WHERE ap.campaign_id = new.campaign_id
     AND ap.parent_id = new.parent_id AND ap.child_id = new.child_id), 0))
   ON CONFLICT (campaign_id) DO UPDATE SET unapproved = unapproved + excluded.unapproved;
END;
CREATE TRIGGER chain_edges_count_del AFTER DELETE ON chain_edges BEGIN
  UPDATE chain_edge_counts SET unapproved = unapproved - ((old.personal OR old.confidential)
   AND NOT coalesce((SELECT ap.personal >= old.personal AND ap.confidential >= old.confidential
    FROM chain_approvals ap WHERE ap.campaign_id = old.campaign_id
    AND ap.parent_id = old.parent_id AND ap.child_id = old.child_id), 0))
   WHERE campaign_id = old.campaign_id;
END;
CREATE TRIGGER chain_edges_count_upd AFTER UPDATE ON chain_edges BEGIN
  UPDATE chain_edge_counts SET unapproved = unapproved - ((old.personal OR old.confidential)
   AND NOT coalesce((SELECT ap.personal >= old.personal AND ap.confidential >= old.confidential
    FROM chain_approvals ap WHERE ap.campaign_id = old.campaign_id
    AND ap.parent_id = old.parent_id AND ap.child_id = old.child_id), 0))
   WHERE campaign_id = old.campaign_id;
  INSERT INTO chain_edge_counts (campaign_id, unapproved)
   VALUES (new.campaign_id, (new.personal OR new.confidential) AND NOT coalesce(
    (SELECT ap.personal >= new.personal AND ap.confidential >= new.confidential
     FROM chain_approvals ap WHERE ap.campaign_id = new.campaign_id
     AND ap.parent_id = new.parent_id AND ap.child_id = new.child_id), 0))
   ON CONFLICT (campaign_id) DO UPDATE SET unapproved = unapproved + excluded.unapproved;
END;

-- ---- approvals: the edge they cover stops (or starts) counting ----
CREATE TRIGGER chain_approvals_count_ins AFTER INSERT ON chain_approvals BEGIN
  UPDATE chain_edge_counts SET unapproved = unapproved - (SELECT count(*) FROM chain_edges e
   WHERE e.campaign_id = new.campaign_id AND e.parent_id = new.parent_id
   AND e.child_id = new.child_id AND (e.personal OR e.confidential)
   AND new.personal >= e.personal AND new.confidential >= e.confidential)
   WHERE campaign_id = new.campaign_id;
END;
CREATE TRIGGER chain_approvals_count_del AFTER DELETE ON chain_approvals BEGIN
  UPDATE chain_edge_counts SET unapproved = unapproved + (SELECT count(*) FROM chain_edges e
   WHERE e.campaign_id = old.campaign_id AND e.parent_id = old.parent_id
   AND e.child_id = old.child_id AND (e.personal OR e.confidential)
   AND old.personal >= e.personal AND old.confidential >= e.confidential)
   WHERE campaign_id = old.campaign_id;
END;
CREATE TRIGGER chain_approvals_count_upd AFTER UPDATE ON chain_approvals BEGIN
  UPDATE chain_edge_counts SET unapproved = unapproved + (SELECT count(*) FROM chain_edges e
   WHERE e.campaign_id = old.campaign_id AND e.parent_id = old.parent_id
   AND e.child_id = old.child_id AND (e.personal OR e.confidential)
   AND old.personal >= e.personal AND old.confidential >= e.confidential)
   WHERE campaign_id = old.campaign_id;
  UPDATE chain_edge_counts SET unapproved = unapproved - (SELECT count(*) FROM chain_edges e
   WHERE e.campaign_id = new.campaign_id AND e.parent_id = new.parent_id
   AND e.child_id = new.child_id AND (e.personal OR e.confidential)
   AND new.personal >= e.personal AND new.confidential >= e.confidential)
   WHERE campaign_id = new.campaign_id;
END;
