-- 7: re-entrustment chains. declarations: what each accepted version
-- declared (history); chain_edges: the current edges of each
-- campaign (the declarations of each parent's latest version);
-- chain_nodes: every organisation in a campaign's graph with what
-- the incremental recompute derives (tier = depth from the
-- entrusting company, the weakest link on its worst shortest path,
-- the cycle it is part of); invitations: enrolment tokens, stored
-- as SHA-256 only; chain_approvals: who approved a re-entrustment
-- passing on personal or confidential data, and when.
CREATE TABLE declarations (
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  child_id TEXT NOT NULL,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  personal INTEGER NOT NULL,
  confidential INTEGER NOT NULL,
  PRIMARY KEY (submission_id, child_id));
CREATE TABLE chain_edges (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  parent_id TEXT NOT NULL,
  child_id TEXT NOT NULL,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  personal INTEGER NOT NULL,
  confidential INTEGER NOT NULL,
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  PRIMARY KEY (campaign_id, parent_id, child_id)) WITHOUT ROWID;
CREATE INDEX chain_edges_child ON chain_edges(campaign_id, child_id, parent_id);
CREATE TABLE chain_nodes (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  direct INTEGER NOT NULL DEFAULT 0,
  tier INTEGER,
  best_parent TEXT,
  weakest_org TEXT,
  weakest_total INTEGER,
  cycle TEXT,
  PRIMARY KEY (campaign_id, org_id)) WITHOUT ROWID;
CREATE INDEX chain_nodes_tier ON chain_nodes(campaign_id, tier, org_id);
CREATE TABLE invitations (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  variant TEXT NOT NULL,
  parent_id TEXT,
  token_sha256 TEXT NOT NULL UNIQUE,
  invited_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT);
CREATE INDEX invitations_org ON invitations(campaign_id, org_id);
CREATE TABLE chain_approvals (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  parent_id TEXT NOT NULL,
  child_id TEXT NOT NULL,
  personal INTEGER NOT NULL,
  confidential INTEGER NOT NULL,
  approved_by TEXT NOT NULL,
  approved_at TEXT NOT NULL,
  PRIMARY KEY (campaign_id, parent_id, child_id));
ALTER TABLE assignments ADD COLUMN invited_by TEXT;
ALTER TABLE campaigns ADD COLUMN vendor_invites INTEGER NOT NULL DEFAULT 0;
-- the assignments made so far are the entrusting company's direct
-- vendors: tier 1, their own weakest link
INSERT INTO chain_nodes (campaign_id, org_id, name, direct, tier, weakest_org,
 weakest_total) SELECT a.campaign_id, a.org_id, o.name, 1, 1,
 CASE WHEN a.latest_total IS NOT NULL THEN a.org_id END, a.latest_total
 FROM assignments a JOIN organisations o ON o.id = a.org_id;
