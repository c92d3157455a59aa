//! Access policies of custom authorization servers and their rules. Priorities are kept
//! dense (1, 2, 3, …) per server (policies) and per policy (rules): saving at a taken
//! priority shifts the others down, a priority past the end becomes the last one.

use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::app::vocab::GrantType;
use tollgate_core::authz::{People, Policy, Rule, TokenLifetimes};
use tollgate_core::id::{AuthServerId, PolicyId, RuleId};
use tollgate_core::log::LogEvent;
use tollgate_core::server::Status;

use super::write_one;
use crate::{Error, Result, Store, in_tx, on_pool, write_events};

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

#[derive(sqlx::FromRow)]
pub(crate) struct RuleRow {
    id: String,
    policy_id: String,
    server_id: String,
    name: String,
    priority: i64,
    status: String,
    system: i64,
    conditions: String,
    actions: String,
    created: i64,
    last_updated: i64,
}

fn strings(v: &Value, key: &str) -> Result<Vec<String>> {
    Ok(serde_json::from_value(
        v.get(key).cloned().unwrap_or(Value::Array(Vec::new())),
    )?)
}

fn int(v: &Value, key: &str) -> Result<i64> {
    v.get(key)
        .and_then(Value::as_i64)
        .ok_or_else(|| Error::Corrupt(format!("rule action {key}")))
}

impl TryFrom<RuleRow> for Rule {
    type Error = Error;

    fn try_from(r: RuleRow) -> Result<Self> {
        let c: Value = serde_json::from_str(&r.conditions)?;
        let a: Value = serde_json::from_str(&r.actions)?;
        let grant_types = strings(&c, "grant_types")?
            .iter()
            .map(|g| GrantType::parse(g).ok_or_else(|| Error::Corrupt(format!("grant {g:?}"))))
            .collect::<Result<Vec<_>>>()?;
        Ok(Rule {
            id: RuleId::from_trusted(r.id),
            policy_id: PolicyId::from_trusted(r.policy_id),
            server_id: AuthServerId::from_trusted(r.server_id),
            name: r.name,
            priority: r.priority,
            status: Status::parse(&r.status)
                .ok_or_else(|| Error::Corrupt(format!("status {:?}", r.status)))?,
            system: r.system != 0,
            people: People {
                users_include: strings(&c, "users_include")?,
                users_exclude: strings(&c, "users_exclude")?,
                groups_include: strings(&c, "groups_include")?,
                groups_exclude: strings(&c, "groups_exclude")?,
            },
            grant_types,
            scopes: strings(&c, "scopes")?,
            token: TokenLifetimes {
                access_minutes: int(&a, "access_minutes")?,
                refresh_minutes: int(&a, "refresh_minutes")?,
                refresh_window_minutes: int(&a, "refresh_window_minutes")?,
            },
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
        })
    }
}

/// The stored JSON of a rule's conditions and actions.
pub(crate) fn rule_json(r: &Rule) -> (String, String) {
    let grants: Vec<&str> = r.grant_types.iter().map(|g| g.as_str()).collect();
    let conditions = json!({
        "users_include": r.people.users_include,
        "users_exclude": r.people.users_exclude,
        "groups_include": r.people.groups_include,
        "groups_exclude": r.people.groups_exclude,
        "grant_types": grants,
        "scopes": r.scopes,
    });
    let actions = json!({
        "access_minutes": r.token.access_minutes,
        "refresh_minutes": r.token.refresh_minutes,
        "refresh_window_minutes": r.token.refresh_window_minutes,
    });
    (conditions.to_string(), actions.to_string())
}

pub(crate) const INSERT_POLICY: &str = "INSERT INTO authz_policies (id, server_id, name, description, priority, status, \
     system, clients, created, last_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const UPDATE_POLICY: &str = "UPDATE authz_policies SET name = $3, description = $4, clients = $5, last_updated = $6 \
     WHERE server_id = $1 AND id = $2";
const POLICY_STATUS: &str =
    "UPDATE authz_policies SET status = $3, last_updated = $4 WHERE server_id = $1 AND id = $2";
const DELETE_POLICY: &str = "DELETE FROM authz_policies WHERE server_id = $1 AND id = $2";
pub(crate) const INSERT_RULE: &str = "INSERT INTO authz_rules (id, policy_id, server_id, name, priority, status, system, \
     conditions, actions, created, last_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const UPDATE_RULE: &str = "UPDATE authz_rules SET name = $3, conditions = $4, actions = $5, last_updated = $6 \
     WHERE policy_id = $1 AND id = $2";
const RULE_STATUS: &str =
    "UPDATE authz_rules SET status = $3, last_updated = $4 WHERE policy_id = $1 AND id = $2";
const DELETE_RULE: &str = "DELETE FROM authz_rules WHERE policy_id = $1 AND id = $2";

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

/// The insert of one rule; `$json` is [`rule_json`]'s pair.
macro_rules! insert_rule {
    ($r:expr, $json:expr) => {
        sqlx::query($crate::authz::policies::INSERT_RULE)
            .bind($r.id.as_str())
            .bind($r.policy_id.as_str())
            .bind($r.server_id.as_str())
            .bind(&$r.name)
            .bind($r.priority)
            .bind($r.status.as_str())
            .bind(i64::from($r.system))
            .bind(&$json.0)
            .bind(&$json.1)
            .bind($r.created.millis())
            .bind($r.last_updated.millis())
    };
}
pub(crate) use insert_rule;

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

impl Store {
    /// Saves a new policy at its priority (shifting the others) and sets `p.priority` to
    /// where it landed.
    pub async fn create_policy(&self, p: &mut Policy, events: &[LogEvent]) -> Result<()> {
        let clients = serde_json::to_string(&p.clients)?;
        let wanted = p.priority;
        p.priority = i64::MAX;
        let priority = in_tx!(self, |tx| {
            insert_policy!(p, &clients).execute(&mut *tx).await?;
            let at = renumber!(
                tx,
                "authz_policies",
                "server_id",
                p.server_id.as_str(),
                Some((p.id.as_str(), wanted))
            );
            write_events!(tx, events);
            at
        });
        p.priority = priority;
        Ok(())
    }

    /// Saves a policy's editable fields and priority; sets `p.priority` to where it landed.
    pub async fn update_policy(&self, p: &mut Policy, events: &[LogEvent]) -> Result<()> {
        let clients = serde_json::to_string(&p.clients)?;
        let priority = in_tx!(self, |tx| {
            let n = sqlx::query(UPDATE_POLICY)
                .bind(p.server_id.as_str())
                .bind(p.id.as_str())
                .bind(&p.name)
                .bind(&p.description)
                .bind(&clients)
                .bind(p.last_updated.millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(Error::NotFound);
            }
            let at = renumber!(
                tx,
                "authz_policies",
                "server_id",
                p.server_id.as_str(),
                Some((p.id.as_str(), p.priority))
            );
            write_events!(tx, events);
            at
        });
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
                write_events!(tx, events);
            }
            n
        });
        Ok(n > 0)
    }

    /// One policy of a server.
    pub async fn find_policy(&self, server_id: &str, id: &str) -> Result<Option<Policy>> {
        let sql = "SELECT id, server_id, name, description, priority, status, system, clients, created, last_updated \
             FROM authz_policies WHERE server_id = $1 AND id = $2";
        let row: Option<PolicyRow> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(server_id)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(TryInto::try_into).transpose()
    }

    /// A server's policies by ascending priority.
    pub async fn policies_of(&self, server_id: &str) -> Result<Vec<Policy>> {
        let sql = "SELECT id, server_id, name, description, priority, status, system, clients, created, last_updated \
             FROM authz_policies WHERE server_id = $1 ORDER BY priority, created, id";
        let rows: Vec<PolicyRow> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(server_id)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Saves a new rule at its priority within its policy (shifting the others) and sets
    /// `r.priority` to where it landed.
    pub async fn create_rule(&self, r: &mut Rule, events: &[LogEvent]) -> Result<()> {
        let stored = rule_json(r);
        let wanted = r.priority;
        r.priority = i64::MAX;
        let priority = in_tx!(self, |tx| {
            insert_rule!(r, stored).execute(&mut *tx).await?;
            let at = renumber!(
                tx,
                "authz_rules",
                "policy_id",
                r.policy_id.as_str(),
                Some((r.id.as_str(), wanted))
            );
            write_events!(tx, events);
            at
        });
        r.priority = priority;
        Ok(())
    }

    /// Saves a rule's editable fields and priority; sets `r.priority` to where it landed.
    pub async fn update_rule(&self, r: &mut Rule, events: &[LogEvent]) -> Result<()> {
        let (conditions, actions) = rule_json(r);
        let priority = in_tx!(self, |tx| {
            let n = sqlx::query(UPDATE_RULE)
                .bind(r.policy_id.as_str())
                .bind(r.id.as_str())
                .bind(&r.name)
                .bind(&conditions)
                .bind(&actions)
                .bind(r.last_updated.millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(Error::NotFound);
            }
            let at = renumber!(
                tx,
                "authz_rules",
                "policy_id",
                r.policy_id.as_str(),
                Some((r.id.as_str(), r.priority))
            );
            write_events!(tx, events);
            at
        });
        r.priority = priority;
        Ok(())
    }

    /// Activates or deactivates a rule. Returns whether it exists.
    pub async fn set_rule_status(
        &self,
        policy_id: &str,
        id: &str,
        status: Status,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        Ok(write_one!(
            self,
            events,
            RULE_STATUS,
            policy_id,
            id,
            status.as_str(),
            now.millis()
        ))
    }

    /// Deletes a rule and closes the gap in priorities. Returns whether it existed.
    pub async fn delete_rule(
        &self,
        policy_id: &str,
        id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = in_tx!(self, |tx| {
            let n = sqlx::query(DELETE_RULE)
                .bind(policy_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                renumber!(tx, "authz_rules", "policy_id", policy_id, None);
                write_events!(tx, events);
            }
            n
        });
        Ok(n > 0)
    }

    /// One rule of a policy.
    pub async fn find_rule(&self, policy_id: &str, id: &str) -> Result<Option<Rule>> {
        let sql = "SELECT id, policy_id, server_id, name, priority, status, system, conditions, actions, created, \
             last_updated FROM authz_rules WHERE policy_id = $1 AND id = $2";
        let row: Option<RuleRow> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(policy_id)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(TryInto::try_into).transpose()
    }

    /// A policy's rules by ascending priority.
    pub async fn rules_of(&self, policy_id: &str) -> Result<Vec<Rule>> {
        let sql = "SELECT id, policy_id, server_id, name, priority, status, system, conditions, actions, created, \
             last_updated FROM authz_rules WHERE policy_id = $1 ORDER BY priority, created, id";
        let rows: Vec<RuleRow> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(policy_id)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Every rule of a server, by policy then ascending priority.
    pub(crate) async fn rules_of_server(&self, server_id: &str) -> Result<Vec<Rule>> {
        let sql = "SELECT id, policy_id, server_id, name, priority, status, system, conditions, actions, created, \
             last_updated FROM authz_rules WHERE server_id = $1 ORDER BY policy_id, priority, created, id";
        let rows: Vec<RuleRow> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(server_id)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(TryInto::try_into).collect()
    }
}
