//! What backups need from the database: whether it holds sealed signing keys (so a missing
//! master key is noticed before a new one is made), and an online, consistent copy of a
//! SQLite file.

use std::path::Path;

use crate::{Pool, Result, Store};

const ANY_SIGNING_KEY: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM signing_keys LIMIT 1) AS k";

impl Store {
    /// Whether any signing key is stored (sealed with some master key).
    pub async fn has_signing_keys(&self) -> Result<bool> {
        let (count,): (i64,) = crate::on_pool!(self, |pool| sqlx::query_as(ANY_SIGNING_KEY)
            .fetch_one(pool)
            .await)?;
        Ok(count > 0)
    }

    /// Writes a consistent copy of a SQLite database to `target` (which must not exist) with
    /// `VACUUM INTO`, while other connections go on reading and writing. PostgreSQL has its
    /// own tools (`pg_dump`), so it is refused.
    pub async fn copy_sqlite_into(&self, target: &Path) -> Result<()> {
        let Pool::Sqlite(pool) = self.pool_for_read() else {
            return Err(crate::Error::Url(
                "an online copy is made of SQLite databases only".to_owned(),
            ));
        };
        let target = target.to_str().ok_or_else(|| {
            crate::Error::Url(format!("{} is not a UTF-8 path", target.display()))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(pool)
            .await?;
        Ok(())
    }
}
