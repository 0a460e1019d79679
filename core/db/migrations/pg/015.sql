-- 15 (../015.sql): the weakest link's mean level in thousandths (the code
-- step chainsdb_upgrade_means recomputes nodes of before)
ALTER TABLE chain_nodes ADD COLUMN weakest_mean BIGINT;
