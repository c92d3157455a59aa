//! Trusted origins, and the lookup by canonical origin that the CORS check makes per request.

use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::id::TrustedOriginId;
use tollgate_core::log::LogEvent;
use tollgate_core::scim::{Filter, Op};
use tollgate_core::server::Status;
use tollgate_core::trusted_origin::{OriginScope, ScopeType, TrustedOrigin};

use crate::authz::prefix_pattern;
use crate::search::{Bind, Column, Sql, push_filter};
use crate::{
    Error, Result, Store, bound_query_as, in_tx, load, on_pool, write_events, write_logged,
};

#[derive(sqlx::FromRow)]
struct OriginRow {
    id: String,
    name: String,
    origin: String,
    scopes: String,
    status: String,
    created: i64,
    created_by: String,
    last_updated: i64,
    last_updated_by: String,
}

impl TryFrom<OriginRow> for TrustedOrigin {
    type Error = Error;

    fn try_from(r: OriginRow) -> Result<Self> {
        Ok(TrustedOrigin {
            id: TrustedOriginId::from_trusted(r.id),
            name: r.name,
            origin: r.origin,
            scopes: scopes_from_json(&r.scopes)?,
            status: Status::parse(&r.status)
                .ok_or_else(|| Error::Corrupt(format!("trusted origin status {:?}", r.status)))?,
            created: Timestamp::from_millis(r.created),
            created_by: r.created_by,
            last_updated: Timestamp::from_millis(r.last_updated),
            last_updated_by: r.last_updated_by,
        })
    }
}

fn scopes_to_json(scopes: &[OriginScope]) -> String {
    Value::Array(
        scopes
            .iter()
            .map(|s| json!({"type": s.kind.as_str(), "allowedOktaApps": s.allowed_okta_apps}))
            .collect(),
    )
    .to_string()
}

fn scopes_from_json(text: &str) -> Result<Vec<OriginScope>> {
    let items: Vec<Value> = serde_json::from_str(text)?;
    items
        .iter()
        .map(|v| {
            let kind = v["type"]
                .as_str()
                .and_then(ScopeType::parse)
                .ok_or_else(|| Error::Corrupt(format!("trusted origin scope {v}")))?;
            let allowed_okta_apps = v["allowedOktaApps"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            Ok(OriginScope {
                kind,
                allowed_okta_apps,
            })
        })
        .collect()
}

/// `" CORS REDIRECT "`: one token per scope type, for `filter=type eq "…"`.
fn scope_types(scopes: &[OriginScope]) -> String {
    let mut out = String::from(" ");
    for s in scopes {
        out.push_str(s.kind.as_str());
        out.push(' ');
    }
    out
}

const COLUMNS: &str =
    "id, name, origin, scopes, status, created, created_by, last_updated, last_updated_by";
const INSERT: &str = "INSERT INTO trusted_origins (id, name, origin, origin_key, scopes, scope_types, \
     status, created, created_by, last_updated, last_updated_by) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// Everything but the status, which only [`Store::set_trusted_origin_status`] moves, so an edit
/// read before an activation or deactivation cannot undo it.
const UPDATE: &str = "UPDATE trusted_origins SET name = $2, origin = $3, origin_key = $4, scopes = $5, \
     scope_types = $6, last_updated = $7, last_updated_by = $8 WHERE id = $1";
const SET_STATUS: &str = "UPDATE trusted_origins SET status = $2, last_updated = $3, last_updated_by = $4 \
     WHERE id = $1";
const SELECT_ONE: &str = "SELECT id, name, origin, scopes, status, created, created_by, last_updated, \
     last_updated_by FROM trusted_origins WHERE id = $1";
const SELECT_BY_KEY: &str = "SELECT id, name, origin, scopes, status, created, created_by, last_updated, \
     last_updated_by FROM trusted_origins WHERE origin_key = $1";
const DELETE: &str = "DELETE FROM trusted_origins WHERE id = $1";

/// Reports any unique violation as the origin being taken (the only unique column besides
/// the random id).
fn origin_taken(e: sqlx::Error) -> Error {
    match Error::from(e) {
        Error::Conflict { .. } => Error::Conflict {
            constraint: "origin".to_owned(),
        },
        other => other,
    }
}

/// Attributes trusted origins can be filtered on (Okta: `name`, `origin`, `status`, `type`).
fn resolve(attr: &str) -> Option<Column> {
    Some(match attr {
        "id" => Column::Exact("id"),
        "name" => Column::Exact("name"),
        "origin" => Column::Exact("origin"),
        "status" => Column::Exact("status"),
        "type" => Column::Tokens("scope_types"),
        _ => return None,
    })
}

/// What trusted origins to list.
#[derive(Debug, Default, Clone)]
pub struct TrustedOriginQuery {
    /// `q`: case-insensitive prefix of the name or the origin.
    pub prefix: Option<String>,
    /// `filter` (`eq` on `name`, `origin`, `status`, `type`, with `and`/`or`).
    pub filter: Option<Filter>,
    /// Page size.
    pub limit: usize,
    /// The id after which to continue.
    pub after: Option<String>,
}

impl Store {
    /// Saves a new trusted origin. An origin already trusted (same canonical form) is
    /// `Conflict { constraint: "origin" }`.
    pub async fn create_trusted_origin(
        &self,
        o: &TrustedOrigin,
        events: &[LogEvent],
    ) -> Result<()> {
        let (scopes, types) = (scopes_to_json(&o.scopes), scope_types(&o.scopes));
        in_tx!(self, |tx| {
            sqlx::query(INSERT)
                .bind(o.id.as_str())
                .bind(&o.name)
                .bind(&o.origin)
                .bind(o.key())
                .bind(&scopes)
                .bind(&types)
                .bind(o.status.as_str())
                .bind(o.created.millis())
                .bind(&o.created_by)
                .bind(o.last_updated.millis())
                .bind(&o.last_updated_by)
                .execute(&mut *tx)
                .await
                .map_err(origin_taken)?;
            write_events!(tx, events);
        });
        Ok(())
    }

    /// Saves every field of a trusted origin but its creation and its status. `NotFound` when
    /// it is gone; a taken origin is `Conflict { constraint: "origin" }`.
    pub async fn update_trusted_origin(
        &self,
        o: &TrustedOrigin,
        events: &[LogEvent],
    ) -> Result<()> {
        let (scopes, types) = (scopes_to_json(&o.scopes), scope_types(&o.scopes));
        let n = write_logged!(self, events, UPDATE, on_error: origin_taken; o.id.as_str(), &o.name, &o.origin, o.key(), &scopes, &types, o.last_updated.millis(), &o.last_updated_by);
        if n == 0 { Err(Error::NotFound) } else { Ok(()) }
    }

    /// Saves a trusted origin's status (and who changed it, when). `NotFound` when it is gone.
    pub async fn set_trusted_origin_status(
        &self,
        o: &TrustedOrigin,
        events: &[LogEvent],
    ) -> Result<()> {
        let n = write_logged!(self, events, SET_STATUS; o.id.as_str(), o.status.as_str(), o.last_updated.millis(), &o.last_updated_by);
        if n == 0 { Err(Error::NotFound) } else { Ok(()) }
    }

    /// One trusted origin by id.
    pub async fn find_trusted_origin(&self, id: &str) -> Result<Option<TrustedOrigin>> {
        load!(one: self, OriginRow, SELECT_ONE, id)
    }

    /// The trusted origin whose canonical form is `key` (see
    /// [`tollgate_core::trusted_origin::origin_key`]), whatever its status.
    pub async fn trusted_origin_by_key(&self, key: &str) -> Result<Option<TrustedOrigin>> {
        load!(one: self, OriginRow, SELECT_BY_KEY, key)
    }

    /// Deletes a trusted origin. Returns whether it existed.
    pub async fn delete_trusted_origin(&self, id: &str, events: &[LogEvent]) -> Result<bool> {
        let n = write_logged!(self, events, DELETE; id);
        Ok(n > 0)
    }

    /// One page of trusted origins in creation order, and whether more follow.
    pub async fn list_trusted_origins(
        &self,
        q: &TrustedOriginQuery,
    ) -> Result<(Vec<TrustedOrigin>, bool)> {
        let mut sql = Sql::new("SELECT ");
        sql.push(COLUMNS).push(" FROM trusted_origins WHERE 1 = 1");
        if let Some(prefix) = &q.prefix {
            let pattern = prefix_pattern(prefix);
            sql.push(" AND (LOWER(name) LIKE ")
                .bind(Bind::Text(pattern.clone()))
                .push(" ESCAPE '\\' OR LOWER(origin) LIKE ")
                .bind(Bind::Text(pattern))
                .push(" ESCAPE '\\')");
        }
        if let Some(filter) = &q.filter {
            sql.push(" AND ");
            push_filter(&mut sql, filter, self.dialect(), &resolve, &[Op::Eq])?;
        }
        if let Some(after) = &q.after {
            sql.push(" AND (created, id) > (SELECT created, id FROM trusted_origins WHERE id = ")
                .bind(Bind::Text(after.clone()))
                .push(")");
        }
        sql.push(" ORDER BY created, id LIMIT ").bind(Bind::Int(
            i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1),
        ));
        let rows: Vec<OriginRow> = on_pool!(self, |pool| bound_query_as!(OriginRow, sql)
            .fetch_all(pool)
            .await)?;
        let more = rows.len() > q.limit;
        let origins = rows
            .into_iter()
            .take(q.limit)
            .map(TryInto::try_into)
            .collect::<Result<Vec<TrustedOrigin>>>()?;
        Ok((origins, more))
    }
}
