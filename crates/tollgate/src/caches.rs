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
//!   mutating `/api/v1` request) makes every entry reload on its next use, so a change is
//!   visible here at once and in other processes within [`CHECK_MS`];
//! - users' groups are checked on every use instead, by their ids and versions, and only the
//!   groups that changed are read again ([`groups`]);
//! - each entry is a [`cell::Cell`]: one request revalidates or loads it while the others
//!   keep serving or wait for that one load, so no expiry sends every request in flight to
//!   the database at once.

pub mod admins;
pub mod cell;
pub mod groups;
pub mod origins;
pub mod schemas;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tollgate_core::Clock;
use tollgate_core::app::App;
use tollgate_core::authz::ServerConfig;
use tollgate_core::oauth::claims::CompiledClaims;
use tollgate_core::org::Org;
use tollgate_store::Store;

use cell::{Cell, CellMap};

/// How long another process's change may go unseen (milliseconds). A revision check is one
/// primary-key read (about 10 us on SQLite, a round trip on PostgreSQL); doing it every
/// request would add a database round trip to every token for a change that is rare.
pub const CHECK_MS: i64 = 2_000;

/// Apps (and servers) kept at most; past it the map starts over (an org's active clients fit
/// many times, and a flood of made-up ids cannot grow it without bound).
const MAX_ENTRIES: usize = 10_000;

/// A server's configuration as the token path uses it.
#[derive(Debug)]
pub struct CachedServer {
    /// The configuration.
    pub config: ServerConfig,
    /// Its claims, expressions compiled.
    pub claims: CompiledClaims,
    revision: i64,
}

/// The caches of one process.
pub struct Caches {
    store: Store,
    clock: Clock,
    /// Moved by every local management write; entries loaded under an older epoch reload.
    epoch: AtomicU64,
    servers: CellMap<Option<Arc<CachedServer>>>,
    org: Cell<Arc<Org>>,
    /// By `client_id`; `None` remembers an unknown client for one interval.
    apps: CellMap<Option<Arc<App>>>,
    /// Groups and apps converted for the expression language, reused while unchanged.
    context: tollgate_core::oauth::prepared::ContextCache,
    /// Users' groups, checked against the database on every use.
    groups: groups::GroupCache,
    /// Profile schemas, checked against their revision on every use.
    pub schemas: schemas::SchemaCache,
    /// API tokens by digest, with their admin and its roles (`None`: refused).
    admins: CellMap<Option<Arc<admins::TokenAdmin>>>,
}

impl Caches {
    /// Empty caches over `store`.
    pub fn new(store: Store, clock: Clock) -> Self {
        Self {
            store,
            clock,
            epoch: AtomicU64::new(0),
            servers: CellMap::new("authorization_servers", MAX_ENTRIES),
            org: Cell::named("org"),
            apps: CellMap::new("apps", MAX_ENTRIES),
            context: tollgate_core::oauth::prepared::ContextCache::new(),
            groups: groups::GroupCache::default(),
            schemas: schemas::SchemaCache::default(),
            admins: CellMap::new("api_tokens", MAX_ENTRIES),
        }
    }

    /// The groups of user `user_id`, `Everyone` included, as the database has them now: each
    /// call reads the user's group ids and versions, and only the groups missing from memory
    /// or changed (see [`groups`]).
    pub async fn user_groups(
        &self,
        user_id: &str,
    ) -> tollgate_store::Result<Arc<[tollgate_core::directory::Group]>> {
        self.groups.of_user(&self.store, user_id).await
    }

    /// Expression inputs prepared once (groups, apps).
    pub fn context(&self) -> &tollgate_core::oauth::prepared::ContextCache {
        &self.context
    }

    /// Makes every entry reload on its next use.
    pub fn invalidate(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    fn now_and_epoch(&self) -> (i64, u64) {
        (
            self.clock.now().millis(),
            self.epoch.load(Ordering::Acquire),
        )
    }

    /// Server `id`'s configuration, or `None` when there is no such server.
    pub async fn server(&self, id: &str) -> tollgate_store::Result<Option<Arc<CachedServer>>> {
        let (now, epoch) = self.now_and_epoch();
        self.servers
            .cell(id)
            .get(now, epoch, CHECK_MS, |previous| {
                self.reload_server(id, previous.flatten())
            })
            .await
    }

    /// Server `id`'s configuration when it exists and is `ACTIVE` (what every `/oauth2/{id}`
    /// path serves; anything else is Okta's 404).
    pub async fn active_server(
        &self,
        id: &str,
    ) -> tollgate_store::Result<Option<Arc<CachedServer>>> {
        Ok(self
            .server(id)
            .await?
            .filter(|s| s.config.server.status == tollgate_core::server::Status::Active))
    }

    /// Keeps `previous` when the server's revision has not moved; else reads the server again.
    async fn reload_server(
        &self,
        id: &str,
        previous: Option<Arc<CachedServer>>,
    ) -> tollgate_store::Result<Option<Arc<CachedServer>>> {
        // The revision is read before the configuration: a change committed in between
        // leaves the entry at the older revision, so the next check reloads it.
        let Some(revision) = self.store.config_revision(id).await? else {
            return Ok(None);
        };
        if let Some(entry) = previous.filter(|e| e.revision == revision) {
            return Ok(Some(entry));
        }
        let Some(config) = self.store.server_config(id).await? else {
            return Ok(None);
        };
        Ok(Some(Arc::new(CachedServer {
            claims: CompiledClaims::new(&config.claims),
            config,
            revision,
        })))
    }

    /// The org.
    pub async fn org(&self) -> tollgate_store::Result<Arc<Org>> {
        let (now, epoch) = self.now_and_epoch();
        self.org
            .get(now, epoch, CHECK_MS, |_| async {
                Ok(Arc::new(self.store.org().await?))
            })
            .await
    }

    /// The app with `client_id`. A deactivation or secret change made through another
    /// process takes effect here within [`CHECK_MS`]: client authentication on every token
    /// request would otherwise cost a query, and apps carry no revision to check instead.
    pub async fn app_by_client_id(
        &self,
        client_id: &str,
    ) -> tollgate_store::Result<Option<Arc<App>>> {
        let (now, epoch) = self.now_and_epoch();
        self.apps
            .cell(client_id)
            .get(now, epoch, CHECK_MS, |_| async {
                Ok(self
                    .store
                    .find_app_by_client_id(client_id)
                    .await?
                    .map(Arc::new))
            })
            .await
    }

    /// The API token with this digest and the admin it acts as, if it works. A revocation,
    /// deactivation or role change made through another process takes effect here within
    /// [`CHECK_MS`].
    pub async fn token_admin(
        &self,
        digest: &str,
    ) -> tollgate_store::Result<Option<Arc<admins::TokenAdmin>>> {
        let (now, epoch) = self.now_and_epoch();
        self.admins
            .cell(digest)
            .get(now, epoch, CHECK_MS, |_| async {
                Ok(admins::load(&self.store, digest).await?.map(Arc::new))
            })
            .await
    }
}
