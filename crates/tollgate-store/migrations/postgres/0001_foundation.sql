-- The org (one row), admin API tokens (stored as SHA-256 digests) and authorization servers.
-- Timestamps are milliseconds since the Unix epoch; JSON is kept as text.
CREATE TABLE org (
    singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
    id            TEXT NOT NULL UNIQUE,
    subdomain     TEXT NOT NULL,
    company_name  TEXT NOT NULL,
    settings      TEXT NOT NULL,
    created       BIGINT NOT NULL,
    last_updated  BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    token_digest  TEXT NOT NULL UNIQUE,
    created       BIGINT NOT NULL,
    last_used     BIGINT
);

CREATE TABLE authorization_servers (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    description   TEXT NOT NULL,
    audiences     TEXT NOT NULL,
    issuer_mode   TEXT NOT NULL,
    status        TEXT NOT NULL,
    created       BIGINT NOT NULL,
    last_updated  BIGINT NOT NULL
);
