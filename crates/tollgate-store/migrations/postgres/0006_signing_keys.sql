-- Signing keys. One key set per issuer: `server_id` is a custom authorization server's id
-- (`aus…`, `default`) or `org` for the org authorization server. `generation` grows with every
-- rotation, so processes sharing the database can tell cheaply that their cached keys are stale.
-- A custom server's rotation mode lives with the server; the org server always rotates (AUTO).
CREATE TABLE key_sets (
    server_id      TEXT PRIMARY KEY,
    generation     BIGINT NOT NULL,
    last_rotated   BIGINT NOT NULL,
    created        BIGINT NOT NULL
);

-- `private_key` is the PKCS#8 DER key sealed with AES-256-GCM under the master key
-- (nonce || ciphertext || tag); `jwk` is the public JWK as JSON text.
CREATE TABLE signing_keys (
    server_id    TEXT NOT NULL REFERENCES key_sets (server_id) ON DELETE CASCADE,
    kid          TEXT NOT NULL,
    status       TEXT NOT NULL,
    jwk          TEXT NOT NULL,
    private_key  BYTEA NOT NULL,
    created      BIGINT NOT NULL,
    rotated      BIGINT,
    PRIMARY KEY (server_id, kid)
);

-- At most one ACTIVE and one NEXT key per server, whatever the processes racing.
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (server_id, status)
    WHERE status IN ('ACTIVE', 'NEXT');
