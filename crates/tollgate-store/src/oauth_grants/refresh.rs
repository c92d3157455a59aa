//! Refresh tokens of a grant family: issued, found by digest with their grant, rotated
//! atomically (exactly one of several racing requests wins; the others are reuse) and their
//! idle window extended.

use tollgate_core::Timestamp;
use tollgate_core::oauth::grant::Grant;

use super::{GrantRow, grant_columns};
use crate::{Result, Store, in_tx, on_pool};

const REFRESH_BY_DIGEST: &str = concat!(
    "SELECT ",
    grant_columns!(),
    ", r.expires_at AS r_expires, r.idle_expires_at AS r_idle, r.replaced_at AS r_replaced \
     FROM oauth_refresh_tokens r JOIN oauth_grants g ON g.id = r.grant_id \
     WHERE r.digest = $1 AND g.revoked_at IS NULL"
);
const INSERT_REFRESH: &str = "INSERT INTO oauth_refresh_tokens \
     (digest, grant_id, created, expires_at, idle_expires_at) VALUES ($1, $2, $3, $4, $5)";
/// Marks a refresh token rotated, unless it already was (a use within the leeway keeps the
/// first rotation time). Zero rows: another request rotated it first, or the leeway is over.
const ROTATE_REFRESH: &str = "UPDATE oauth_refresh_tokens SET replaced_at = COALESCE(replaced_at, $2) \
     WHERE digest = $1 AND (replaced_at IS NULL \
     OR (CAST($3 AS BIGINT) > 0 AND $2 <= replaced_at + CAST($3 AS BIGINT)))";
const TOUCH_REFRESH: &str =
    "UPDATE oauth_refresh_tokens SET idle_expires_at = $2 WHERE digest = $1";

/// The `INSERT` of refresh token `$new` (a [`NewRefresh`]) of grant `$grant_id`, made `$now`.
macro_rules! insert_refresh {
    ($grant_id:expr, $new:expr, $now:expr) => {
        sqlx::query(INSERT_REFRESH)
            .bind($new.digest)
            .bind($grant_id)
            .bind($now.millis())
            .bind($new.expires_at.millis())
            .bind($new.idle_expires_at.millis())
    };
}

/// A refresh token as found.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshToken {
    /// Its grant.
    pub grant: Grant,
    /// When it expires, whatever its use.
    pub expires_at: Timestamp,
    /// When it expires unless used.
    pub idle_expires_at: Timestamp,
    /// When a rotation replaced it.
    pub replaced_at: Option<Timestamp>,
}

/// A new refresh token to save.
#[derive(Debug, Clone, Copy)]
pub struct NewRefresh<'a> {
    /// Its digest.
    pub digest: &'a str,
    /// Absolute expiry.
    pub expires_at: Timestamp,
    /// Idle expiry.
    pub idle_expires_at: Timestamp,
}

impl Store {
    /// Saves a new refresh token of `grant_id` (rotation is [`Store::rotate_refresh_token`]).
    pub async fn create_refresh_token(
        &self,
        grant_id: &str,
        new: NewRefresh<'_>,
        now: Timestamp,
    ) -> Result<()> {
        on_pool!(self, |pool| insert_refresh!(grant_id, new, now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Rotates refresh token `old` of grant `grant_id` into `new`, atomically: exactly one of
    /// several requests racing with the same token wins (`true`); the others, and any use
    /// after the leeway (`leeway_ms`), get `false` and nothing is written.
    pub async fn rotate_refresh_token(
        &self,
        grant_id: &str,
        new: NewRefresh<'_>,
        old: &str,
        now: Timestamp,
        leeway_ms: i64,
    ) -> Result<bool> {
        let won = in_tx!(self, |tx| {
            let rotated = sqlx::query(ROTATE_REFRESH)
                .bind(old)
                .bind(now.millis())
                .bind(leeway_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if rotated == 1 {
                insert_refresh!(grant_id, new, now)
                    .execute(&mut *tx)
                    .await?;
            }
            rotated == 1
        });
        Ok(won)
    }

    /// The refresh token with this digest, with its grant, unless the grant was revoked.
    pub async fn find_refresh_token(&self, digest: &str) -> Result<Option<RefreshToken>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            grant: GrantRow,
            r_expires: i64,
            r_idle: i64,
            r_replaced: Option<i64>,
        }
        let row: Option<Row> = on_pool!(self, |pool| sqlx::query_as(REFRESH_BY_DIGEST)
            .bind(digest)
            .fetch_optional(pool)
            .await)?;
        row.map(|r| {
            Ok(RefreshToken {
                grant: r.grant.try_into()?,
                expires_at: Timestamp::from_millis(r.r_expires),
                idle_expires_at: Timestamp::from_millis(r.r_idle),
                replaced_at: r.r_replaced.map(Timestamp::from_millis),
            })
        })
        .transpose()
    }

    /// Moves a refresh token's idle expiry (a `STATIC` token was used).
    pub async fn touch_refresh_token(
        &self,
        digest: &str,
        idle_expires_at: Timestamp,
    ) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(TOUCH_REFRESH)
            .bind(digest)
            .bind(idle_expires_at.millis())
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }
}
