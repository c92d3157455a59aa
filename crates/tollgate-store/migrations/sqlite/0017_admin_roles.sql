-- Admin roles: standard roles assigned to a user or a group, their targets (groups, or catalog
-- apps and app instances), and the owner of each API token (the admin it acts as).
ALTER TABLE api_tokens ADD COLUMN user_id TEXT;

CREATE TABLE admin_roles (
    principal_type TEXT NOT NULL,  -- USER or GROUP
    principal_id   TEXT NOT NULL,
    role_type      TEXT NOT NULL,
    created        BIGINT NOT NULL,
    last_updated   BIGINT NOT NULL,
    PRIMARY KEY (principal_type, principal_id, role_type)
);

CREATE TABLE admin_role_targets (
    principal_type TEXT NOT NULL,
    principal_id   TEXT NOT NULL,
    role_type      TEXT NOT NULL,
    kind           TEXT NOT NULL,  -- GROUP or APP
    target         TEXT NOT NULL,  -- the group id, or the app's catalog name
    app_id         TEXT NOT NULL DEFAULT '',  -- one app instance; '' for every instance
    created        BIGINT NOT NULL,
    PRIMARY KEY (principal_type, principal_id, role_type, kind, target, app_id),
    FOREIGN KEY (principal_type, principal_id, role_type)
        REFERENCES admin_roles (principal_type, principal_id, role_type) ON DELETE CASCADE
);
