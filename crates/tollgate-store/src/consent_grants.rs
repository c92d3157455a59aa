//! Consent grants of apps to Okta's management scopes, with the System Log events of each change.

use tollgate_core::Timestamp;
use tollgate_core::app::consent::{ConsentGrant, GrantSource};
use tollgate_core::log::LogEvent;

use crate::{Error, Result, Store, load, write_logged};

macro_rules! grant_select {
    ($where:literal) => {
        concat!(
            "SELECT id, app_id, client_id, scope_id, issuer, source, user_id, created_by_id, \
             created_by_type, created FROM app_consent_grants WHERE ",
            $where,
            " ORDER BY created, id"
        )
    };
}

const INSERT: &str = "INSERT INTO app_consent_grants (id, app_id, client_id, scope_id, issuer, \
     source, user_id, created_by_id, created_by_type, created) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const OF_APP: &str = grant_select!("app_id = $1");
const ONE_OF_APP: &str = grant_select!("app_id = $1 AND id = $2");
const OF_USER: &str =
    grant_select!("user_id = $1 AND (CAST($2 AS TEXT) IS NULL OR client_id = $2)");
const DELETE_OF_APP: &str = "DELETE FROM app_consent_grants WHERE app_id = $1 AND id = $2";
const DELETE_OF_USER: &str = "DELETE FROM app_consent_grants \
     WHERE user_id = $1 AND (CAST($2 AS TEXT) IS NULL OR client_id = $2)";

#[derive(sqlx::FromRow)]
struct GrantRow {
    id: String,
    app_id: String,
    client_id: String,
    scope_id: String,
    issuer: String,
    source: String,
    user_id: Option<String>,
    created_by_id: String,
    created_by_type: String,
    created: i64,
}

impl TryFrom<GrantRow> for ConsentGrant {
    type Error = Error;

    fn try_from(r: GrantRow) -> Result<Self> {
        Ok(ConsentGrant {
            source: GrantSource::parse(&r.source)
                .ok_or_else(|| Error::Corrupt(format!("consent grant source {:?}", r.source)))?,
            id: r.id,
            app_id: r.app_id,
            client_id: r.client_id,
            scope_id: r.scope_id,
            issuer: r.issuer,
            user_id: r.user_id,
            created_by: (r.created_by_id, r.created_by_type),
            created: Timestamp::from_millis(r.created),
        })
    }
}

impl Store {
    /// Saves a new consent grant with its events.
    pub async fn create_consent_grant(&self, g: &ConsentGrant, events: &[LogEvent]) -> Result<()> {
        write_logged!(self, events, INSERT; &g.id, &g.app_id, &g.client_id, &g.scope_id, &g.issuer,
            g.source.as_str(), g.user_id.as_deref(), &g.created_by.0, &g.created_by.1,
            g.created.millis());
        Ok(())
    }

    /// The grants of an app, oldest first.
    pub async fn consent_grants_of_app(&self, app_id: &str) -> Result<Vec<ConsentGrant>> {
        load!(all: self, GrantRow, OF_APP, app_id)
    }

    /// One grant of an app.
    pub async fn find_consent_grant(&self, app_id: &str, id: &str) -> Result<Option<ConsentGrant>> {
        load!(one: self, GrantRow, ONE_OF_APP, app_id, id)
    }

    /// The grants a user made, to any client or to `client_id`.
    pub async fn consent_grants_of_user(
        &self,
        user_id: &str,
        client_id: Option<&str>,
    ) -> Result<Vec<ConsentGrant>> {
        load!(all: self, GrantRow, OF_USER, user_id, client_id)
    }

    /// Revokes one grant of an app; answers whether it existed.
    pub async fn delete_consent_grant(
        &self,
        app_id: &str,
        id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        Ok(write_logged!(self, events, DELETE_OF_APP; app_id, id) > 0)
    }

    /// Revokes a user's grants, to any client or to `client_id`; answers how many.
    pub async fn delete_user_consent_grants(
        &self,
        user_id: &str,
        client_id: Option<&str>,
        events: &[LogEvent],
    ) -> Result<u64> {
        let n = write_logged!(self, events, DELETE_OF_USER; user_id, client_id);
        Ok(n)
    }
}
