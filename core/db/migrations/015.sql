-- 15: the weakest link compares mean levels, not totals (a vendor of a
-- variant with fewer items answering 5 everywhere, total 75, is not weaker
-- than a full one answering 3, total 81). weakest_mean: the weakest's mean
-- level in thousandths (3.25: 3250); weakest_total stays, shown beside it.
-- Nodes computed before have weakest_org set and weakest_mean NULL: the
-- code step after the migrations (chainsdb_upgrade_means) recomputes every
-- node of their campaigns, since the weakest path itself may change.
ALTER TABLE chain_nodes ADD COLUMN weakest_mean INTEGER;
