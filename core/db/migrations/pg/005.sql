-- 5 (../005.sql): which campaign a submission answered (NULL: a free
-- submission)
ALTER TABLE submissions ADD COLUMN campaign_id BIGINT
 REFERENCES campaigns(id);
CREATE INDEX submissions_campaign ON submissions(campaign_id, org_id);
