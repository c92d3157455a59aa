-- The System Log. `body` is the event in Okta's JSON shape; the other columns are what queries
-- filter and sort on. `target_ids` holds the target ids between spaces (" id1 id2 ").
CREATE TABLE log_events (
    seq            BIGSERIAL PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    published      BIGINT NOT NULL,
    event_type     TEXT NOT NULL,
    severity       TEXT NOT NULL,
    actor_id       TEXT NOT NULL,
    outcome_result TEXT NOT NULL,
    client_ip      TEXT,
    target_ids     TEXT NOT NULL,
    body           TEXT NOT NULL,
    search_text    TEXT NOT NULL
);
CREATE INDEX log_events_published ON log_events (published, seq);
CREATE INDEX log_events_type ON log_events (event_type, published, seq);
CREATE INDEX log_events_actor ON log_events (actor_id, published, seq);
CREATE INDEX log_events_outcome ON log_events (outcome_result, published, seq);
