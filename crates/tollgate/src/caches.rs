//! What the token path reads on every request, kept in memory: each custom authorization
//! server's configuration (with its claim expressions compiled once), the org, and apps by
//! `client_id`.
//!
//! The database stays the truth, shared by every process:
//! - a server's configuration is compared with its `config_revision` (one indexed single-row
//!   read, bumped in the transaction of every change to the server, its scopes, claims,
//!   policies or rules) at most every [`CHECK_MS`] per server, like the keyring's generation;
//! - the org and apps have no revision: they are re-read after [`CHECK_MS`];
//! - a management write made through this process ([`Caches::invalidate`], called after every
//!   mutating `/api/v1` request) makes every entry re-check on its next use, so a change is
//!   visible here at once and in other processes within [`CHECK_MS`].

pub mod origins;

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use tollgate_core::Clock;
use tollgate_core::app::App;
use tollgate_core::authz::ServerConfig;
use tollgate_core::oauth::claims::CompiledClaims;
use tollgate_core::org::Org;
use tollgate_store::Store;

/// How long another process's change may go unseen (milliseconds). A revision check is one
/// primary-key read (about 10 us on SQLite, a round trip on PostgreSQL); doing it every
/// request would add a database round trip to every token for a change that is rare.
pub const CHECK_MS: i64 = 2_000;

/// Apps kept at most; past it the map starts over (an org's active clients fit many times).
const MAX_APPS: usize = 10_000;

/// A server's configuration as the token path uses it.
#[derive(Debug)]
pub struct CachedServer {
    /// The configuration.
    pub config: ServerConfig,
    /// Its claims, expressions compiled.
    pub claims: CompiledClaims,
    revision: i64,
    checked: AtomicI64,
    epoch: AtomicU64,
}

struct Timed<T> {
    value: Arc<T>,
    loaded: i64,
    epoch: u64,
}

/// The caches of one process.
pub struct Caches {
    store: Store,
    clock: Clock,
    /// Moved by every local management write; entries loaded under an older epoch re-check.
    epoch: AtomicU64,
    servers: RwLock<HashMap<String, Arc<CachedServer>>>,
    org: RwLock<Option<Timed<Org>>>,
    apps: RwLock<HashMap<String, Timed<App>>>,
    /// Groups and apps converted for the expression language, reused while unchanged.
    context: tollgate_core::oauth::prepared::ContextCache,
}

impl Caches {
    /// Empty caches over `store`.
    pub fn new(store: Store, clock: Clock) -> Self {
        Self {
            store,
            clock,
            epoch: AtomicU64::new(0),
            servers: RwLock::new(HashMap::new()),
            org: RwLock::new(None),
            apps: RwLock::new(HashMap::new()),
            context: tollgate_core::oauth::prepared::ContextCache::new(),
        }
    }

    /// Expression inputs prepared once (groups, apps).
    pub fn context(&self) -> &tollgate_core::oauth::prepared::ContextCache {
        &self.context
    }

    /// Makes every entry check the database on its next use.
    pub fn invalidate(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    fn now(&self) -> i64 {
        self.clock.now().millis()
    }

    /// Server `id`'s configuration, or `None` when there is no such server.
    pub async fn server(&self, id: &str) -> tollgate_store::Result<Option<Arc<CachedServer>>> {
        let epoch = self.epoch.load(Ordering::Acquire);
        let cached = self.servers.read().ok().and_then(|m| m.get(id).cloned());
        let Some(entry) = cached else {
            return self.load_server(id, epoch).await;
        };
        let now = self.now();
        if entry.epoch.load(Ordering::Acquire) == epoch {
            let checked = entry.checked.load(Ordering::Relaxed);
            // One request per interval checks; the others keep using the entry meanwhile.
            if now.saturating_sub(checked) < CHECK_MS
                || entry
                    .checked
                    .compare_exchange(checked, now, Ordering::Relaxed, Ordering::Relaxed)
                    .is_err()
            {
                return Ok(Some(entry));
            }
        }
        match self.store.config_revision(id).await? {
            Some(r) if r == entry.revision => {
                entry.checked.store(now, Ordering::Relaxed);
                entry.epoch.store(epoch, Ordering::Release);
                Ok(Some(entry))
            }
            _ => self.load_server(id, epoch).await,
        }
    }

    async fn load_server(
        &self,
        id: &str,
        epoch: u64,
    ) -> tollgate_store::Result<Option<Arc<CachedServer>>> {
        let now = self.now();
        // The revision is read before the configuration: a change committed in between
        // leaves the entry at the older revision, so the next check reloads it.
        let revision = self.store.config_revision(id).await?;
        let (Some(revision), Some(config)) = (revision, self.store.server_config(id).await?) else {
            if let Ok(mut m) = self.servers.write() {
                m.remove(id);
            }
            return Ok(None);
        };
        let entry = Arc::new(CachedServer {
            claims: CompiledClaims::new(&config.claims),
            config,
            revision,
            checked: AtomicI64::new(now),
            epoch: AtomicU64::new(epoch),
        });
        if let Ok(mut m) = self.servers.write() {
            m.insert(id.to_owned(), Arc::clone(&entry));
        }
        Ok(Some(entry))
    }

    fn fresh<T>(&self, t: &Timed<T>) -> bool {
        t.epoch == self.epoch.load(Ordering::Acquire)
            && self.now().saturating_sub(t.loaded) < CHECK_MS
    }

    /// The org.
    pub async fn org(&self) -> tollgate_store::Result<Arc<Org>> {
        let cached = self.org.read().ok().and_then(|o| {
            o.as_ref()
                .filter(|t| self.fresh(t))
                .map(|t| Arc::clone(&t.value))
        });
        if let Some(org) = cached {
            return Ok(org);
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        let loaded = self.now();
        let org = Arc::new(self.store.org().await?);
        if let Ok(mut o) = self.org.write() {
            *o = Some(Timed {
                value: Arc::clone(&org),
                loaded,
                epoch,
            });
        }
        Ok(org)
    }

    /// The app with `client_id`. A deactivation or secret change made through another
    /// process takes effect here within [`CHECK_MS`]: client authentication on every token
    /// request would otherwise cost a query, and apps carry no revision to check instead.
    pub async fn app_by_client_id(
        &self,
        client_id: &str,
    ) -> tollgate_store::Result<Option<Arc<App>>> {
        let cached = self.apps.read().ok().and_then(|m| {
            m.get(client_id)
                .filter(|t| self.fresh(t))
                .map(|t| Arc::clone(&t.value))
        });
        if let Some(app) = cached {
            return Ok(Some(app));
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        let loaded = self.now();
        let Some(app) = self.store.find_app_by_client_id(client_id).await? else {
            return Ok(None);
        };
        let app = Arc::new(app);
        if let Ok(mut m) = self.apps.write() {
            if m.len() >= MAX_APPS {
                m.clear();
            }
            m.insert(
                client_id.to_owned(),
                Timed {
                    value: Arc::clone(&app),
                    loaded,
                    epoch,
                },
            );
        }
        Ok(Some(app))
    }
}
