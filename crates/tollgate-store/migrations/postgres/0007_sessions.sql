-- Sign-in: one-time tokens (sessionToken, stateToken) and browser sessions. Tokens and cookies
-- are stored as SHA-256 digests, never in the clear.
CREATE TABLE one_time_tokens (
    digest     TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created    BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX one_time_tokens_expiry ON one_time_tokens (expires_at);

CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    cookie_digest  TEXT NOT NULL UNIQUE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created        BIGINT NOT NULL,
    auth_time      BIGINT NOT NULL,
    last_seen      BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    amr            TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
