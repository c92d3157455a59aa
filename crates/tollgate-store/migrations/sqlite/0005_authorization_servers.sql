-- Custom authorization servers: signing rotation mode, a marker for the built-in objects of
-- the default server, and scopes, claims, policies and rules. Booleans are 0/1 integers;
-- lists and conditions are JSON text.
ALTER TABLE authorization_servers ADD COLUMN rotation_mode TEXT NOT NULL DEFAULT 'AUTO';
ALTER TABLE authorization_servers ADD COLUMN seeded BIGINT NOT NULL DEFAULT 0;

CREATE TABLE authz_scopes (
    id                TEXT PRIMARY KEY,
    server_id         TEXT NOT NULL REFERENCES authorization_servers (id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    display_name      TEXT,
    description       TEXT,
    system            BIGINT NOT NULL,
    is_default        BIGINT NOT NULL,
    optional          BIGINT NOT NULL,
    consent           TEXT NOT NULL,
    metadata_publish  TEXT NOT NULL,
    created           BIGINT NOT NULL,
    last_updated      BIGINT NOT NULL,
    UNIQUE (server_id, name)
);

CREATE TABLE authz_claims (
    id                 TEXT PRIMARY KEY,
    server_id          TEXT NOT NULL REFERENCES authorization_servers (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    status             TEXT NOT NULL,
    claim_type         TEXT NOT NULL,
    value_type         TEXT NOT NULL,
    value              TEXT NOT NULL,
    group_filter_type  TEXT,
    always_include     BIGINT NOT NULL,
    scopes             TEXT NOT NULL,
    system             BIGINT NOT NULL,
    created            BIGINT NOT NULL,
    last_updated       BIGINT NOT NULL,
    UNIQUE (server_id, name, claim_type)
);

CREATE TABLE authz_policies (
    id            TEXT PRIMARY KEY,
    server_id     TEXT NOT NULL REFERENCES authorization_servers (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    priority      BIGINT NOT NULL,
    status        TEXT NOT NULL,
    system        BIGINT NOT NULL,
    clients       TEXT NOT NULL,
    created       BIGINT NOT NULL,
    last_updated  BIGINT NOT NULL
);
CREATE INDEX authz_policies_server ON authz_policies (server_id, priority);

CREATE TABLE authz_rules (
    id            TEXT PRIMARY KEY,
    policy_id     TEXT NOT NULL REFERENCES authz_policies (id) ON DELETE CASCADE,
    server_id     TEXT NOT NULL REFERENCES authorization_servers (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    priority      BIGINT NOT NULL,
    status        TEXT NOT NULL,
    system        BIGINT NOT NULL,
    conditions    TEXT NOT NULL,
    actions       TEXT NOT NULL,
    created       BIGINT NOT NULL,
    last_updated  BIGINT NOT NULL
);
CREATE INDEX authz_rules_policy ON authz_rules (policy_id, priority);
CREATE INDEX authz_rules_server ON authz_rules (server_id);
