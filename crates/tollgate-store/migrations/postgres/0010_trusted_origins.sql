-- Trusted origins (`/api/v1/trustedOrigins`). `origin` is kept as given; `origin_key` is its
-- canonical form (what browsers send in `Origin`), unique so one origin has one entry and the
-- CORS check is an index lookup. `scope_types` holds the scope types space-separated with
-- surrounding spaces (" CORS REDIRECT ") for `filter=type eq "CORS"`; `scopes` is the JSON list.
CREATE TABLE trusted_origins (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    origin           TEXT NOT NULL,
    origin_key       TEXT NOT NULL UNIQUE,
    scopes           TEXT NOT NULL,
    scope_types      TEXT NOT NULL,
    status           TEXT NOT NULL,
    created          BIGINT NOT NULL,
    created_by       TEXT NOT NULL,
    last_updated     BIGINT NOT NULL,
    last_updated_by  TEXT NOT NULL
);
CREATE INDEX trusted_origins_created ON trusted_origins (created, id);
