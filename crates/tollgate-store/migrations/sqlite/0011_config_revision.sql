-- A counter bumped in the same transaction as every change to a custom authorization server,
-- its scopes, claims, policies or rules. Processes cache a server's configuration in memory and
-- compare this one number to learn whether another process changed it.
ALTER TABLE authorization_servers ADD COLUMN config_revision BIGINT NOT NULL DEFAULT 0;
