//! Claims of custom authorization servers.

use tollgate_core::Timestamp;
use tollgate_core::authz::{Claim, ClaimType, ClaimValueType, GroupFilterType};
use tollgate_core::id::{AuthServerId, ClaimId};
use tollgate_core::log::LogEvent;
use tollgate_core::server::Status;

use super::{BUMP_SERVER, conflict_on_name, name_taken, revise, write_one};
use crate::{Error, Result, Store, in_tx, load};

#[derive(sqlx::FromRow)]
pub(crate) struct ClaimRow {
    id: String,
    server_id: String,
    name: String,
    status: String,
    claim_type: String,
    value_type: String,
    value: String,
    group_filter_type: Option<String>,
    always_include: i64,
    scopes: String,
    system: i64,
    created: i64,
    last_updated: i64,
}

fn corrupt(what: &str, v: &str) -> Error {
    Error::Corrupt(format!("{what} {v:?}"))
}

impl TryFrom<ClaimRow> for Claim {
    type Error = Error;

    fn try_from(r: ClaimRow) -> Result<Self> {
        let group_filter_type = match r.group_filter_type.as_deref() {
            None => None,
            Some(g) => Some(GroupFilterType::parse(g).ok_or_else(|| corrupt("group filter", g))?),
        };
        Ok(Claim {
            id: ClaimId::from_trusted(r.id),
            server_id: AuthServerId::from_trusted(r.server_id),
            name: r.name,
            status: Status::parse(&r.status).ok_or_else(|| corrupt("status", &r.status))?,
            claim_type: ClaimType::parse(&r.claim_type)
                .ok_or_else(|| corrupt("claim type", &r.claim_type))?,
            value_type: ClaimValueType::parse(&r.value_type)
                .ok_or_else(|| corrupt("value type", &r.value_type))?,
            value: r.value,
            group_filter_type,
            always_include_in_token: r.always_include != 0,
            scopes: serde_json::from_str(&r.scopes)?,
            system: r.system != 0,
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
        })
    }
}

pub(crate) const INSERT_CLAIM: &str = "INSERT INTO authz_claims (id, server_id, name, status, claim_type, value_type, \
     value, group_filter_type, always_include, scopes, system, created, last_updated) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
     ON CONFLICT (server_id, name, claim_type) DO NOTHING";
const SELECT_CLAIM: &str = "SELECT id, server_id, name, status, claim_type, value_type, value, group_filter_type, \
     always_include, scopes, system, created, last_updated FROM authz_claims WHERE server_id = $1 AND id = $2";
pub(crate) const CLAIMS_OF: &str = "SELECT id, server_id, name, status, claim_type, value_type, value, group_filter_type, \
     always_include, scopes, system, created, last_updated FROM authz_claims WHERE server_id = $1 \
     ORDER BY name, claim_type, id";
const UPDATE_CLAIM: &str = "UPDATE authz_claims SET name = $3, status = $4, claim_type = $5, value_type = $6, \
     value = $7, group_filter_type = $8, always_include = $9, scopes = $10, last_updated = $11 \
     WHERE server_id = $1 AND id = $2";
const DELETE_CLAIM: &str = "DELETE FROM authz_claims WHERE server_id = $1 AND id = $2";

/// The insert of one claim (a name and type already taken on the server is skipped: check
/// `rows_affected`); `$scopes` is the JSON text of its scope list.
macro_rules! insert_claim {
    ($c:expr, $scopes:expr) => {
        sqlx::query($crate::authz::claims::INSERT_CLAIM)
            .bind($c.id.as_str())
            .bind($c.server_id.as_str())
            .bind(&$c.name)
            .bind($c.status.as_str())
            .bind($c.claim_type.as_str())
            .bind($c.value_type.as_str())
            .bind(&$c.value)
            .bind($c.group_filter_type.map(|g| g.as_str()))
            .bind(i64::from($c.always_include_in_token))
            .bind($scopes)
            .bind(i64::from($c.system))
            .bind($c.created.millis())
            .bind($c.last_updated.millis())
    };
}
pub(crate) use insert_claim;

impl Store {
    /// Saves a new claim. A name already used by a claim of the same type on the server is
    /// `Conflict { constraint: "name" }`.
    pub async fn create_claim(&self, c: &Claim, events: &[LogEvent]) -> Result<()> {
        let scopes = serde_json::to_string(&c.scopes)?;
        in_tx!(self, |tx| {
            let n = insert_claim!(c, &scopes)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(conflict_on_name());
            }
            revise!(tx, BUMP_SERVER, c.server_id.as_str(), events);
        });
        Ok(())
    }

    /// One claim of a server.
    pub async fn find_claim(&self, server_id: &str, id: &str) -> Result<Option<Claim>> {
        load!(one: self, ClaimRow, SELECT_CLAIM, server_id, id)
    }

    /// Every claim of a server, by name and type.
    pub async fn claims_of(&self, server_id: &str) -> Result<Vec<Claim>> {
        load!(all: self, ClaimRow, CLAIMS_OF, server_id)
    }

    /// Saves a claim's editable fields. A name and type already taken is `Conflict`.
    pub async fn update_claim(&self, c: &Claim, events: &[LogEvent]) -> Result<()> {
        let scopes = serde_json::to_string(&c.scopes)?;
        let updated = write_one!(
            self,
            events,
            BUMP_SERVER,
            UPDATE_CLAIM,
            on_error: name_taken,
            c.server_id.as_str(),
            c.id.as_str(),
            &c.name,
            c.status.as_str(),
            c.claim_type.as_str(),
            c.value_type.as_str(),
            &c.value,
            c.group_filter_type.map(GroupFilterType::as_str),
            i64::from(c.always_include_in_token),
            &scopes,
            c.last_updated.millis()
        );
        if updated {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// Deletes a claim. Returns whether it existed.
    pub async fn delete_claim(
        &self,
        server_id: &str,
        id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        Ok(write_one!(
            self,
            events,
            BUMP_SERVER,
            DELETE_CLAIM,
            server_id,
            id
        ))
    }
}
