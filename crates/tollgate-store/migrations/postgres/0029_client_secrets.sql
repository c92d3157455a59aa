-- An OAuth client may hold up to two secrets (rotation). The column keeps them as a JSON list
-- of {id, digest, hash, hint, status, created, last_updated}; a bare hex digest written before
-- this migration still reads as the client's one active secret.
ALTER TABLE apps RENAME COLUMN secret_digest TO client_secrets;
