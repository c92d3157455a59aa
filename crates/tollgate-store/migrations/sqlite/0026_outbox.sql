-- The local outbox: e-mail messages kept in the database when no SMTP server is configured, so
-- `tollgate outbox` can show them (with their links) in development and CI.
CREATE TABLE outbox (
    id        TEXT PRIMARY KEY,
    created   BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject   TEXT NOT NULL,
    body      TEXT NOT NULL
);
CREATE INDEX outbox_created ON outbox (created);
