-- Profile schemas (`/api/v1/meta/schemas/...`): the custom properties of the user schema of
-- each user type (kind `user`, id `osc…`), of the group schema (kind `group`, id `default`) and
-- of each app's app user schema (kind `apps`, id = the app id), as one JSON object of property
-- definitions. `revision` is bumped by every change, so a process can tell whether its cached
-- copy is current without re-reading the definitions.
CREATE TABLE profile_schemas (
    kind          TEXT NOT NULL,
    id            TEXT NOT NULL,
    properties    TEXT NOT NULL,
    revision      BIGINT NOT NULL DEFAULT 0,
    created       BIGINT NOT NULL,
    last_updated  BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);

-- User types (`/api/v1/meta/types/user`). The built-in default type is seeded at start-up;
-- `is_default` is 1 for it only. Each type has its own user schema (`schema_id`).
CREATE TABLE user_types (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    description      TEXT,
    is_default       BIGINT NOT NULL DEFAULT 0,
    schema_id        TEXT NOT NULL,
    created          BIGINT NOT NULL,
    created_by       TEXT NOT NULL,
    last_updated     BIGINT NOT NULL,
    last_updated_by  TEXT NOT NULL
);
CREATE INDEX user_types_created ON user_types (created, id);

-- A user's type; NULL is the default type.
ALTER TABLE users ADD COLUMN type_id TEXT;
CREATE INDEX users_by_type ON users (type_id);
