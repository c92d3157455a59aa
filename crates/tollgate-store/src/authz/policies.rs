//! Access policies of custom authorization servers. Priorities are kept dense (1, 2, 3, …)
//! per server (policies) and per policy (rules, in `super::rules`): saving at a taken priority
//! shifts the others down, a priority past the end becomes the last one.

use tollgate_core::Timestamp;
use tollgate_core::authz::Policy;
use tollgate_core::id::{AuthServerId, PolicyId};
use tollgate_core::log::LogEvent;
use tollgate_core::server::Status;

use super::{BUMP_SERVER, revise, write_one};
use crate::{Error, Result, Store, in_tx, load};

#[derive(sqlx::FromRow)]
pub(crate) struct PolicyRow {
    id: String,
    server_id: String,
    name: String,
    description: String,
    priority: i64,
    status: String,
    system: i64,
    clients: String,
    created: i64,
    last_updated: i64,
}

impl TryFrom<PolicyRow> for Policy {
    type Error = Error;

    fn try_from(r: PolicyRow) -> Result<Self> {
        Ok(Policy {
            id: PolicyId::from_trusted(r.id),
            server_id: AuthServerId::from_trusted(r.server_id),
            name: r.name,
            description: r.description,
            priority: r.priority,
            status: Status::parse(&r.status)
                .ok_or_else(|| Error::Corrupt(format!("status {:?}", r.status)))?,
            system: r.system != 0,
            clients: serde_json::from_str(&r.clients)?,
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
        })
    }
}

pub(crate) const INSERT_POLICY: &str = "INSERT INTO authz_policies (id, server_id, name, description, priority, status, \
     system, clients, created, last_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const UPDATE_POLICY: &str = "UPDATE authz_policies SET name = $3, description = $4, clients = $5, last_updated = $6 \
     WHERE server_id = $1 AND id = $2";
const POLICY_STATUS: &str =
    "UPDATE authz_policies SET status = $3, last_updated = $4 WHERE server_id = $1 AND id = $2";
const DELETE_POLICY: &str = "DELETE FROM authz_policies WHERE server_id = $1 AND id = $2";

/// The insert of one policy; callers pick the executor.
macro_rules! insert_policy {
    ($p:expr, $clients:expr) => {
        sqlx::query($crate::authz::policies::INSERT_POLICY)
            .bind($p.id.as_str())
            .bind($p.server_id.as_str())
            .bind(&$p.name)
            .bind(&$p.description)
            .bind($p.priority)
            .bind($p.status.as_str())
            .bind(i64::from($p.system))
            .bind($clients)
            .bind($p.created.millis())
            .bind($p.last_updated.millis())
    };
}
pub(crate) use insert_policy;

/// Renumbers the rows of `$table` sharing `$scope = $value` as 1, 2, 3, …; when `$moved` is
/// `Some((id, wanted))`, that row is placed at `wanted` (clamped to the end). Evaluates to
/// the moved row's final priority (0 when none moved).
macro_rules! renumber {
    ($tx:ident, $table:literal, $scope:literal, $value:expr, $moved:expr) => {{
        let moved: Option<(&str, i64)> = $moved;
        let rows: Vec<(String,)> = sqlx::query_as(concat!(
            "SELECT id FROM ",
            $table,
            " WHERE ",
            $scope,
            " = $1 AND id <> $2 ORDER BY priority, created, id"
        ))
        .bind($value)
        .bind(moved.map_or("", |m| m.0))
        .fetch_all(&mut *$tx)
        .await?;
        let mut ids: Vec<String> = rows.into_iter().map(|(id,)| id).collect();
        let mut at = 0;
        if let Some((id, wanted)) = moved {
            at = usize::try_from(wanted.saturating_sub(1))
                .unwrap_or(usize::MAX)
                .min(ids.len());
            ids.insert(at, id.to_owned());
        }
        for (i, id) in ids.iter().enumerate() {
            sqlx::query(concat!(
                "UPDATE ",
                $table,
                " SET priority = $1 WHERE id = $2 AND priority <> $1"
            ))
            .bind(i64::try_from(i + 1).unwrap_or(i64::MAX))
            .bind(id)
            .execute(&mut *$tx)
            .await?;
        }
        i64::try_from(at + 1).unwrap_or(i64::MAX)
    }};
}
pub(crate) use renumber;

/// Puts row `$place` (id, wanted priority) of `$table` among its siblings of the same
/// `$parent_col`, then revises the server (its revision moves, `$events` are written, `$bump`
/// bound to the parent). Evaluates to where the row landed.
macro_rules! place_and_revise {
    ($tx:ident, $table:literal, $parent_col:literal, $parent:expr, $place:expr, $bump:expr, $events:expr) => {{
        let at = $crate::authz::policies::renumber!($tx, $table, $parent_col, $parent, $place);
        $crate::authz::revise!($tx, $bump, $parent, $events);
        at
    }};
}
pub(crate) use place_and_revise;

/// Updates row `$id` of `$table` (under `$parent` in `$parent_col`) with `$sql`, bound to the
/// parent, the id and `$bind`s, then places it at `$priority` among its siblings and revises the
/// server. `Error::NotFound` when no row matched. Evaluates to where the row landed.
macro_rules! update_placed {
    ($store:expr, $events:expr, $bump:expr, $sql:expr, $table:literal, $parent_col:literal,
     $parent:expr, $id:expr, $priority:expr, [$($bind:expr),* $(,)?]) => {{
        $crate::in_tx!($store, |tx| {
            let n = sqlx::query($sql)
                .bind($parent)
                .bind($id)
                $(.bind($bind))*
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err($crate::Error::NotFound);
            }
            $crate::authz::policies::place_and_revise!(
                tx, $table, $parent_col, $parent, Some(($id, $priority)), $bump, $events
            )
        })
    }};
}
pub(crate) use update_placed;

impl Store {
    /// Saves a new policy at its priority (shifting the others) and sets `p.priority` to
    /// where it landed.
    pub async fn create_policy(&self, p: &mut Policy, events: &[LogEvent]) -> Result<()> {
        let clients = serde_json::to_string(&p.clients)?;
        let wanted = p.priority;
        p.priority = i64::MAX;
        let priority = in_tx!(self, |tx| {
            insert_policy!(p, &clients).execute(&mut *tx).await?;
            place_and_revise!(
                tx,
                "authz_policies",
                "server_id",
                p.server_id.as_str(),
                Some((p.id.as_str(), wanted)),
                BUMP_SERVER,
                events
            )
        });
        p.priority = priority;
        Ok(())
    }

    /// Saves a policy's editable fields and priority; sets `p.priority` to where it landed.
    pub async fn update_policy(&self, p: &mut Policy, events: &[LogEvent]) -> Result<()> {
        let clients = serde_json::to_string(&p.clients)?;
        let priority = update_placed!(
            self,
            events,
            BUMP_SERVER,
            UPDATE_POLICY,
            "authz_policies",
            "server_id",
            p.server_id.as_str(),
            p.id.as_str(),
            p.priority,
            [&p.name, &p.description, &clients, p.last_updated.millis()]
        );
        p.priority = priority;
        Ok(())
    }

    /// Activates or deactivates a policy. Returns whether it exists.
    pub async fn set_policy_status(
        &self,
        server_id: &str,
        id: &str,
        status: Status,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        Ok(write_one!(
            self,
            events,
            BUMP_SERVER,
            POLICY_STATUS,
            server_id,
            id,
            status.as_str(),
            now.millis()
        ))
    }

    /// Deletes a policy with its rules and closes the gap in priorities. Returns whether it
    /// existed.
    pub async fn delete_policy(
        &self,
        server_id: &str,
        id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = in_tx!(self, |tx| {
            sqlx::query("DELETE FROM authz_rules WHERE policy_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query(DELETE_POLICY)
                .bind(server_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                renumber!(tx, "authz_policies", "server_id", server_id, None);
                revise!(tx, BUMP_SERVER, server_id, events);
            }
            n
        });
        Ok(n > 0)
    }

    /// One policy of a server.
    pub async fn find_policy(&self, server_id: &str, id: &str) -> Result<Option<Policy>> {
        let sql = "SELECT id, server_id, name, description, priority, status, system, clients, created, last_updated \
             FROM authz_policies WHERE server_id = $1 AND id = $2";
        load!(one: self, PolicyRow, sql, server_id, id)
    }

    /// A server's policies by ascending priority.
    pub async fn policies_of(&self, server_id: &str) -> Result<Vec<Policy>> {
        let sql = "SELECT id, server_id, name, description, priority, status, system, clients, created, last_updated \
             FROM authz_policies WHERE server_id = $1 ORDER BY priority, created, id";
        load!(all: self, PolicyRow, sql, server_id)
    }
}
