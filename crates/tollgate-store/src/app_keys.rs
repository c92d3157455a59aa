//! App key credentials and certificate signing requests. Private keys arrive sealed and leave
//! sealed; the org's default app key (`app_id` NULL) is listed with every app's own keys.

use serde_json::Value;
use tollgate_core::Timestamp;
use tollgate_core::log::LogEvent;

use crate::{Error, Result, Store, load, write_logged};

/// A stored app key.
#[derive(Debug, Clone)]
pub struct AppKey {
    /// The app it belongs to; `None` for the org's default app key.
    pub app_id: Option<String>,
    /// The key id.
    pub kid: String,
    /// The public JWK with `x5c` (JSON object).
    pub jwk: Value,
    /// The private key sealed under the master key.
    pub sealed: Vec<u8>,
    /// When it was made.
    pub created: Timestamp,
    /// When its certificate expires.
    pub expires_at: Timestamp,
}

/// A certificate signing request waiting for its certificate.
#[derive(Debug, Clone)]
pub struct AppCsr {
    /// The CSR id.
    pub id: String,
    /// The app it belongs to.
    pub app_id: String,
    /// The CSR, base64 DER.
    pub csr: String,
    /// The public JWK of its key.
    pub jwk: Value,
    /// The private key sealed under the master key.
    pub sealed: Vec<u8>,
    /// When it was made.
    pub created: Timestamp,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    app_id: Option<String>,
    kid: String,
    jwk: String,
    private_key: Vec<u8>,
    created: i64,
    expires_at: i64,
}

impl TryFrom<KeyRow> for AppKey {
    type Error = Error;

    fn try_from(r: KeyRow) -> Result<Self> {
        Ok(Self {
            jwk: serde_json::from_str(&r.jwk)?,
            app_id: r.app_id,
            kid: r.kid,
            sealed: r.private_key,
            created: Timestamp::from_millis(r.created),
            expires_at: Timestamp::from_millis(r.expires_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct CsrRow {
    id: String,
    app_id: String,
    csr: String,
    jwk: String,
    private_key: Vec<u8>,
    created: i64,
}

impl TryFrom<CsrRow> for AppCsr {
    type Error = Error;

    fn try_from(r: CsrRow) -> Result<Self> {
        Ok(Self {
            jwk: serde_json::from_str(&r.jwk)?,
            id: r.id,
            app_id: r.app_id,
            csr: r.csr,
            sealed: r.private_key,
            created: Timestamp::from_millis(r.created),
        })
    }
}

macro_rules! key_select {
    ($where:literal) => {
        concat!(
            "SELECT app_id, kid, jwk, private_key, created, expires_at FROM app_keys WHERE ",
            $where
        )
    };
}
macro_rules! csr_select {
    ($where:literal) => {
        concat!(
            "SELECT id, app_id, csr, jwk, private_key, created FROM app_csrs WHERE ",
            $where
        )
    };
}

const KEYS_OF_APP: &str =
    key_select!("app_id IS NULL OR app_id = $1 ORDER BY app_id IS NOT NULL, created, kid");
const CSRS_OF_APP: &str = csr_select!("app_id = $1 ORDER BY created, id");
const ONE_CSR: &str = csr_select!("app_id = $1 AND id = $2");
const INSERT_KEY: &str = "INSERT INTO app_keys (app_id, kid, jwk, private_key, created, expires_at) \
     VALUES ($1, $2, $3, $4, $5, $6)";
const INSERT_DEFAULT: &str = "INSERT INTO app_keys (app_id, kid, jwk, private_key, created, \
     expires_at) VALUES (NULL, $1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
const INSERT_CSR: &str = "INSERT INTO app_csrs (id, app_id, csr, jwk, private_key, created) \
     VALUES ($1, $2, $3, $4, $5, $6)";
const DELETE_CSR: &str = "DELETE FROM app_csrs WHERE app_id = $1 AND id = $2";

impl Store {
    /// The keys an app lists: the org default first, then its own, oldest first.
    pub async fn app_keys(&self, app_id: &str) -> Result<Vec<AppKey>> {
        load!(all: self, KeyRow, KEYS_OF_APP, app_id)
    }

    /// Saves the org's default app key unless another process saved one first.
    pub async fn insert_default_app_key(&self, key: &AppKey) -> Result<()> {
        let jwk = serde_json::to_string(&key.jwk)?;
        write_logged!(self, &[], INSERT_DEFAULT; &key.kid, &jwk, &key.sealed,
            key.created.millis(), key.expires_at.millis());
        Ok(())
    }

    /// Saves a key of one app. A `kid` the app already has is `Conflict`.
    pub async fn insert_app_key(&self, key: &AppKey, events: &[LogEvent]) -> Result<()> {
        let jwk = serde_json::to_string(&key.jwk)?;
        write_logged!(self, events, INSERT_KEY; key.app_id.as_deref(), &key.kid, &jwk,
            &key.sealed, key.created.millis(), key.expires_at.millis());
        Ok(())
    }

    /// Saves a CSR.
    pub async fn insert_app_csr(&self, csr: &AppCsr, events: &[LogEvent]) -> Result<()> {
        let jwk = serde_json::to_string(&csr.jwk)?;
        write_logged!(self, events, INSERT_CSR; &csr.id, &csr.app_id, &csr.csr, &jwk,
            &csr.sealed, csr.created.millis());
        Ok(())
    }

    /// The CSRs of an app, oldest first.
    pub async fn app_csrs(&self, app_id: &str) -> Result<Vec<AppCsr>> {
        load!(all: self, CsrRow, CSRS_OF_APP, app_id)
    }

    /// One CSR of an app.
    pub async fn find_app_csr(&self, app_id: &str, id: &str) -> Result<Option<AppCsr>> {
        load!(one: self, CsrRow, ONE_CSR, app_id, id)
    }

    /// Revokes a CSR; answers whether it existed.
    pub async fn delete_app_csr(
        &self,
        app_id: &str,
        id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        Ok(write_logged!(self, events, DELETE_CSR; app_id, id) > 0)
    }

    /// Publishes a CSR: its key becomes one of the app's keys and the CSR is gone, together.
    /// `false` when the CSR was already published or revoked.
    pub async fn publish_app_csr(
        &self,
        csr_id: &str,
        key: &AppKey,
        events: &[LogEvent],
    ) -> Result<bool> {
        let app_id = key.app_id.as_deref().unwrap_or_default();
        let jwk = serde_json::to_string(&key.jwk)?;
        let mut published = false;
        crate::in_tx!(self, |tx| {
            let gone = sqlx::query(DELETE_CSR)
                .bind(app_id)
                .bind(csr_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone == 1 {
                sqlx::query(INSERT_KEY)
                    .bind(app_id)
                    .bind(&key.kid)
                    .bind(&jwk)
                    .bind(&key.sealed)
                    .bind(key.created.millis())
                    .bind(key.expires_at.millis())
                    .execute(&mut *tx)
                    .await?;
                crate::write_events!(tx, events);
                published = true;
            }
        });
        Ok(published)
    }
}
