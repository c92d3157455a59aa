//! Signing keys per issuer (a custom authorization server, or `org`): one `ACTIVE` key that
//! signs, one `NEXT` key published ahead of the next rotation, and recently `EXPIRED` keys kept
//! so tokens they signed still verify. Private keys arrive sealed and leave sealed: this
//! module never sees a usable private key.

use tollgate_core::Timestamp;
use tollgate_core::log::LogEvent;
use tollgate_core::token::keys::{AUTO_ROTATION_SECS, KeyStatus, PublicJwk};

use crate::{Error, Result, Store, in_tx, load, on_pool, write_events};

/// Expired keys are deleted once rotated out this long ago...
pub const EXPIRED_KEY_RETENTION_SECS: i64 = 7 * 24 * 3600;
/// ...except the most recent ones, which stay published whatever their age.
pub const EXPIRED_KEYS_KEPT: i64 = 2;

/// A key to store: its public JWK and its sealed private key.
#[derive(Debug, Clone)]
pub struct NewKey {
    /// The public JWK (its `kid` is the key id).
    pub jwk: PublicJwk,
    /// The private key sealed under the master key.
    pub sealed: Vec<u8>,
}

/// A stored key.
#[derive(Debug, Clone)]
pub struct StoredKey {
    /// The public JWK.
    pub jwk: PublicJwk,
    /// Where it stands.
    pub status: KeyStatus,
    /// The private key sealed under the master key.
    pub sealed: Vec<u8>,
    /// When it was made.
    pub created: Timestamp,
    /// When it was rotated out (expired keys only).
    pub rotated: Option<Timestamp>,
}

/// A server's key set at a glance: what `credentials.signing` shows (`kid`, `lastRotated`), and
/// the generation the keyring compares to know its cache is current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// The issuer (`aus…`, `default`, `org`).
    pub server_id: String,
    /// Grows by one with each rotation.
    pub generation: i64,
    /// When the keys last rotated (their creation, before any rotation).
    pub last_rotated: Timestamp,
    /// The `kid` of the key that signs.
    pub active_kid: String,
}

impl KeyInfo {
    /// When a server in `AUTO` rotation mode rotates next (`credentials.signing.nextRotation`).
    pub fn next_rotation(&self) -> Timestamp {
        self.last_rotated.plus_seconds(AUTO_ROTATION_SECS)
    }
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    kid: String,
    status: String,
    jwk: String,
    private_key: Vec<u8>,
    created: i64,
    rotated: Option<i64>,
}

impl TryFrom<KeyRow> for StoredKey {
    type Error = Error;

    fn try_from(r: KeyRow) -> Result<Self> {
        let value: serde_json::Value = serde_json::from_str(&r.jwk)?;
        let jwk = PublicJwk::from_json(&value)
            .filter(|j| j.kid == r.kid)
            .ok_or_else(|| Error::Corrupt(format!("JWK of key {}", r.kid)))?;
        Ok(Self {
            jwk,
            status: KeyStatus::parse(&r.status)
                .ok_or_else(|| Error::Corrupt(format!("key status {:?}", r.status)))?,
            sealed: r.private_key,
            created: Timestamp::from_millis(r.created),
            rotated: r.rotated.map(Timestamp::from_millis),
        })
    }
}

#[derive(sqlx::FromRow)]
struct InfoRow {
    server_id: String,
    generation: i64,
    last_rotated: i64,
    kid: String,
}

impl TryFrom<InfoRow> for KeyInfo {
    type Error = Error;

    fn try_from(r: InfoRow) -> Result<Self> {
        Ok(Self {
            server_id: r.server_id,
            generation: r.generation,
            last_rotated: Timestamp::from_millis(r.last_rotated),
            active_kid: r.kid,
        })
    }
}

const INSERT_SET: &str = "INSERT INTO key_sets (server_id, generation, last_rotated, created) \
     VALUES ($1, 1, $2, $2) ON CONFLICT (server_id) DO NOTHING RETURNING server_id";
const INSERT_KEY: &str = "INSERT INTO signing_keys (server_id, kid, status, jwk, private_key, created, rotated) \
     VALUES ($1, $2, $3, $4, $5, $6, NULL)";
const SELECT_KEYS: &str = "SELECT kid, status, jwk, private_key, created, rotated FROM signing_keys \
     WHERE server_id = $1 \
     ORDER BY CASE status WHEN 'ACTIVE' THEN 0 WHEN 'NEXT' THEN 1 ELSE 2 END, rotated DESC, kid";
const SELECT_INFO: &str = "SELECT s.server_id, s.generation, s.last_rotated, k.kid \
     FROM key_sets s JOIN signing_keys k ON k.server_id = s.server_id AND k.status = 'ACTIVE' \
     WHERE s.server_id = $1";
const SELECT_DUE: &str = "SELECT s.server_id, s.generation, s.last_rotated, k.kid \
     FROM key_sets s JOIN signing_keys k ON k.server_id = s.server_id AND k.status = 'ACTIVE' \
     WHERE s.last_rotated <= $1 ORDER BY s.server_id";
const SELECT_GENERATION: &str = "SELECT generation FROM key_sets WHERE server_id = $1";
const BUMP_GENERATION: &str = "UPDATE key_sets SET generation = generation + 1, last_rotated = $2 \
     WHERE server_id = $1 RETURNING generation";
const EXPIRE_ACTIVE: &str = "UPDATE signing_keys SET status = 'EXPIRED', rotated = $2 \
     WHERE server_id = $1 AND status = 'ACTIVE'";
const EXPIRE_ACTIVE_IF: &str = "UPDATE signing_keys SET status = 'EXPIRED', rotated = $2 \
     WHERE server_id = $1 AND status = 'ACTIVE' AND kid = $3";
const PROMOTE_NEXT: &str =
    "UPDATE signing_keys SET status = 'ACTIVE' WHERE server_id = $1 AND status = 'NEXT'";
const PRUNE_EXPIRED: &str = "DELETE FROM signing_keys WHERE server_id = $1 AND status = 'EXPIRED' \
     AND rotated < $2 AND kid NOT IN (SELECT kid FROM signing_keys \
     WHERE server_id = $1 AND status = 'EXPIRED' ORDER BY rotated DESC, kid LIMIT $3)";
const DELETE_SET: &str = "DELETE FROM key_sets WHERE server_id = $1";

impl Store {
    /// Creates the key set of `server_id` with `active` and `next`, unless it has one: then
    /// changes nothing and returns `false`. Safe when several processes start at once: one
    /// inserts the set row, the others find it and leave.
    pub async fn ensure_keys(
        &self,
        server_id: &str,
        active: &NewKey,
        next: &NewKey,
        now: Timestamp,
    ) -> Result<bool> {
        let active_json = active.jwk.to_json().to_string();
        let next_json = next.jwk.to_json().to_string();
        let created = in_tx!(self, |tx| {
            let inserted: Option<(String,)> = sqlx::query_as(INSERT_SET)
                .bind(server_id)
                .bind(now.millis())
                .fetch_optional(&mut *tx)
                .await?;
            if inserted.is_some() {
                for (key, json, status) in [
                    (active, &active_json, KeyStatus::Active),
                    (next, &next_json, KeyStatus::Next),
                ] {
                    sqlx::query(INSERT_KEY)
                        .bind(server_id)
                        .bind(&key.jwk.kid)
                        .bind(status.as_str())
                        .bind(json)
                        .bind(&key.sealed)
                        .bind(now.millis())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            inserted.is_some()
        });
        Ok(created)
    }

    /// Every key of `server_id`: `ACTIVE`, then `NEXT`, then `EXPIRED` newest first. Empty when
    /// the server has no key set.
    pub async fn keys(&self, server_id: &str) -> Result<Vec<StoredKey>> {
        load!(all: self, KeyRow, SELECT_KEYS, server_id)
    }

    /// The key set of `server_id` at a glance (active `kid`, last rotation, generation), or
    /// `None` when it has none yet. One indexed query.
    pub async fn key_info(&self, server_id: &str) -> Result<Option<KeyInfo>> {
        load!(one: self, InfoRow, SELECT_INFO, server_id)
    }

    /// The `kid` of the key that signs for `server_id`.
    pub async fn active_kid(&self, server_id: &str) -> Result<Option<String>> {
        Ok(self.key_info(server_id).await?.map(|i| i.active_kid))
    }

    /// The rotation generation of `server_id` (the cheapest staleness check).
    pub async fn key_generation(&self, server_id: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_pool!(self, |pool| sqlx::query_as(SELECT_GENERATION)
            .bind(server_id)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(g,)| g))
    }

    /// Key sets whose last rotation is at or before `cutoff`, whatever their server's rotation
    /// mode (the caller skips `MANUAL` servers).
    pub async fn keys_due_for_rotation(&self, cutoff: Timestamp) -> Result<Vec<KeyInfo>> {
        load!(all: self, InfoRow, SELECT_DUE, cutoff.millis())
    }

    /// Rotates the keys of `server_id` in one transaction: `ACTIVE` → `EXPIRED`, `NEXT` →
    /// `ACTIVE`, `next` becomes the new `NEXT`; expired keys past retention are deleted (the
    /// last few stay) and `events` are written. With `only_if_active = Some(kid)` it rotates
    /// only while `kid` still signs, so of several processes deciding the same scheduled
    /// rotation exactly one wins; the others get `Ok(None)`. Returns the new generation;
    /// `NotFound` when the server has no key set.
    pub async fn rotate_keys(
        &self,
        server_id: &str,
        only_if_active: Option<&str>,
        next: &NewKey,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<Option<i64>> {
        let next_json = next.jwk.to_json().to_string();
        let prune_before = now.plus_seconds(-EXPIRED_KEY_RETENTION_SECS);
        let generation = in_tx!(self, |tx| {
            // Locks the set row: concurrent rotations of one server run one after the other.
            let bumped: Option<(i64,)> = sqlx::query_as(BUMP_GENERATION)
                .bind(server_id)
                .bind(now.millis())
                .fetch_optional(&mut *tx)
                .await?;
            let Some((generation,)) = bumped else {
                return Err(Error::NotFound);
            };
            let expired = match only_if_active {
                Some(kid) => sqlx::query(EXPIRE_ACTIVE_IF)
                    .bind(server_id)
                    .bind(now.millis())
                    .bind(kid),
                None => sqlx::query(EXPIRE_ACTIVE)
                    .bind(server_id)
                    .bind(now.millis()),
            }
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if expired == 0 {
                // Another process rotated first; dropping the transaction undoes the bump.
                return Ok(None);
            }
            let promoted = sqlx::query(PROMOTE_NEXT)
                .bind(server_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if promoted != 1 {
                return Err(Error::Corrupt(format!(
                    "key set {server_id} has no NEXT key to promote"
                )));
            }
            sqlx::query(INSERT_KEY)
                .bind(server_id)
                .bind(&next.jwk.kid)
                .bind(KeyStatus::Next.as_str())
                .bind(&next_json)
                .bind(&next.sealed)
                .bind(now.millis())
                .execute(&mut *tx)
                .await?;
            sqlx::query(PRUNE_EXPIRED)
                .bind(server_id)
                .bind(prune_before.millis())
                .bind(EXPIRED_KEYS_KEPT)
                .execute(&mut *tx)
                .await?;
            write_events!(tx, events);
            generation
        });
        Ok(Some(generation))
    }

    /// Deletes the key set of `server_id` with all its keys (when its server is deleted).
    pub async fn delete_keys(&self, server_id: &str) -> Result<bool> {
        let n = on_pool!(self, |pool| sqlx::query(DELETE_SET)
            .bind(server_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }
}
