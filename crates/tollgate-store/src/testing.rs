//! Scratch databases for tests, on both backends (feature `testing`).
//!
//! PostgreSQL cases need `TOLLGATE_TEST_DATABASE_URL` (a database the tests may connect to in
//! order to create and drop their own). Without it they report loudly that they did not run;
//! with `TOLLGATE_REQUIRE_POSTGRES=1` a missing or unreachable server is an error.

use std::str::FromStr;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use crate::DatabaseUrl;

/// A database that exists for one test.
#[derive(Debug)]
pub struct Scratch {
    /// Where it is.
    pub url: DatabaseUrl,
    dir: Option<tempfile::TempDir>,
    postgres: Option<(PgConnectOptions, String)>,
}

impl Scratch {
    /// A fresh SQLite file in a temporary directory (removed when dropped).
    pub fn sqlite() -> Result<Self, String> {
        let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
        let url = DatabaseUrl::Sqlite(dir.path().join("tollgate.db"));
        Ok(Self {
            url,
            dir: Some(dir),
            postgres: None,
        })
    }

    /// A fresh, empty PostgreSQL database, or `None` when no server is configured (after
    /// saying so on stderr).
    pub async fn postgres() -> Result<Option<Self>, String> {
        let required = std::env::var("TOLLGATE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        let Ok(base) = std::env::var("TOLLGATE_TEST_DATABASE_URL") else {
            if required {
                return Err(
                    "TOLLGATE_REQUIRE_POSTGRES=1 but TOLLGATE_TEST_DATABASE_URL is not set"
                        .to_owned(),
                );
            }
            eprintln!(
                "NOTE: PostgreSQL case NOT RUN: set TOLLGATE_TEST_DATABASE_URL=postgres://USER:PASS@127.0.0.1:5432/DB \
                 (see .ci/run for how to start a server)"
            );
            return Ok(None);
        };
        let admin = PgConnectOptions::from_str(&base)
            .map_err(|e| format!("TOLLGATE_TEST_DATABASE_URL: {e}"))?;
        let name = format!(
            "t_{}",
            tollgate_core::id::random_base62(16).to_ascii_lowercase()
        );
        let mut conn = PgConnection::connect_with(&admin)
            .await
            .map_err(|e| format!("cannot reach the PostgreSQL test server at {base}: {e}"))?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .map_err(|e| format!("CREATE DATABASE {name}: {e}"))?;
        let _ = conn.close().await;
        let url = with_database(&base, &name);
        Ok(Some(Self {
            url: DatabaseUrl::Postgres(url),
            dir: None,
            postgres: Some((admin, name)),
        }))
    }

    /// The directory holding a SQLite scratch file.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_ref().map(tempfile::TempDir::path)
    }

    /// Drops a PostgreSQL scratch database (call at the end of a passing test; connections to
    /// it must be closed first).
    pub async fn cleanup(self) {
        if let Some((admin, name)) = &self.postgres
            && let Ok(mut conn) = PgConnection::connect_with(admin).await
        {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await;
            let _ = conn.close().await;
        }
    }
}

/// `base` with its database name replaced by `name`.
fn with_database(base: &str, name: &str) -> String {
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (base, None),
    };
    let after_scheme = head.find("://").map_or(0, |i| i + 3);
    let root = match head.get(after_scheme..).and_then(|rest| rest.find('/')) {
        Some(slash) => head.get(..after_scheme + slash).unwrap_or(head),
        None => head,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// Connections taken out of a store's pool, returned when dropped.
pub enum HeldConnections {
    /// From a SQLite pool.
    Sqlite(Vec<sqlx::pool::PoolConnection<sqlx::Sqlite>>),
    /// From a PostgreSQL pool.
    Postgres(Vec<sqlx::pool::PoolConnection<sqlx::Postgres>>),
}

impl crate::Store {
    /// Takes `n` connections out of the pool and keeps them until the result is dropped (to
    /// exhaust the pool in a test).
    pub async fn hold_connections(&self, n: usize) -> crate::Result<HeldConnections> {
        Ok(match self.pool() {
            crate::Pool::Sqlite(p) => {
                let mut held = Vec::with_capacity(n);
                for _ in 0..n {
                    held.push(p.acquire().await?);
                }
                HeldConnections::Sqlite(held)
            }
            crate::Pool::Postgres(p) => {
                let mut held = Vec::with_capacity(n);
                for _ in 0..n {
                    held.push(p.acquire().await?);
                }
                HeldConnections::Postgres(held)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_database_name() {
        assert_eq!(
            super::with_database("postgres://u:p@h:5432/db", "t_x"),
            "postgres://u:p@h:5432/t_x"
        );
        assert_eq!(
            super::with_database("postgres://u@h/db?sslmode=disable", "t_x"),
            "postgres://u@h/t_x?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://h", "t_x"),
            "postgres://h/t_x"
        );
    }
}
