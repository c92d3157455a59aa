-- Associated (trusted) authorization servers: `server_id` accepts tokens issued by
-- `trusted_id` (`/api/v1/authorizationServers/{id}/associatedServers`). Both rows go when
-- either server is deleted.
CREATE TABLE authz_associated_servers (
    server_id   TEXT NOT NULL REFERENCES authorization_servers (id) ON DELETE CASCADE,
    trusted_id  TEXT NOT NULL REFERENCES authorization_servers (id) ON DELETE CASCADE,
    created     BIGINT NOT NULL,
    PRIMARY KEY (server_id, trusted_id)
);
CREATE INDEX authz_associated_servers_trusted ON authz_associated_servers (trusted_id);
