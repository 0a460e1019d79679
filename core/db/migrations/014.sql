-- 14: the audit log searched from the dashboard (/admin/audit) by actor,
-- action and time: each an index, so that a search reads the entries it
-- shows and not the whole log (an index's entries are ordered by seq
-- within one value, which is the order a search lists them in). object
-- has its index since 6.
CREATE INDEX audit_actor ON audit_log(actor);
CREATE INDEX audit_action ON audit_log(action);
CREATE INDEX audit_at ON audit_log(at);
