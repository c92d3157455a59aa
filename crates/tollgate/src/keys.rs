//! The keyring: per issuer, the active signing key parsed once and the public JWKS rendered
//! once, kept in memory. Keys are created on first use (RSA generation runs off the async
//! workers), and a cached set is checked against the database's rotation generation at most
//! every few seconds, so processes sharing one database pick up each other's rotations.
//!
//! The token endpoint signs for server `X` (`org`, `default` or an `aus…` id) with
//! `state.keyring().key_set(X).await?.sign_json(&claims)`.

pub mod app_keys;
pub mod cpu;
pub mod master;
pub mod schedule;
pub mod secrets;

use std::sync::Arc;

use serde::Serialize;
use tollgate_core::Clock;
use tollgate_core::log::LogEvent;
use tollgate_core::token::CryptoError;
use tollgate_core::token::jws::SigningKey;
use tollgate_core::token::keys::{GeneratedKey, KeyStatus, PublicJwk};
use tollgate_core::token::sealed::MasterKey;
use tollgate_store::{NewKey, Store, StoredKey};

use crate::caches::cell::CellMap;

/// How often a cached key set is compared with the database (milliseconds).
const STALENESS_CHECK_MS: i64 = 5_000;

/// Key sets kept at most (one per authorization server in use).
const MAX_KEY_SETS: usize = 100_000;

/// What the keyring can fail with. Messages never include key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] tollgate_store::Error),
    /// Generation, sealing, opening or parsing failed.
    #[error("signing keys of {server_id}: {source}")]
    Crypto {
        /// The issuer.
        server_id: String,
        /// What failed.
        source: CryptoError,
    },
    /// The blocking key-generation task did not finish.
    #[error("key generation was interrupted")]
    Interrupted,
    /// The key set has no active key (a hand-edited database).
    #[error("the key set of {0} has no ACTIVE key")]
    NoActiveKey(String),
}

/// One issuer's keys as the token path needs them.
pub struct KeySet {
    server_id: String,
    signer: SigningKey,
    public: Vec<PublicJwk>,
    jwks: String,
    generation: i64,
}

impl KeySet {
    /// The `kid` of the active key.
    pub fn kid(&self) -> &str {
        self.signer.kid()
    }

    /// The active key, parsed.
    pub fn signer(&self) -> &SigningKey {
        &self.signer
    }

    /// Signs `claims` (serialised as JSON) with the active key: a compact RS256 JWS whose header
    /// is `{"kid":…,"alg":"RS256"}`.
    pub fn sign_json<T: Serialize + ?Sized>(&self, claims: &T) -> Result<String, CryptoError> {
        self.signer.sign_json(claims)
    }

    /// The public JWKS document, `{"keys":[…]}`: active, next and recently expired keys.
    pub fn jwks(&self) -> &str {
        &self.jwks
    }

    /// The published public keys (active, next, recently expired): what this issuer's tokens
    /// verify against.
    pub fn public_keys(&self) -> &[PublicJwk] {
        &self.public
    }

    /// The rotation generation this set was loaded at.
    pub fn generation(&self) -> i64 {
        self.generation
    }
}

/// Signing keys of every issuer, cached.
#[derive(Clone)]
pub struct Keyring {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    master: MasterKey,
    clock: Clock,
    sets: CellMap<Arc<KeySet>>,
    cpu: cpu::CpuPool,
}

impl Keyring {
    /// A keyring over `store`, opening private keys with `master`.
    pub fn new(store: Store, master: MasterKey, clock: Clock) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                master,
                clock,
                sets: CellMap::new("signing_keys", MAX_KEY_SETS),
                cpu: cpu::CpuPool::per_core(),
            }),
        }
    }

    /// The keys of `server_id`, created when it has none yet. Served from memory; at most every
    /// few seconds one request checks with one cheap query that no other process has rotated
    /// them, while the others keep signing. A cold start loads (or generates) them once, however
    /// many requests ask at once. The caller makes sure the server exists.
    pub async fn key_set(&self, server_id: &str) -> Result<Arc<KeySet>, KeyringError> {
        let now = self.inner.clock.now().millis();
        self.inner
            .sets
            .cell(server_id)
            .get(now, 0, STALENESS_CHECK_MS, |previous| {
                self.revalidate(server_id, previous)
            })
            .await
    }

    /// Keeps `previous` while the rotation generation has not moved; else loads again.
    async fn revalidate(
        &self,
        server_id: &str,
        previous: Option<Arc<KeySet>>,
    ) -> Result<Arc<KeySet>, KeyringError> {
        if let Some(set) = previous {
            let generation = self.inner.store.key_generation(server_id).await?;
            if generation == Some(set.generation) {
                return Ok(set);
            }
        }
        self.read(server_id).await
    }

    /// Makes sure `server_id` has keys and they open with this master key.
    pub async fn ensure(&self, server_id: &str) -> Result<(), KeyringError> {
        self.key_set(server_id).await.map(drop)
    }

    /// Reads the keys again (after a rotation through this process) and caches them.
    async fn load(&self, server_id: &str) -> Result<Arc<KeySet>, KeyringError> {
        let set = self.read(server_id).await?;
        let now = self.inner.clock.now().millis();
        self.inner
            .sets
            .cell(server_id)
            .put(Arc::clone(&set), 0, now);
        Ok(set)
    }

    /// Reads the keys of `server_id` from the database (creating them if it has none), opens
    /// and parses the active one.
    async fn read(&self, server_id: &str) -> Result<Arc<KeySet>, KeyringError> {
        let store = &self.inner.store;
        let mut keys = store.keys(server_id).await?;
        if keys.is_empty() {
            let [active, next] = self.generate(server_id).await?;
            store
                .ensure_keys(server_id, &active, &next, self.inner.clock.now())
                .await?;
            keys = store.keys(server_id).await?;
        }
        // The generation is read after the keys: if a rotation slips in between, the next
        // staleness check sees a newer generation and reloads.
        let generation = store.key_generation(server_id).await?.unwrap_or_default();
        Ok(Arc::new(self.open(server_id, &keys, generation)?))
    }

    fn open(
        &self,
        server_id: &str,
        keys: &[StoredKey],
        generation: i64,
    ) -> Result<KeySet, KeyringError> {
        let crypto = |source| KeyringError::Crypto {
            server_id: server_id.to_owned(),
            source,
        };
        let active = keys
            .iter()
            .find(|k| k.status == KeyStatus::Active)
            .ok_or_else(|| KeyringError::NoActiveKey(server_id.to_owned()))?;
        let pkcs8 = self
            .inner
            .master
            .open(&active.sealed, &active.jwk.kid)
            .map_err(crypto)?;
        let signer = SigningKey::from_pkcs8(&active.jwk.kid, &pkcs8).map_err(crypto)?;
        Ok(KeySet {
            server_id: server_id.to_owned(),
            signer,
            public: keys.iter().map(|k| k.jwk.clone()).collect(),
            jwks: jwks_document(keys.iter().map(|k| &k.jwk)),
            generation,
        })
    }

    /// Generates `N` keys and seals them, each on the CPU pool (in parallel on several cores).
    async fn generate<const N: usize>(&self, server_id: &str) -> Result<[NewKey; N], KeyringError> {
        let mut jobs = tokio::task::JoinSet::new();
        for _ in 0..N {
            let (cpu, master) = (self.inner.cpu.clone(), self.inner.master.clone());
            jobs.spawn(async move {
                cpu.run(move || {
                    let key = GeneratedKey::generate()?;
                    let sealed = master.seal(key.pkcs8(), &key.jwk.kid)?;
                    Ok::<_, CryptoError>(NewKey {
                        jwk: key.jwk,
                        sealed,
                    })
                })
                .await
            });
        }
        let mut made = Vec::with_capacity(N);
        while let Some(key) = jobs.join_next().await {
            let key = key.map_err(|_| KeyringError::Interrupted)??;
            made.push(key.map_err(|source| KeyringError::Crypto {
                server_id: server_id.to_owned(),
                source,
            })?);
        }
        made.try_into().map_err(|_| KeyringError::Interrupted)
    }

    /// Signs `claims` with `keys`' active key on the CPU pool: a compact RS256 JWS.
    pub async fn sign_json<T: Serialize + ?Sized>(
        &self,
        keys: &Arc<KeySet>,
        claims: &T,
    ) -> Result<String, KeyringError> {
        let crypto = |source| KeyringError::Crypto {
            server_id: keys.server_id.clone(),
            source,
        };
        let payload = serde_json::to_vec(claims)
            .map_err(|_| crypto(CryptoError::Failed("claims encoding")))?;
        let keys = Arc::clone(keys);
        self.inner
            .cpu
            .run(move || {
                let started = std::time::Instant::now();
                let signed = keys.signer.sign(&payload);
                crate::telemetry::record::signing(started.elapsed());
                signed
            })
            .await?
            .map_err(crypto)
    }

    /// Rotates the keys of `server_id` (creating them first if it has none): the next key
    /// signs from now on, a fresh next key is published, and `events` are recorded in the same
    /// transaction. Returns the keys after the rotation.
    pub async fn rotate(
        &self,
        server_id: &str,
        events: &[LogEvent],
    ) -> Result<Vec<StoredKey>, KeyringError> {
        self.key_set(server_id).await?;
        let [next] = self.generate(server_id).await?;
        let now = self.inner.clock.now();
        self.inner
            .store
            .rotate_keys(server_id, None, &next, now, events)
            .await?;
        self.load(server_id).await?;
        Ok(self.inner.store.keys(server_id).await?)
    }

    /// Rotates `server_id` only while `active_kid` still signs (scheduled rotation: of several
    /// processes, one wins). Returns whether this call rotated.
    pub async fn rotate_if_active(
        &self,
        server_id: &str,
        active_kid: &str,
        events: &[LogEvent],
    ) -> Result<bool, KeyringError> {
        let [next] = self.generate(server_id).await?;
        let now = self.inner.clock.now();
        let rotated = self
            .inner
            .store
            .rotate_keys(server_id, Some(active_kid), &next, now, events)
            .await?;
        if rotated.is_some() {
            self.load(server_id).await?;
        }
        Ok(rotated.is_some())
    }
}

/// `{"keys":[…]}` over `jwks`.
pub fn jwks_document<'a>(jwks: impl Iterator<Item = &'a PublicJwk>) -> String {
    serde_json::json!({"keys": jwks.map(PublicJwk::to_json).collect::<Vec<_>>()}).to_string()
}
