//! Storage errors. They name no domain concept; the server maps them.

/// What a store operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// The row changed since it was read; read it again and redo the change.
    #[error("changed by another write since it was read")]
    Stale,
    /// A unique constraint refused the write; `constraint` names the column or index when the
    /// backend says which.
    #[error("conflict on {constraint}")]
    Conflict {
        /// The constraint, index or `table.column` reported by the backend.
        constraint: String,
    },
    /// A stored value could not be read back (a bug or a hand-edited database).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// A `filter` or `search` expression names an attribute, operator or value this resource
    /// does not support.
    #[error("invalid search criteria: {0}")]
    BadFilter(String),
    /// The database URL is not usable.
    #[error("{0}")]
    Url(String),
    /// No database connection became free within the pool's acquire timeout: the server is
    /// overloaded, and the request may be retried.
    #[error("no database connection became free in time")]
    Busy,
    /// The database failed.
    #[error("database error: {0}")]
    Backend(#[source] sqlx::Error),
    /// Migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, Error>;

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => return Self::NotFound,
            sqlx::Error::PoolTimedOut => return Self::Busy,
            _ => {}
        }
        if let Some(db) = e.as_database_error()
            && db.is_unique_violation()
        {
            let constraint = db.constraint().map(str::to_owned).unwrap_or_else(|| {
                // SQLite reports "UNIQUE constraint failed: table.column".
                db.message()
                    .rsplit(": ")
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            });
            return Self::Conflict { constraint };
        }
        Self::Backend(e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Self::Corrupt(e.to_string())
    }
}

impl From<crate::search::Unsupported> for Error {
    fn from(e: crate::search::Unsupported) -> Self {
        Self::BadFilter(e.0)
    }
}
