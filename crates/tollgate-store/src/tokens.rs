//! Admin API tokens (`SSWS`), stored as SHA-256 digests of the token text.

use tollgate_core::Timestamp;

use crate::{Result, Store, on_pool};

/// A stored API token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiTokenRecord {
    /// `00T…`.
    pub id: String,
    /// The name given at creation.
    pub name: String,
    /// When it was created (ms).
    pub created: i64,
    /// The admin user it acts as (none only before an upgrade gives it one).
    pub user_id: Option<String>,
    /// When it was last used (ms), if recorded.
    pub last_used: Option<i64>,
}

pub(crate) const INSERT_TOKEN: &str = "INSERT INTO api_tokens (id, name, token_digest, created, user_id) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (token_digest) DO NOTHING";
const FIND_TOKEN: &str =
    "SELECT id, name, created, user_id, last_used FROM api_tokens WHERE token_digest = $1";
const TOKEN_BY_ID: &str =
    "SELECT id, name, created, user_id, last_used FROM api_tokens WHERE id = $1";
const LIST_TOKENS: &str = "SELECT id, name, created, user_id, last_used, token_digest FROM api_tokens ORDER BY created, id";
const DELETE_TOKEN: &str = "DELETE FROM api_tokens WHERE id = $1";
const OWNERLESS: &str = "SELECT COUNT(*) FROM api_tokens WHERE user_id IS NULL";
const CLAIM_OWNERLESS: &str = "UPDATE api_tokens SET user_id = $1 WHERE user_id IS NULL";

/// The insert statement for a new token; callers pick the executor (pool or transaction).
macro_rules! insert_token {
    ($name:expr, $digest:expr, $owner:expr, $now:expr) => {
        sqlx::query($crate::tokens::INSERT_TOKEN)
            .bind(tollgate_core::id::ApiTokenId::generate().into_string())
            .bind($name)
            .bind($digest)
            .bind($now.millis())
            .bind($owner)
    };
}
pub(crate) use insert_token;

impl Store {
    /// Registers a token by its digest, acting as the user `owner`. Registering the same
    /// token again changes nothing and returns `false`.
    pub async fn register_api_token(
        &self,
        name: &str,
        digest: &str,
        owner: Option<&str>,
        now: Timestamp,
    ) -> Result<bool> {
        let rows = on_pool!(self, |pool| insert_token!(name, digest, owner, now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(rows > 0)
    }

    /// Every token with its digest, oldest first (for `tollgate export`: the digest is all that
    /// is stored, and all an import needs to recognise the same token).
    pub async fn list_api_tokens(&self) -> Result<Vec<(ApiTokenRecord, String)>> {
        type Row = (String, String, i64, Option<String>, Option<i64>, String);
        let rows: Vec<Row> = on_pool!(self, |pool| sqlx::query_as(LIST_TOKENS)
            .fetch_all(pool)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, created, user_id, last_used, digest)| {
                let record = ApiTokenRecord {
                    id,
                    name,
                    created,
                    user_id,
                    last_used,
                };
                (record, digest)
            })
            .collect())
    }

    /// The token with this digest, if any.
    pub async fn find_api_token(&self, digest: &str) -> Result<Option<ApiTokenRecord>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(FIND_TOKEN)
            .bind(digest)
            .fetch_optional(pool)
            .await)?)
    }
}

impl Store {
    /// The token with this id, if any.
    pub async fn find_api_token_by_id(&self, id: &str) -> Result<Option<ApiTokenRecord>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(TOKEN_BY_ID)
            .bind(id)
            .fetch_optional(pool)
            .await)?)
    }

    /// Revokes a token; `false` when there was none.
    pub async fn delete_api_token(
        &self,
        id: &str,
        events: &[tollgate_core::log::LogEvent],
    ) -> Result<bool> {
        let n = crate::write_logged!(self, events, DELETE_TOKEN; id);
        Ok(n > 0)
    }

    /// How many tokens have no owner (made before tokens had owners, or registered at start
    /// before the first admin exists).
    pub async fn ownerless_api_tokens(&self) -> Result<i64> {
        let (n,): (i64,) = on_pool!(self, |pool| sqlx::query_as(OWNERLESS).fetch_one(pool).await)?;
        Ok(n)
    }

    /// Gives every ownerless token to `user_id`.
    pub async fn claim_ownerless_api_tokens(&self, user_id: &str) -> Result<u64> {
        Ok(on_pool!(self, |pool| sqlx::query(CLAIM_OWNERLESS)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?)
    }
}
