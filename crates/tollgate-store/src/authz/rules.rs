//! Rules of access policies: stored with their conditions and actions as JSON text, and kept
//! in dense priorities per policy like the policies themselves.

use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::app::vocab::GrantType;
use tollgate_core::authz::{People, Rule, TokenLifetimes};
use tollgate_core::id::{AuthServerId, PolicyId, RuleId};
use tollgate_core::log::LogEvent;
use tollgate_core::server::Status;

use super::policies::{place_and_revise, renumber, update_placed};
use super::{BUMP_BY_POLICY, revise, write_one};
use crate::{Error, Result, Store, in_tx, load};

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

pub(crate) const INSERT_RULE: &str = "INSERT INTO authz_rules (id, policy_id, server_id, name, priority, status, system, \
     conditions, actions, created, last_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const UPDATE_RULE: &str = "UPDATE authz_rules SET name = $3, conditions = $4, actions = $5, last_updated = $6 \
     WHERE policy_id = $1 AND id = $2";
const RULE_STATUS: &str =
    "UPDATE authz_rules SET status = $3, last_updated = $4 WHERE policy_id = $1 AND id = $2";
const DELETE_RULE: &str = "DELETE FROM authz_rules WHERE policy_id = $1 AND id = $2";

/// The insert of one rule; `$json` is [`rule_json`]'s pair.
macro_rules! insert_rule {
    ($r:expr, $json:expr) => {
        sqlx::query($crate::authz::rules::INSERT_RULE)
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

impl Store {
    /// Saves a new rule at its priority within its policy (shifting the others) and sets
    /// `r.priority` to where it landed.
    pub async fn create_rule(&self, r: &mut Rule, events: &[LogEvent]) -> Result<()> {
        let stored = rule_json(r);
        let wanted = r.priority;
        r.priority = i64::MAX;
        let priority = in_tx!(self, |tx| {
            insert_rule!(r, stored).execute(&mut *tx).await?;
            place_and_revise!(
                tx,
                "authz_rules",
                "policy_id",
                r.policy_id.as_str(),
                Some((r.id.as_str(), wanted)),
                BUMP_BY_POLICY,
                events
            )
        });
        r.priority = priority;
        Ok(())
    }

    /// Saves a rule's editable fields and priority; sets `r.priority` to where it landed.
    pub async fn update_rule(&self, r: &mut Rule, events: &[LogEvent]) -> Result<()> {
        let (conditions, actions) = rule_json(r);
        let priority = update_placed!(
            self,
            events,
            BUMP_BY_POLICY,
            UPDATE_RULE,
            "authz_rules",
            "policy_id",
            r.policy_id.as_str(),
            r.id.as_str(),
            r.priority,
            [&r.name, &conditions, &actions, r.last_updated.millis()]
        );
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
            BUMP_BY_POLICY,
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
                revise!(tx, BUMP_BY_POLICY, policy_id, events);
            }
            n
        });
        Ok(n > 0)
    }

    /// One rule of a policy.
    pub async fn find_rule(&self, policy_id: &str, id: &str) -> Result<Option<Rule>> {
        let sql = "SELECT id, policy_id, server_id, name, priority, status, system, conditions, actions, created, \
             last_updated FROM authz_rules WHERE policy_id = $1 AND id = $2";
        load!(one: self, RuleRow, sql, policy_id, id)
    }

    /// A policy's rules by ascending priority.
    pub async fn rules_of(&self, policy_id: &str) -> Result<Vec<Rule>> {
        let sql = "SELECT id, policy_id, server_id, name, priority, status, system, conditions, actions, created, \
             last_updated FROM authz_rules WHERE policy_id = $1 ORDER BY priority, created, id";
        load!(all: self, RuleRow, sql, policy_id)
    }

    /// Every rule of a server, by policy then ascending priority.
    pub(crate) async fn rules_of_server(&self, server_id: &str) -> Result<Vec<Rule>> {
        let sql = "SELECT id, policy_id, server_id, name, priority, status, system, conditions, actions, created, \
             last_updated FROM authz_rules WHERE server_id = $1 ORDER BY policy_id, priority, created, id";
        load!(all: self, RuleRow, sql, server_id)
    }
}
