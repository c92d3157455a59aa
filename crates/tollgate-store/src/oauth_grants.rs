//! OAuth grants and their artefacts: authorization codes (single use, even under a race),
//! refresh tokens (rotation with a leeway; a replay revokes the family) and the access tokens
//! that can be revoked. Every redemption is one conditional statement.

use tollgate_core::Timestamp;
use tollgate_core::app::vocab::GrantType;
use tollgate_core::authz::rule::TokenLifetimes;
use tollgate_core::log::LogEvent;
use tollgate_core::oauth::grant::Grant;

use crate::{Result, Store, in_tx, load, on_pool, write_events};

mod families;
mod refresh;

pub use families::{FamilyFilter, RefreshFamily};
pub use refresh::{NewRefresh, RefreshToken};

const INSERT_GRANT: &str = "INSERT INTO oauth_grants (id, server_id, client_id, user_id, grant_type, \
     scopes, auth_time, amr, session_id, nonce, access_minutes, refresh_minutes, \
     refresh_window_minutes, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
macro_rules! grant_columns {
    () => {
        "g.id, g.server_id, g.client_id, g.user_id, g.grant_type, g.scopes, g.auth_time, g.amr, \
         g.session_id, g.nonce, g.access_minutes, g.refresh_minutes, g.refresh_window_minutes, \
         g.created"
    };
}
pub(crate) use grant_columns;
const GRANT_BY_ID: &str = concat!(
    "SELECT ",
    grant_columns!(),
    " FROM oauth_grants g WHERE g.id = $1 AND g.revoked_at IS NULL"
);
const INSERT_CODE: &str = "INSERT INTO oauth_codes (digest, grant_id, redirect_uri, code_challenge, expires_at) \
     VALUES ($1, $2, $3, $4, $5)";
const REDEEM_CODE: &str = "UPDATE oauth_codes SET used_at = $2 \
     WHERE digest = $1 AND used_at IS NULL AND expires_at > $2 \
     RETURNING grant_id, redirect_uri, code_challenge";
const USED_CODE: &str =
    "SELECT grant_id FROM oauth_codes WHERE digest = $1 AND used_at IS NOT NULL";
const INSERT_ACCESS: &str =
    "INSERT INTO oauth_access_tokens (jti, grant_id, expires_at) VALUES ($1, $2, $3)";
const REVOKE_ACCESS: &str = "INSERT INTO oauth_access_tokens (jti, grant_id, expires_at, revoked_at) \
     VALUES ($1, NULL, $2, $3) ON CONFLICT (jti) DO UPDATE SET revoked_at = $3";
const ACCESS_REVOKED: &str = "SELECT a.jti FROM oauth_access_tokens a \
     LEFT JOIN oauth_grants g ON g.id = a.grant_id \
     WHERE a.jti = $1 AND (a.revoked_at IS NOT NULL OR g.revoked_at IS NOT NULL)";
const REVOKE_GRANT: &str =
    "UPDATE oauth_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
const PURGE_CODES: &str = "DELETE FROM oauth_codes WHERE expires_at <= $1";
const PURGE_REFRESH: &str =
    "DELETE FROM oauth_refresh_tokens WHERE idle_expires_at <= $1 OR expires_at <= $1";
const PURGE_ACCESS: &str = "DELETE FROM oauth_access_tokens WHERE expires_at <= $1";
const PURGE_GRANTS: &str = "DELETE FROM oauth_grants WHERE created <= $1 \
     AND NOT EXISTS (SELECT 1 FROM oauth_codes c WHERE c.grant_id = oauth_grants.id) \
     AND NOT EXISTS (SELECT 1 FROM oauth_refresh_tokens r WHERE r.grant_id = oauth_grants.id) \
     AND NOT EXISTS (SELECT 1 FROM oauth_access_tokens a WHERE a.grant_id = oauth_grants.id)";

#[derive(sqlx::FromRow)]
pub(crate) struct GrantRow {
    id: String,
    server_id: String,
    client_id: String,
    user_id: Option<String>,
    grant_type: String,
    scopes: String,
    auth_time: Option<i64>,
    amr: String,
    session_id: Option<String>,
    nonce: Option<String>,
    access_minutes: i64,
    refresh_minutes: i64,
    refresh_window_minutes: i64,
    created: i64,
}

impl TryFrom<GrantRow> for Grant {
    type Error = crate::Error;

    fn try_from(r: GrantRow) -> Result<Self> {
        Ok(Grant {
            id: r.id,
            server_id: r.server_id,
            client_id: r.client_id,
            user_id: r.user_id,
            grant_type: GrantType::parse(&r.grant_type)
                .ok_or_else(|| crate::Error::Corrupt(format!("grant type {:?}", r.grant_type)))?,
            scopes: serde_json::from_str(&r.scopes)?,
            auth_time: r.auth_time.map(Timestamp::from_millis),
            amr: serde_json::from_str(&r.amr)?,
            session_id: r.session_id,
            nonce: r.nonce,
            lifetimes: TokenLifetimes {
                access_minutes: r.access_minutes,
                refresh_minutes: r.refresh_minutes,
                refresh_window_minutes: r.refresh_window_minutes,
            },
            created: Timestamp::from_millis(r.created),
        })
    }
}

/// A code's redemption.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeRedemption {
    /// First use: the grant, the `redirect_uri` and PKCE challenge of the authorize request.
    Fresh {
        /// The grant.
        grant: Box<Grant>,
        /// The authorize request's `redirect_uri`.
        redirect_uri: String,
        /// Its `code_challenge` (S256).
        code_challenge: Option<String>,
    },
    /// The code was used before: its grant has been revoked.
    Replayed,
    /// Unknown or expired.
    Invalid,
}

macro_rules! insert_grant {
    ($tx:ident, $g:expr) => {{
        let g: &Grant = $g;
        sqlx::query(INSERT_GRANT)
            .bind(&g.id)
            .bind(&g.server_id)
            .bind(&g.client_id)
            .bind(g.user_id.as_deref())
            .bind(g.grant_type.as_str())
            .bind(serde_json::to_string(&g.scopes)?)
            .bind(g.auth_time.map(Timestamp::millis))
            .bind(serde_json::to_string(&g.amr)?)
            .bind(g.session_id.as_deref())
            .bind(g.nonce.as_deref())
            .bind(g.lifetimes.access_minutes)
            .bind(g.lifetimes.refresh_minutes)
            .bind(g.lifetimes.refresh_window_minutes)
            .bind(g.created.millis())
            .execute(&mut *$tx)
            .await?;
    }};
}

impl Store {
    /// Saves `grant` with its authorization code (by digest) and the authorize events.
    pub async fn create_code(
        &self,
        grant: &Grant,
        digest: &str,
        redirect_uri: &str,
        code_challenge: Option<&str>,
        expires_at: Timestamp,
        events: &[LogEvent],
    ) -> Result<()> {
        in_tx!(self, |tx| {
            insert_grant!(tx, grant);
            sqlx::query(INSERT_CODE)
                .bind(digest)
                .bind(&grant.id)
                .bind(redirect_uri)
                .bind(code_challenge)
                .bind(expires_at.millis())
                .execute(&mut *tx)
                .await?;
            write_events!(tx, events);
        });
        Ok(())
    }

    /// Saves a grant with no code (the password grant): the family of its refresh tokens.
    pub async fn create_grant(&self, grant: &Grant) -> Result<()> {
        in_tx!(self, |tx| {
            insert_grant!(tx, grant);
        });
        Ok(())
    }

    /// Uses an authorization code once. A second use revokes everything its grant issued.
    pub async fn redeem_code(&self, digest: &str, now: Timestamp) -> Result<CodeRedemption> {
        let used: Option<(String, String, Option<String>)> =
            on_pool!(self, |pool| sqlx::query_as(REDEEM_CODE)
                .bind(digest)
                .bind(now.millis())
                .fetch_optional(pool)
                .await)?;
        if let Some((grant_id, redirect_uri, code_challenge)) = used {
            return Ok(match self.grant(&grant_id).await? {
                Some(grant) => CodeRedemption::Fresh {
                    grant: Box::new(grant),
                    redirect_uri,
                    code_challenge,
                },
                None => CodeRedemption::Invalid,
            });
        }
        let replay: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(USED_CODE)
            .bind(digest)
            .fetch_optional(pool)
            .await)?;
        match replay {
            Some((grant_id,)) => {
                self.revoke_grant(&grant_id, now).await?;
                Ok(CodeRedemption::Replayed)
            }
            None => Ok(CodeRedemption::Invalid),
        }
    }

    /// The grant `id`, unless revoked.
    pub async fn grant(&self, id: &str) -> Result<Option<Grant>> {
        load!(one: self, GrantRow, GRANT_BY_ID, id)
    }

    /// Revokes a grant family: its refresh tokens stop working and its access tokens read as
    /// revoked.
    pub async fn revoke_grant(&self, id: &str, now: Timestamp) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(REVOKE_GRANT)
            .bind(id)
            .bind(now.millis())
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Remembers an access token of `grant_id`, so revoking the family reaches it.
    pub async fn record_access_token(
        &self,
        jti: &str,
        grant_id: &str,
        expires_at: Timestamp,
    ) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(INSERT_ACCESS)
            .bind(jti)
            .bind(grant_id)
            .bind(expires_at.millis())
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Revokes one access token.
    pub async fn revoke_access_token(
        &self,
        jti: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(REVOKE_ACCESS)
            .bind(jti)
            .bind(expires_at.millis())
            .bind(now.millis())
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Whether the access token `jti` was revoked, by itself or with its family.
    pub async fn access_token_revoked(&self, jti: &str) -> Result<bool> {
        let row: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(ACCESS_REVOKED)
            .bind(jti)
            .fetch_optional(pool)
            .await)?;
        Ok(row.is_some())
    }

    /// Deletes expired codes and tokens, and grants nothing refers to any more. Idempotent;
    /// any number of processes may run it.
    pub async fn purge_oauth(&self, now: Timestamp) -> Result<u64> {
        let mut removed = 0;
        for sql in [PURGE_CODES, PURGE_REFRESH, PURGE_ACCESS] {
            removed += on_pool!(self, |pool| sqlx::query(sql)
                .bind(now.millis())
                .execute(pool)
                .await
                .map(|r| r.rows_affected()))?;
        }
        // A grant outlives its code by a day so a late replay still finds and revokes it.
        let cutoff = now.millis().saturating_sub(24 * 3600 * 1000);
        removed += on_pool!(self, |pool| sqlx::query(PURGE_GRANTS)
            .bind(cutoff)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(removed)
    }
}
