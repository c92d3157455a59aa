-- Users, groups and memberships. The built-in Everyone group has no membership rows: every
-- user is in it by definition.
CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    status           TEXT NOT NULL,
    login_lower      TEXT NOT NULL UNIQUE,
    profile          TEXT NOT NULL,
    password_hash    TEXT,
    password_changed BIGINT,
    failed_logins    BIGINT NOT NULL DEFAULT 0,
    created          BIGINT NOT NULL,
    activated        BIGINT,
    status_changed   BIGINT,
    last_login       BIGINT,
    last_updated     BIGINT NOT NULL
);
-- Lists page in creation order with a (created, id) keyset.
CREATE INDEX users_by_created ON users (created, id);

CREATE TABLE user_groups (
    id                      TEXT PRIMARY KEY,
    type                    TEXT NOT NULL,
    name                    TEXT NOT NULL,
    name_lower              TEXT NOT NULL,
    description             TEXT,
    profile                 TEXT NOT NULL,
    source_app_id           TEXT,
    created                 BIGINT NOT NULL,
    last_updated            BIGINT NOT NULL,
    last_membership_updated BIGINT NOT NULL
);
-- Okta refuses two groups of the same name, except groups that come from an app.
CREATE UNIQUE INDEX user_groups_name ON user_groups (name_lower) WHERE type <> 'APP_GROUP';
CREATE INDEX user_groups_name_prefix ON user_groups (name_lower, id);
CREATE INDEX user_groups_by_created ON user_groups (created, id);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created  BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (user_id, group_id);
