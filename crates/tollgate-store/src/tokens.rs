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
}

pub(crate) const INSERT_TOKEN: &str = "INSERT INTO api_tokens (id, name, token_digest, created) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (token_digest) DO NOTHING";
const FIND_TOKEN: &str = "SELECT id, name, created FROM api_tokens WHERE token_digest = $1";
const LIST_TOKENS: &str =
    "SELECT id, name, created, token_digest FROM api_tokens ORDER BY created, id";

/// The insert statement for a new token; callers pick the executor (pool or transaction).
macro_rules! insert_token {
    ($name:expr, $digest:expr, $now:expr) => {
        sqlx::query($crate::tokens::INSERT_TOKEN)
            .bind(tollgate_core::id::ApiTokenId::generate().into_string())
            .bind($name)
            .bind($digest)
            .bind($now.millis())
    };
}
pub(crate) use insert_token;

impl Store {
    /// Registers a token by its digest. Registering the same token again changes nothing and
    /// returns `false`.
    pub async fn register_api_token(
        &self,
        name: &str,
        digest: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let rows = on_pool!(self, |pool| insert_token!(name, digest, now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(rows > 0)
    }

    /// Every token with its digest, oldest first (for `tollgate export`: the digest is all that
    /// is stored, and all an import needs to recognise the same token).
    pub async fn list_api_tokens(&self) -> Result<Vec<(ApiTokenRecord, String)>> {
        let rows: Vec<(String, String, i64, String)> =
            on_pool!(self, |pool| sqlx::query_as(LIST_TOKENS)
                .fetch_all(pool)
                .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, created, digest)| (ApiTokenRecord { id, name, created }, digest))
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
