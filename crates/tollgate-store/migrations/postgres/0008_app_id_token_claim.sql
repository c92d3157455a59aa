-- The org authorization server's ID-token groups claim, one per app (set in Okta's admin UI).
CREATE TABLE app_id_token_claims (
    app_id            TEXT PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    value_type        TEXT NOT NULL,
    group_filter_type TEXT,
    value             TEXT NOT NULL
);
