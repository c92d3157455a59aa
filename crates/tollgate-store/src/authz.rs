//! Custom authorization servers with their scopes, claims, policies and rules, and
//! [`Store::server_config`], which loads everything a token decision needs for one server.

mod associated;
mod claims;
mod policies;
mod rules;
mod scopes;

pub use scopes::ScopeQuery;

use tollgate_core::Timestamp;
use tollgate_core::authz::{Claim, Policy, PolicyWithRules, Rule, Scope, ServerConfig};
use tollgate_core::id::AuthServerId;
use tollgate_core::log::LogEvent;
use tollgate_core::server::{AuthServer, DEFAULT_SERVER_ID, Status};

use crate::search::{Bind, Sql};
use crate::{Error, Result, Store, bound_query_as, in_tx, on_pool, write_events};
use claims::insert_claim;
use policies::insert_policy;
use rules::{insert_rule, rule_json};
use scopes::insert_scope;

/// The second half of every change to a server's configuration, inside its transaction:
/// moves the server's configuration revision (`$bump`: [`BUMP_SERVER`] bound to the server id,
/// or [`BUMP_BY_POLICY`] bound to a policy id) so every process's cache sees the change, and
/// writes the change's System Log events.
macro_rules! revise {
    ($tx:ident, $bump:expr, $key:expr, $events:expr) => {{
        sqlx::query($bump).bind($key).execute(&mut *$tx).await?;
        $crate::write_events!($tx, $events);
    }};
}
pub(crate) use revise;

/// Runs one write statement with its binds in its own transaction; when it changed a row, also
/// runs `$bump` (bound to the first bind, the server or policy id) to move the server's
/// configuration revision and writes `events`, in the same transaction. Evaluates to whether it
/// changed a row. With `on_error: f`, a failed statement's error goes through `f` (a unique name
/// taken becomes `Conflict`).
macro_rules! write_one {
    ($store:expr, $events:expr, $bump:expr, $sql:expr, on_error: $on_error:expr, $key:expr $(, $bind:expr)* $(,)?) => {{
        let n = $crate::in_tx!($store, |tx| {
            let n = sqlx::query($sql)
                .bind($key)
                $(.bind($bind))*
                .execute(&mut *tx)
                .await
                .map_err(|e| $on_error($crate::Error::from(e)))?
                .rows_affected();
            if n > 0 {
                $crate::authz::revise!(tx, $bump, $key, $events);
            }
            n
        });
        n > 0
    }};
    ($store:expr, $events:expr, $bump:expr, $sql:expr, $key:expr $(, $bind:expr)* $(,)?) => {
        $crate::authz::write_one!(
            $store, $events, $bump, $sql, on_error: std::convert::identity, $key $(, $bind)*
        )
    };
}
pub(crate) use write_one;

/// What servers to list.
#[derive(Debug, Default, Clone)]
pub struct AuthServerQuery {
    /// `q`: case-insensitive prefix of the name or the audience.
    pub prefix: Option<String>,
    /// Page size.
    pub limit: usize,
    /// The id after which to continue.
    pub after: Option<String>,
}

/// A `LIKE` pattern for a case-insensitive prefix (`ESCAPE '\'`).
pub(crate) fn prefix_pattern(prefix: &str) -> String {
    let escaped = prefix
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("{escaped}%")
}

pub(crate) const SERVER_COLUMNS: &str =
    "id, name, description, audiences, issuer_mode, status, rotation_mode, created, last_updated";
const INSERT_SERVER: &str = "INSERT INTO authorization_servers \
     (id, name, description, audiences, issuer_mode, status, rotation_mode, created, last_updated, seeded) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)";
const UPDATE_SERVER: &str = "UPDATE authorization_servers SET name = $2, description = $3, audiences = $4, \
     issuer_mode = $5, rotation_mode = $6, last_updated = $7, config_revision = config_revision + 1 \
     WHERE id = $1";
/// Moves server `$1`'s configuration revision; run in the transaction of every change to the
/// server or what it owns, so a process holding the configuration in memory sees the change.
pub(crate) const BUMP_SERVER: &str =
    "UPDATE authorization_servers SET config_revision = config_revision + 1 WHERE id = $1";
/// [`BUMP_SERVER`] for the server owning policy `$1`.
pub(crate) const BUMP_BY_POLICY: &str = "UPDATE authorization_servers SET config_revision = config_revision + 1 \
     WHERE id = (SELECT server_id FROM authz_policies WHERE id = $1)";
const REVISION: &str = "SELECT config_revision FROM authorization_servers WHERE id = $1";
const SERVER_STATUS: &str =
    "UPDATE authorization_servers SET status = $2, last_updated = $3 WHERE id = $1";
const DELETE_SERVER: &str = "DELETE FROM authorization_servers WHERE id = $1";
const CLAIM_SEEDED: &str =
    "UPDATE authorization_servers SET seeded = 1 WHERE id = $1 AND seeded = 0";

/// A name already taken (on the org for servers, on the server for scopes and claims).
pub(crate) fn conflict_on_name() -> Error {
    Error::Conflict {
        constraint: "name".to_owned(),
    }
}

/// Reports any unique violation of a write as a taken name.
pub(crate) fn name_taken(e: Error) -> Error {
    match e {
        Error::Conflict { .. } => conflict_on_name(),
        other => other,
    }
}

impl Store {
    /// Saves a new server with its system scopes and claims, in one transaction. A taken name
    /// is `Conflict { constraint: "name" }`.
    pub async fn create_auth_server(
        &self,
        server: &AuthServer,
        scopes: &[Scope],
        claims: &[Claim],
        events: &[LogEvent],
    ) -> Result<()> {
        let audiences = serde_json::to_string(&server.audiences)?;
        let claim_scopes = claims
            .iter()
            .map(|c| serde_json::to_string(&c.scopes))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        in_tx!(self, |tx| {
            sqlx::query(INSERT_SERVER)
                .bind(server.id.as_str())
                .bind(&server.name)
                .bind(&server.description)
                .bind(&audiences)
                .bind(server.issuer_mode.as_str())
                .bind(server.status.as_str())
                .bind(server.rotation_mode.as_str())
                .bind(server.created.millis())
                .bind(server.last_updated.millis())
                .execute(&mut *tx)
                .await
                .map_err(|e| name_taken(e.into()))?;
            for s in scopes {
                insert_scope!(s).execute(&mut *tx).await?;
            }
            for (c, scopes) in claims.iter().zip(&claim_scopes) {
                insert_claim!(c, scopes).execute(&mut *tx).await?;
            }
            write_events!(tx, events);
        });
        Ok(())
    }

    /// Gives the built-in `default` server its system scopes, `sub` claim, `Default Policy`
    /// and `Default Policy Rule`, once: the first caller marks the server seeded in the same
    /// transaction, so concurrent or repeated starts add nothing.
    pub async fn seed_default_server(&self, now: Timestamp) -> Result<bool> {
        let id = AuthServerId::from_trusted(DEFAULT_SERVER_ID);
        let scopes = Scope::system_scopes(&id, now);
        let sub = Claim::system_sub(&id, now);
        let sub_scopes = serde_json::to_string(&sub.scopes)?;
        let policy = Policy::builtin_default(&id, now);
        let clients = serde_json::to_string(&policy.clients)?;
        let rule = Rule::builtin_default(&policy, now);
        let stored = rule_json(&rule);
        let seeded = in_tx!(self, |tx| {
            let n = sqlx::query(CLAIM_SEEDED)
                .bind(id.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                for s in &scopes {
                    insert_scope!(s).execute(&mut *tx).await?;
                }
                insert_claim!(sub, &sub_scopes).execute(&mut *tx).await?;
                insert_policy!(policy, &clients).execute(&mut *tx).await?;
                insert_rule!(rule, stored).execute(&mut *tx).await?;
                sqlx::query(BUMP_SERVER)
                    .bind(id.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            n > 0
        });
        Ok(seeded)
    }

    /// Saves a server's editable fields. A taken name is `Conflict { constraint: "name" }`.
    pub async fn update_auth_server(&self, server: &AuthServer, events: &[LogEvent]) -> Result<()> {
        let audiences = serde_json::to_string(&server.audiences)?;
        let n = in_tx!(self, |tx| {
            let n = sqlx::query(UPDATE_SERVER)
                .bind(server.id.as_str())
                .bind(&server.name)
                .bind(&server.description)
                .bind(&audiences)
                .bind(server.issuer_mode.as_str())
                .bind(server.rotation_mode.as_str())
                .bind(server.last_updated.millis())
                .execute(&mut *tx)
                .await
                .map_err(|e| name_taken(e.into()))?
                .rows_affected();
            write_events!(tx, events);
            n
        });
        if n == 0 { Err(Error::NotFound) } else { Ok(()) }
    }

    /// Activates or deactivates a server. Returns whether it exists.
    pub async fn set_auth_server_status(
        &self,
        id: &str,
        status: Status,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        Ok(write_one!(
            self,
            events,
            BUMP_SERVER,
            SERVER_STATUS,
            id,
            status.as_str(),
            now.millis()
        ))
    }

    /// Deletes a server with everything it owns. Returns whether it existed.
    pub async fn delete_auth_server(&self, id: &str, events: &[LogEvent]) -> Result<bool> {
        let n = in_tx!(self, |tx| {
            for sql in [
                "DELETE FROM authz_rules WHERE server_id = $1",
                "DELETE FROM authz_policies WHERE server_id = $1",
                "DELETE FROM authz_claims WHERE server_id = $1",
                "DELETE FROM authz_scopes WHERE server_id = $1",
                "DELETE FROM authz_associated_servers WHERE server_id = $1 OR trusted_id = $1",
            ] {
                sqlx::query(sql).bind(id).execute(&mut *tx).await?;
            }
            let n = sqlx::query(DELETE_SERVER)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                write_events!(tx, events);
            }
            n
        });
        Ok(n > 0)
    }

    /// One page of servers in creation order (`limit + 1` rows are read to know whether more
    /// follow).
    pub async fn list_auth_servers(&self, q: &AuthServerQuery) -> Result<(Vec<AuthServer>, bool)> {
        self.list_servers_where(q, &|_| ()).await
    }

    /// [`Store::list_auth_servers`], narrowed by the conditions `narrow` adds (each starting
    /// with ` AND `).
    pub(crate) async fn list_servers_where(
        &self,
        q: &AuthServerQuery,
        narrow: &(dyn Fn(&mut Sql) + Sync),
    ) -> Result<(Vec<AuthServer>, bool)> {
        let mut sql = Sql::new("SELECT ");
        sql.push(SERVER_COLUMNS)
            .push(" FROM authorization_servers WHERE 1 = 1");
        narrow(&mut sql);
        if let Some(prefix) = &q.prefix {
            let pattern = prefix_pattern(prefix);
            sql.push(" AND (LOWER(name) LIKE ")
                .bind(Bind::Text(pattern.clone()))
                .push(" ESCAPE '\\' OR LOWER(audiences) LIKE ")
                .bind(Bind::Text(format!("[\"{pattern}")))
                .push(" ESCAPE '\\')");
        }
        if let Some(after) = &q.after {
            sql.push(
                " AND (created, id) > (SELECT created, id FROM authorization_servers WHERE id = ",
            )
            .bind(Bind::Text(after.clone()))
            .push(")");
        }
        sql.push(" ORDER BY created, id LIMIT ").bind(Bind::Int(
            i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1),
        ));
        let rows: Vec<crate::org::ServerRow> =
            on_pool!(self, |pool| bound_query_as!(crate::org::ServerRow, sql)
                .fetch_all(pool)
                .await)?;
        let more = rows.len() > q.limit;
        let servers = rows
            .into_iter()
            .take(q.limit)
            .map(TryInto::try_into)
            .collect::<Result<Vec<AuthServer>>>()?;
        Ok((servers, more))
    }

    /// Server `id`'s configuration revision: it changes with every change to the server, its
    /// scopes, claims, policies or rules. `None` when there is no such server.
    pub async fn config_revision(&self, id: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_pool!(self, |pool| sqlx::query_as(REVISION)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(r,)| r))
    }

    /// Everything a token decision needs for server `id`: the server, its scopes, its claims,
    /// and its policies by ascending priority each with its rules by ascending priority
    /// (inactive ones included). `None` when there is no such server.
    pub async fn server_config(&self, id: &str) -> Result<Option<ServerConfig>> {
        let Some(server) = self.find_auth_server(id).await? else {
            return Ok(None);
        };
        let scopes = self.scopes_of(id).await?;
        let claims = self.claims_of(id).await?;
        let mut rules = self.rules_of_server(id).await?;
        let policies = self
            .policies_of(id)
            .await?
            .into_iter()
            .map(|policy| {
                let (mine, rest): (Vec<Rule>, Vec<Rule>) =
                    rules.drain(..).partition(|r| r.policy_id == policy.id);
                rules = rest;
                PolicyWithRules {
                    policy,
                    rules: mine,
                }
            })
            .collect();
        Ok(Some(ServerConfig {
            server,
            scopes,
            claims,
            policies,
        }))
    }
}
