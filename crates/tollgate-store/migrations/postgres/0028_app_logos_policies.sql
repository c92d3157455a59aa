-- The logo uploaded for an app (`POST /api/v1/apps/{appId}/logo`): the image as sent, its
-- format (png, jpg, gif or svg) and the start of its SHA-256 digest, which names the file it is
-- served under. It goes with its app.
CREATE TABLE app_logos (
    app_id   TEXT PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    digest   TEXT NOT NULL,
    format   TEXT NOT NULL,
    image    BYTEA NOT NULL,
    updated  BIGINT NOT NULL
);

-- The org's sign-in policies (`/api/v1/policies`): its default `ACCESS_POLICY` and
-- `PROFILE_ENROLLMENT` policies, made with the org (`system`, at most one of each type).
CREATE TABLE org_policies (
    id            TEXT PRIMARY KEY,
    type          TEXT NOT NULL,
    name          TEXT NOT NULL,
    priority      BIGINT NOT NULL,
    system        BOOLEAN NOT NULL,
    status        TEXT NOT NULL,
    created       BIGINT NOT NULL,
    last_updated  BIGINT NOT NULL
);
CREATE UNIQUE INDEX org_policies_system ON org_policies (type) WHERE system;

-- The sign-in policy assigned to an app; an app without a row uses the default one.
CREATE TABLE app_access_policies (
    app_id     TEXT PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    policy_id  TEXT NOT NULL REFERENCES org_policies (id)
);
