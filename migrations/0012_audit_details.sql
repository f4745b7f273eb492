-- What an audit entry touched, beyond its ids: for a key, feed token or session created or revoked,
-- the subject's role, label and partner (never a secret or its hash). JSON; NULL for older rows.
ALTER TABLE audit_log ADD COLUMN details TEXT;
