-- 17: invitations of direct vendors. An invitation was only ever for a
-- subcontractor somebody declared; the entrusting company now invites its
-- own vendors the same way (the key made on the vendor's side), and their
-- enrolment makes a tier-1 assignment (invited_by NULL) rather than one
-- "invited by the entrusting company" below a declaring vendor.
ALTER TABLE invitations ADD COLUMN direct INTEGER NOT NULL DEFAULT 0;
