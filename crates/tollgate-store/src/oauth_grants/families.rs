//! Live refresh-token families, as the management API lists them (`/apps/{id}/tokens`,
//! `/users/{id}/clients/{clientId}/tokens`, `/authorizationServers/{id}/clients/...`): a grant
//! that is not revoked and whose latest refresh token is neither rotated away nor expired.

use tollgate_core::Timestamp;
use tollgate_core::oauth::grant::Grant;

use super::{GrantRow, grant_columns};
use crate::{Result, Store, on_pool};

/// The families' filter: each `None` matches everything. `$1` server, `$2` client, `$3` user,
/// `$4` grant id, `$5` now.
macro_rules! live_families {
    () => {
        "FROM oauth_grants g JOIN oauth_refresh_tokens r ON r.grant_id = g.id \
         WHERE g.revoked_at IS NULL AND r.replaced_at IS NULL \
         AND r.expires_at > $5 AND r.idle_expires_at > $5 \
         AND (CAST($1 AS TEXT) IS NULL OR g.server_id = $1) \
         AND (CAST($2 AS TEXT) IS NULL OR g.client_id = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR g.user_id = $3) \
         AND (CAST($4 AS TEXT) IS NULL OR g.id = $4)"
    };
}

const LIST_FAMILIES: &str = concat!(
    "SELECT ",
    grant_columns!(),
    ", r.created AS r_created, \
     CASE WHEN r.expires_at < r.idle_expires_at THEN r.expires_at ELSE r.idle_expires_at END \
     AS r_expires ",
    live_families!(),
    " ORDER BY g.created, g.id"
);
const REVOKE_FAMILIES: &str = concat!(
    "UPDATE oauth_grants SET revoked_at = $5 WHERE id IN (SELECT g.id ",
    live_families!(),
    ")"
);

/// Which families: each `None` matches any.
#[derive(Debug, Clone, Copy, Default)]
pub struct FamilyFilter<'a> {
    /// The authorization server (`default`, `aus…`, or the org server's id).
    pub server_id: Option<&'a str>,
    /// The client.
    pub client_id: Option<&'a str>,
    /// The user the grant was made to.
    pub user_id: Option<&'a str>,
    /// One family.
    pub grant_id: Option<&'a str>,
}

/// A grant with a live refresh token.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshFamily {
    /// The grant (its id is the token object's id).
    pub grant: Grant,
    /// When its current refresh token was issued.
    pub issued: Timestamp,
    /// When its current refresh token expires unless used again (the earlier of its idle and
    /// absolute expiry).
    pub expires_at: Timestamp,
}

impl Store {
    /// The live refresh-token families matching `filter`, oldest first.
    pub async fn live_refresh_families(
        &self,
        filter: FamilyFilter<'_>,
        now: Timestamp,
    ) -> Result<Vec<RefreshFamily>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            grant: GrantRow,
            r_created: i64,
            r_expires: i64,
        }
        let rows: Vec<Row> = on_pool!(self, |pool| sqlx::query_as(LIST_FAMILIES)
            .bind(filter.server_id)
            .bind(filter.client_id)
            .bind(filter.user_id)
            .bind(filter.grant_id)
            .bind(now.millis())
            .fetch_all(pool)
            .await)?;
        rows.into_iter()
            .map(|r| {
                Ok(RefreshFamily {
                    grant: r.grant.try_into()?,
                    issued: Timestamp::from_millis(r.r_created),
                    expires_at: Timestamp::from_millis(r.r_expires),
                })
            })
            .collect()
    }

    /// Revokes every live family matching `filter` (their refresh and access tokens stop
    /// working); answers how many were revoked.
    pub async fn revoke_refresh_families(
        &self,
        filter: FamilyFilter<'_>,
        now: Timestamp,
    ) -> Result<u64> {
        on_pool!(self, |pool| sqlx::query(REVOKE_FAMILIES)
            .bind(filter.server_id)
            .bind(filter.client_id)
            .bind(filter.user_id)
            .bind(filter.grant_id)
            .bind(now.millis())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .map_err(Into::into)
    }
}
