-- 17 (../017.sql): invitations of direct vendors
ALTER TABLE invitations ADD COLUMN direct BIGINT NOT NULL DEFAULT 0;
