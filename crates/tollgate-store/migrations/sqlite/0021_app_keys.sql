-- Key credentials of apps (what a SAML app signs with). A NULL app_id is the org's default app
-- key, which every app lists, as on Okta (at most one, by the index below); other rows belong
-- to one app: generated for it, cloned to it, or published from one of its CSRs.
-- `private_key` is the PKCS#8 DER key sealed under the master key; `jwk` the public JWK with
-- its certificate (x5c) as JSON text.
CREATE TABLE app_keys (
    app_id       TEXT REFERENCES apps (id) ON DELETE CASCADE,
    kid          TEXT NOT NULL,
    jwk          TEXT NOT NULL,
    private_key  BLOB NOT NULL,
    created      BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX app_keys_per_app ON app_keys (COALESCE(app_id, ''), kid);
CREATE UNIQUE INDEX app_keys_org_default ON app_keys ((app_id IS NULL)) WHERE app_id IS NULL;

-- Certificate signing requests of an app, waiting for their certificate: the CSR (base64 DER),
-- the public JWK of its key, and the sealed private key.
CREATE TABLE app_csrs (
    id           TEXT PRIMARY KEY,
    app_id       TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    csr          TEXT NOT NULL,
    jwk          TEXT NOT NULL,
    private_key  BLOB NOT NULL,
    created      BIGINT NOT NULL
);
CREATE INDEX app_csrs_app ON app_csrs (app_id, created);
