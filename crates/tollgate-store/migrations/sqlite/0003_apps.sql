-- OpenID Connect apps and their assignments to users and groups. The client secret is kept only
-- as a SHA-256 digest; settings and profile are JSON text, kept as sent (key order included).
CREATE TABLE apps (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    label             TEXT NOT NULL,
    label_lower       TEXT NOT NULL,
    status            TEXT NOT NULL,
    client_id         TEXT NOT NULL UNIQUE,
    auth_method       TEXT NOT NULL,
    secret_digest     TEXT,
    pkce_required     BOOLEAN NOT NULL,
    auto_key_rotation BOOLEAN NOT NULL,
    settings          TEXT NOT NULL,
    profile           TEXT NOT NULL,
    link_id           TEXT NOT NULL,
    created           BIGINT NOT NULL,
    last_updated      BIGINT NOT NULL
);
CREATE INDEX apps_label ON apps (label_lower, id);

-- Direct assignments.
CREATE TABLE app_users (
    app_id       TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_name    TEXT NOT NULL,
    profile      TEXT NOT NULL,
    created      BIGINT NOT NULL,
    last_updated BIGINT NOT NULL,
    PRIMARY KEY (app_id, user_id)
);
CREATE INDEX app_users_by_user ON app_users (user_id, app_id);

CREATE TABLE app_groups (
    app_id       TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    group_id     TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    priority     BIGINT NOT NULL,
    profile      TEXT NOT NULL,
    created      BIGINT NOT NULL,
    last_updated BIGINT NOT NULL,
    PRIMARY KEY (app_id, group_id)
);
CREATE INDEX app_groups_by_group ON app_groups (group_id, app_id);
