-- Group rules (`/api/v1/groups/rules`). `excluded_users` and `group_ids` are JSON lists of ids;
-- `name_lower` serves the `search` keyword. Rules are few (Okta caps them in the thousands), so
-- the active ones are read whole whenever a user is created or changed.
CREATE TABLE group_rules (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    name_lower     TEXT NOT NULL,
    status         TEXT NOT NULL,
    expression     TEXT NOT NULL,
    excluded_users TEXT NOT NULL,
    group_ids      TEXT NOT NULL,
    created        BIGINT NOT NULL,
    last_updated   BIGINT NOT NULL
);
CREATE INDEX group_rules_by_created ON group_rules (created, id);
-- A membership a group rule made (an admin's or an org file's is FALSE): only these are removed
-- when the user stops matching, and removing one by hand excludes the user from the rule.
ALTER TABLE group_members ADD COLUMN managed_by_rule BOOLEAN NOT NULL DEFAULT FALSE;
