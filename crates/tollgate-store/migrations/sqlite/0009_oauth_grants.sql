-- OAuth grants: what a user (or client) was granted, and the artefacts that carry it. A grant
-- is the family of one authorization: its code, its refresh tokens (each rotation adds one) and
-- the access tokens minted from them, so a replayed code or refresh token revokes them together.
-- Codes and refresh tokens are stored as SHA-256 digests, never in the clear.
CREATE TABLE oauth_grants (
    id                     TEXT PRIMARY KEY,
    server_id              TEXT NOT NULL,
    client_id              TEXT NOT NULL,
    user_id                TEXT REFERENCES users (id) ON DELETE CASCADE,
    grant_type             TEXT NOT NULL,
    scopes                 TEXT NOT NULL,
    auth_time              BIGINT,
    amr                    TEXT NOT NULL,
    session_id             TEXT,
    nonce                  TEXT,
    access_minutes         BIGINT NOT NULL,
    refresh_minutes        BIGINT NOT NULL,
    refresh_window_minutes BIGINT NOT NULL,
    created                BIGINT NOT NULL,
    revoked_at             BIGINT
);

CREATE TABLE oauth_codes (
    digest         TEXT PRIMARY KEY,
    grant_id       TEXT NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT,
    expires_at     BIGINT NOT NULL,
    used_at        BIGINT
);
CREATE INDEX oauth_codes_grant ON oauth_codes (grant_id);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);

CREATE TABLE oauth_refresh_tokens (
    digest          TEXT PRIMARY KEY,
    grant_id        TEXT NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    created         BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    idle_expires_at BIGINT NOT NULL,
    replaced_at     BIGINT
);
CREATE INDEX oauth_refresh_tokens_grant ON oauth_refresh_tokens (grant_id);
CREATE INDEX oauth_refresh_tokens_expiry ON oauth_refresh_tokens (idle_expires_at);

-- Access tokens are JWTs; a row exists only for those that can be revoked as part of a grant
-- family, or once one has been revoked by itself.
CREATE TABLE oauth_access_tokens (
    jti        TEXT PRIMARY KEY,
    grant_id   TEXT REFERENCES oauth_grants (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX oauth_access_tokens_grant ON oauth_access_tokens (grant_id);
CREATE INDEX oauth_access_tokens_expiry ON oauth_access_tokens (expires_at);
