//! Scopes of custom authorization servers.

use tollgate_core::Timestamp;
use tollgate_core::authz::{Consent, MetadataPublish, Scope};
use tollgate_core::id::{AuthServerId, ScopeId};
use tollgate_core::log::LogEvent;

use super::{BUMP_SERVER, conflict_on_name, name_taken, revise, write_one};
use crate::search::{Bind, Sql};
use crate::{Error, Result, Store, bound_query_as, in_tx, load, on_pool};

#[derive(sqlx::FromRow)]
pub(crate) struct ScopeRow {
    id: String,
    server_id: String,
    name: String,
    display_name: Option<String>,
    description: Option<String>,
    system: i64,
    is_default: i64,
    optional: i64,
    consent: String,
    metadata_publish: String,
    created: i64,
    last_updated: i64,
}

impl TryFrom<ScopeRow> for Scope {
    type Error = Error;

    fn try_from(r: ScopeRow) -> Result<Self> {
        Ok(Scope {
            id: ScopeId::from_trusted(r.id),
            server_id: AuthServerId::from_trusted(r.server_id),
            name: r.name,
            display_name: r.display_name,
            description: r.description,
            system: r.system != 0,
            default: r.is_default != 0,
            optional: r.optional != 0,
            consent: Consent::parse(&r.consent)
                .ok_or_else(|| Error::Corrupt(format!("consent {:?}", r.consent)))?,
            metadata_publish: MetadataPublish::parse(&r.metadata_publish).ok_or_else(|| {
                Error::Corrupt(format!("metadata publish {:?}", r.metadata_publish))
            })?,
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
        })
    }
}

pub(crate) const SCOPE_COLUMNS: &str = "id, server_id, name, display_name, description, system, is_default, optional, \
     consent, metadata_publish, created, last_updated";
pub(crate) const INSERT_SCOPE: &str = "INSERT INTO authz_scopes (id, server_id, name, display_name, description, system, \
     is_default, optional, consent, metadata_publish, created, last_updated) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (server_id, name) DO NOTHING";
const SELECT_SCOPE: &str = "SELECT id, server_id, name, display_name, description, system, is_default, optional, \
     consent, metadata_publish, created, last_updated FROM authz_scopes WHERE server_id = $1 AND id = $2";
const UPDATE_SCOPE: &str = "UPDATE authz_scopes SET name = $3, display_name = $4, description = $5, is_default = $6, \
     optional = $7, consent = $8, metadata_publish = $9, last_updated = $10 WHERE server_id = $1 AND id = $2";
const DELETE_SCOPE: &str = "DELETE FROM authz_scopes WHERE server_id = $1 AND id = $2";
pub(crate) const SCOPES_OF: &str = "SELECT id, server_id, name, display_name, description, system, is_default, optional, \
     consent, metadata_publish, created, last_updated FROM authz_scopes WHERE server_id = $1 ORDER BY name, id";

/// The insert of one scope (a name already taken on the server is skipped: check
/// `rows_affected`); callers pick the executor.
macro_rules! insert_scope {
    ($s:expr) => {
        sqlx::query($crate::authz::scopes::INSERT_SCOPE)
            .bind($s.id.as_str())
            .bind($s.server_id.as_str())
            .bind(&$s.name)
            .bind(&$s.display_name)
            .bind(&$s.description)
            .bind(i64::from($s.system))
            .bind(i64::from($s.default))
            .bind(i64::from($s.optional))
            .bind($s.consent.as_str())
            .bind($s.metadata_publish.as_str())
            .bind($s.created.millis())
            .bind($s.last_updated.millis())
    };
}
pub(crate) use insert_scope;

/// What scopes to list.
#[derive(Debug, Default, Clone)]
pub struct ScopeQuery {
    /// `q`: case-insensitive prefix of the name.
    pub name_prefix: Option<String>,
    /// Page size.
    pub limit: usize,
    /// The id after which to continue.
    pub after: Option<String>,
}

impl Store {
    /// Saves a new scope. A name taken on the server is `Conflict { constraint: "name" }`.
    pub async fn create_scope(&self, s: &Scope, events: &[LogEvent]) -> Result<()> {
        in_tx!(self, |tx| {
            let n = insert_scope!(s).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(conflict_on_name());
            }
            revise!(tx, BUMP_SERVER, s.server_id.as_str(), events);
        });
        Ok(())
    }

    /// One scope of a server.
    pub async fn find_scope(&self, server_id: &str, id: &str) -> Result<Option<Scope>> {
        load!(one: self, ScopeRow, SELECT_SCOPE, server_id, id)
    }

    /// Every scope of a server, by name.
    pub async fn scopes_of(&self, server_id: &str) -> Result<Vec<Scope>> {
        load!(all: self, ScopeRow, SCOPES_OF, server_id)
    }

    /// One page of a server's scopes by name (`limit + 1` rows are read to know whether more
    /// follow).
    pub async fn list_scopes(&self, server_id: &str, q: &ScopeQuery) -> Result<(Vec<Scope>, bool)> {
        let mut sql = Sql::new("SELECT ");
        sql.push(SCOPE_COLUMNS)
            .push(" FROM authz_scopes WHERE server_id = ")
            .bind(Bind::Text(server_id.to_owned()));
        if let Some(prefix) = &q.name_prefix {
            sql.push(" AND LOWER(name) LIKE ")
                .bind(Bind::Text(super::prefix_pattern(prefix)))
                .push(" ESCAPE '\\'");
        }
        if let Some(after) = &q.after {
            sql.push(" AND (name, id) > (SELECT name, id FROM authz_scopes WHERE id = ")
                .bind(Bind::Text(after.clone()))
                .push(")");
        }
        sql.push(" ORDER BY name, id LIMIT ").bind(Bind::Int(
            i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1),
        ));
        let rows: Vec<ScopeRow> = on_pool!(self, |pool| bound_query_as!(ScopeRow, sql)
            .fetch_all(pool)
            .await)?;
        let more = rows.len() > q.limit;
        let scopes = rows
            .into_iter()
            .take(q.limit)
            .map(TryInto::try_into)
            .collect::<Result<Vec<Scope>>>()?;
        Ok((scopes, more))
    }

    /// Saves a scope's editable fields. A name taken on the server is `Conflict`.
    pub async fn update_scope(&self, s: &Scope, events: &[LogEvent]) -> Result<()> {
        let updated = write_one!(
            self,
            events,
            BUMP_SERVER,
            UPDATE_SCOPE,
            on_error: name_taken,
            s.server_id.as_str(),
            s.id.as_str(),
            &s.name,
            &s.display_name,
            &s.description,
            i64::from(s.default),
            i64::from(s.optional),
            s.consent.as_str(),
            s.metadata_publish.as_str(),
            s.last_updated.millis()
        );
        if updated {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// Deletes a scope. Returns whether it existed.
    pub async fn delete_scope(
        &self,
        server_id: &str,
        id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        Ok(write_one!(
            self,
            events,
            BUMP_SERVER,
            DELETE_SCOPE,
            server_id,
            id
        ))
    }
}
