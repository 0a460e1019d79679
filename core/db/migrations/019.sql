-- 19: the key of each bound certificate (SHA-256 of its
-- SubjectPublicKeyInfo). Revoking a certificate revokes its key: no later
-- certificate for the same key is bound (a renewal or an issue from the
-- same request, an enrolment, a bind), and certificates of the same key
-- are revoked together. Rows bound before this have NULL: their keys were
-- not kept, so only new bindings are checked against them.
ALTER TABLE certificates ADD COLUMN key_sha256 TEXT;
CREATE INDEX certificates_key ON certificates(key_sha256);
