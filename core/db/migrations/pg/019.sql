-- 19 (../019.sql): the key of each bound certificate
ALTER TABLE certificates ADD COLUMN key_sha256 TEXT COLLATE "C";
CREATE INDEX certificates_key ON certificates(key_sha256);
