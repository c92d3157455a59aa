-- A password per app assignment (`credentials.password` of password-based apps), sealed under
-- the master key, and when it was last set. Never stored in clear, never returned.
ALTER TABLE app_users ADD COLUMN password BYTEA;
ALTER TABLE app_users ADD COLUMN password_changed BIGINT;
