//! Tollgate's persistence: one [`Store`] over SQLite or PostgreSQL, chosen by the database URL.
//!
//! The store is a concrete enum with one inherent `async fn` per use case. Each method owns its
//! transaction. SQL is written once: every statement here is portable between the two
//! dialects (`$N` placeholders, `ON CONFLICT`, `RETURNING`, integer millisecond timestamps,
//! JSON as text), and the [`on_pool!`] and [`in_tx!`] macros expand one body for each backend,
//! so there is no generic bound soup and no `Any` driver. Where the dialects differ (DDL), each
//! backend has its own migrations directory.
//!
//! This crate depends on `tollgate-core` for the domain types and never on the server.

mod admin_roles;
mod app_claims;
pub mod app_keys;
mod app_logos;
mod apps;
mod assignments;
mod authz;
mod backup;
mod client_secrets;
mod consent_grants;
mod error;
mod files;
mod group_rules;
mod groups;
pub mod keys;
pub mod logs;
mod migrate;
mod oauth_grants;
mod org;
mod org_policies;
mod outbox;
mod schemas;
pub mod search;
mod sessions;
mod sign_in;
mod subscriptions;
mod tokens;
mod trusted_origins;
mod url;
mod users;

#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use admin_roles::{Principal, RoleRecord, TargetRecord};
pub use apps::AppQuery;
pub use authz::{AuthServerQuery, ScopeQuery};
pub use error::{Error, Result};
pub use group_rules::GroupRuleQuery;
pub use groups::GroupQuery;
pub use keys::{KeyInfo, NewKey, StoredKey};
pub use logs::{LogPage, LogQuery, SortOrder};
pub use oauth_grants::{CodeRedemption, FamilyFilter, NewRefresh, RefreshFamily, RefreshToken};
pub use org::Bootstrap;
pub use outbox::OutboxMessage;
pub use schemas::StoredSchema;
pub use sessions::NewToken;
pub use sign_in::Attempt;
pub use tokens::ApiTokenRecord;
pub use trusted_origins::TrustedOriginQuery;
pub use url::DatabaseUrl;
pub use users::UserQuery;

/// Every connection acquire is reported as a `sqlx::pool::acquire` event at this level, with
/// the wait in `acquired_after_secs` (the server exports it as a metric; a trace event that
/// nothing listens to costs one check).
const ACQUIRE_EVENTS: log::LevelFilter = log::LevelFilter::Trace;

/// The persistence of one Tollgate org: a connection pool and counts of its use.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    stats: Arc<Stats>,
}

/// The pool of whichever backend the URL chose.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub enum Pool {
    /// An embedded SQLite file.
    Sqlite(SqlitePool),
    /// A PostgreSQL server.
    Postgres(PgPool),
}

/// How many times this store (and its clones) went to the database: a read borrows a
/// connection for one statement, a write runs one transaction. The server exports them as
/// metrics; tests use them to prove a path reads nothing.
#[derive(Debug, Default)]
pub struct Stats {
    reads: AtomicU64,
    writes: AtomicU64,
    group_rows: AtomicU64,
    membership_lists: AtomicU64,
}

impl Stats {
    /// Statements run outside a transaction so far.
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// Transactions begun so far.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }

    /// Whole group rows (profiles parsed) read so far by [`Store::groups_of_user`] and
    /// [`Store::groups_by_ids`]: what the token path's group cache exists to avoid.
    pub fn group_rows(&self) -> u64 {
        self.group_rows.load(Ordering::Relaxed)
    }

    /// Users' membership lists read so far by [`Store::group_versions_of_user`]: what the
    /// directory revision lets a warm token skip.
    pub fn membership_lists(&self) -> u64 {
        self.membership_lists.load(Ordering::Relaxed)
    }
}

/// How the store uses its database connections.
#[derive(Clone, Debug)]
pub struct PoolSettings {
    /// Connections at most; `None` takes the backend's default (8 for SQLite, whose writers
    /// queue on one lock anyway; 16 for PostgreSQL).
    pub max_connections: Option<u32>,
    /// How long a request waits for a free connection before the store answers
    /// [`Error::Busy`] (the server's 503), instead of hanging past a client's patience.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: None,
            acquire_timeout: Duration::from_secs(3),
        }
    }
}

/// Runs `$body` with `$pool` bound to whichever pool the store holds. The body is written once
/// and compiled for each backend.
#[macro_export]
#[doc(hidden)]
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match $crate::Store::pool_for_read(&$store) {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}

/// Runs a `SELECT` of `$row`s with its binds on the pool and converts each row into its
/// model: `load!(one: ...)` gives `Result<Option<Model>>`, `load!(all: ...)`
/// `Result<Vec<Model>>`.
#[macro_export]
#[doc(hidden)]
macro_rules! load {
    (one: $store:expr, $row:ty, $sql:expr $(, $bind:expr)* $(,)?) => {{
        let row: Option<$row> = $crate::on_pool!($store, |pool| sqlx::query_as($sql)
            $(.bind($bind))*
            .fetch_optional(pool)
            .await)?;
        row.map(TryInto::try_into).transpose()
    }};
    (all: $store:expr, $row:ty, $sql:expr $(, $bind:expr)* $(,)?) => {{
        let rows: Vec<$row> = $crate::on_pool!($store, |pool| sqlx::query_as($sql)
            $(.bind($bind))*
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(TryInto::try_into).collect()
    }};
}

/// Runs `$body` inside a write transaction bound to `$tx` and commits it when the body
/// finishes; an early return through `?` drops the transaction, which rolls it back. SQLite
/// takes the write lock up front (`BEGIN IMMEDIATE`), so concurrent writers wait on the busy
/// timeout instead of failing on a lock upgrade.
#[macro_export]
#[doc(hidden)]
macro_rules! in_tx {
    ($store:expr, |$tx:ident| $body:expr) => {
        match $crate::Store::pool_for_write(&$store) {
            $crate::Pool::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::Pool::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

impl Store {
    /// Opens the database at `url`, creating a missing SQLite file, and brings its schema up to
    /// date. Safe when several processes start at once.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self> {
        Self::connect_with(url, &PoolSettings::default()).await
    }

    /// Like [`Store::connect`], with the pool sized and timed by `settings`.
    pub async fn connect_with(url: &DatabaseUrl, settings: &PoolSettings) -> Result<Self> {
        let mut startup_lock = None;
        let pool = match url {
            DatabaseUrl::Sqlite(path) => {
                files::create_private(path)?;
                startup_lock = files::lock_for_startup(path).await?;
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                let pool = SqlitePoolOptions::new()
                    .acquire_time_level(ACQUIRE_EVENTS)
                    .max_connections(settings.max_connections.unwrap_or(8))
                    .acquire_timeout(settings.acquire_timeout)
                    .connect_with(options)
                    .await?;
                Pool::Sqlite(pool)
            }
            DatabaseUrl::Postgres(url) => {
                let pool = PgPoolOptions::new()
                    .acquire_time_level(ACQUIRE_EVENTS)
                    .max_connections(settings.max_connections.unwrap_or(16))
                    .acquire_timeout(settings.acquire_timeout)
                    .connect(url)
                    .await?;
                Pool::Postgres(pool)
            }
        };
        let store = Self {
            pool,
            stats: Arc::default(),
        };
        migrate::run(&store).await?;
        drop(startup_lock);
        Ok(store)
    }

    /// Which backend this is, for messages (`sqlite` or `postgres`).
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// How often this store has gone to the database.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The same pool, counted apart (background housekeeping, so a request path's counts
    /// show only what requests do).
    #[must_use]
    pub fn with_own_stats(&self) -> Self {
        Self {
            pool: self.pool.clone(),
            stats: Arc::default(),
        }
    }

    /// Connections open and idle now, and the most the pool opens.
    pub fn pool_usage(&self) -> (u32, usize, u32) {
        match &self.pool {
            Pool::Sqlite(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
            Pool::Postgres(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
        }
    }

    /// The pool, counting one read (for [`on_pool!`]).
    #[doc(hidden)]
    pub fn pool_for_read(&self) -> &Pool {
        self.stats.reads.fetch_add(1, Ordering::Relaxed);
        &self.pool
    }

    /// Counts `n` whole group rows read.
    pub(crate) fn count_group_rows(&self, n: usize) {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        self.stats.group_rows.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn count_membership_list(&self) {
        self.stats.membership_lists.fetch_add(1, Ordering::Relaxed);
    }

    /// The pool, counting one write transaction (for [`in_tx!`]).
    #[doc(hidden)]
    pub fn pool_for_write(&self) -> &Pool {
        self.stats.writes.fetch_add(1, Ordering::Relaxed);
        &self.pool
    }

    /// The pool, uncounted (migrations, shutdown).
    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Waits for in-flight queries and closes every connection.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }

    /// Whether [`Store::close`] was called: work still running in the background at shutdown
    /// fails with a closed pool, which is no fault to report.
    pub fn is_closed(&self) -> bool {
        match &self.pool {
            Pool::Sqlite(pool) => pool.is_closed(),
            Pool::Postgres(pool) => pool.is_closed(),
        }
    }
}
