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
