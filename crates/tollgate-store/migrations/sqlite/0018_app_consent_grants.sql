-- Consent grants of apps to Okta's management scopes (`/api/v1/apps/{appId}/grants`, and a
-- user's own under `/api/v1/users/{userId}/grants`). Admin grants have no user; grants go
-- with their app (and a user's with the user).
CREATE TABLE app_consent_grants (
    id               TEXT PRIMARY KEY,
    app_id           TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    client_id        TEXT NOT NULL,
    scope_id         TEXT NOT NULL,
    issuer           TEXT NOT NULL,
    source           TEXT NOT NULL,
    user_id          TEXT REFERENCES users (id) ON DELETE CASCADE,
    created_by_id    TEXT NOT NULL,
    created_by_type  TEXT NOT NULL,
    created          BIGINT NOT NULL
);
CREATE INDEX app_consent_grants_app ON app_consent_grants (app_id, created, id);
CREATE INDEX app_consent_grants_user ON app_consent_grants (user_id, created, id);
