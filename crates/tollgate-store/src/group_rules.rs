//! Group rules, and the memberships they make (`group_members.managed_by_rule`).

use tollgate_core::Timestamp;
use tollgate_core::group_rule::{GroupRule, Membership, MembershipChange, RuleStatus};
use tollgate_core::id::{GroupId, GroupRuleId};
use tollgate_core::log::LogEvent;

use crate::authz::prefix_pattern;
use crate::search::{Bind, Sql};
use crate::{
    Error, Result, Store, bound_query_as, in_tx, load, on_pool, write_events, write_logged,
};

#[derive(sqlx::FromRow)]
struct RuleRow {
    id: String,
    name: String,
    status: String,
    expression: String,
    excluded_users: String,
    group_ids: String,
    created: i64,
    last_updated: i64,
}

impl TryFrom<RuleRow> for GroupRule {
    type Error = Error;

    fn try_from(r: RuleRow) -> Result<Self> {
        let excluded_users: Vec<String> = serde_json::from_str(&r.excluded_users)?;
        let group_ids: Vec<String> = serde_json::from_str(&r.group_ids)?;
        Ok(GroupRule {
            id: GroupRuleId::from_trusted(r.id),
            name: r.name,
            status: RuleStatus::parse(&r.status)
                .ok_or_else(|| Error::Corrupt(format!("group rule status {:?}", r.status)))?,
            expression: r.expression,
            excluded_users,
            group_ids: group_ids.into_iter().map(GroupId::from_trusted).collect(),
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
        })
    }
}

const COLUMNS: &str =
    "id, name, status, expression, excluded_users, group_ids, created, last_updated";
const INSERT: &str = "INSERT INTO group_rules (id, name, name_lower, status, expression, excluded_users, \
     group_ids, created, last_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const UPDATE: &str = "UPDATE group_rules SET name = $2, name_lower = $3, status = $4, expression = $5, \
     excluded_users = $6, group_ids = $7, last_updated = $8 WHERE id = $1";
const SELECT_ONE: &str = "SELECT id, name, status, expression, excluded_users, group_ids, created, \
     last_updated FROM group_rules WHERE id = $1";
const SELECT_ACTIVE: &str = "SELECT id, name, status, expression, excluded_users, group_ids, created, \
     last_updated FROM group_rules WHERE status = 'ACTIVE' ORDER BY created, id";
const DELETE: &str = "DELETE FROM group_rules WHERE id = $1";
const MEMBERSHIPS: &str =
    "SELECT group_id, managed_by_rule FROM group_members WHERE user_id = $1 ORDER BY group_id";
/// Adds a rule-made membership unless the user is already in the group or the group is gone.
const ADD_BY_RULE: &str = "INSERT INTO group_members (group_id, user_id, created, managed_by_rule) \
     SELECT id, $2, $3, TRUE FROM user_groups WHERE id = $1 ON CONFLICT DO NOTHING";
const REMOVE_BY_RULE: &str =
    "DELETE FROM group_members WHERE group_id = $1 AND user_id = $2 AND managed_by_rule = TRUE";
const TOUCH_MEMBERSHIP: &str =
    "UPDATE user_groups SET last_membership_updated = $2, version = version + 1 WHERE id = $1";

/// What group rules to list.
#[derive(Debug, Default, Clone)]
pub struct GroupRuleQuery {
    /// `search`: case-insensitive part of the name.
    pub search: Option<String>,
    /// Page size.
    pub limit: usize,
    /// The id after which to continue.
    pub after: Option<String>,
}

fn lists(r: &GroupRule) -> Result<(String, String)> {
    let groups: Vec<&str> = r.group_ids.iter().map(GroupId::as_str).collect();
    Ok((
        serde_json::to_string(&r.excluded_users)?,
        serde_json::to_string(&groups)?,
    ))
}

impl Store {
    /// Saves a new group rule.
    pub async fn create_group_rule(&self, r: &GroupRule, events: &[LogEvent]) -> Result<()> {
        let (excluded, groups) = lists(r)?;
        write_logged!(self, events, INSERT; r.id.as_str(), &r.name, r.name.to_lowercase(), r.status.as_str(), &r.expression, &excluded, &groups, r.created.millis(), r.last_updated.millis());
        Ok(())
    }

    /// Saves every field of a group rule but its creation. `NotFound` when it is gone.
    pub async fn update_group_rule(&self, r: &GroupRule, events: &[LogEvent]) -> Result<()> {
        let (excluded, groups) = lists(r)?;
        let n = write_logged!(self, events, UPDATE; r.id.as_str(), &r.name, r.name.to_lowercase(), r.status.as_str(), &r.expression, &excluded, &groups, r.last_updated.millis());
        if n == 0 { Err(Error::NotFound) } else { Ok(()) }
    }

    /// One group rule.
    pub async fn find_group_rule(&self, id: &str) -> Result<Option<GroupRule>> {
        load!(one: self, RuleRow, SELECT_ONE, id)
    }

    /// The active group rules, oldest first.
    pub async fn active_group_rules(&self) -> Result<Vec<GroupRule>> {
        load!(all: self, RuleRow, SELECT_ACTIVE)
    }

    /// Deletes a group rule (its memberships stay). Returns whether it existed.
    pub async fn delete_group_rule(&self, id: &str, events: &[LogEvent]) -> Result<bool> {
        let n = write_logged!(self, events, DELETE; id);
        Ok(n > 0)
    }

    /// One page of group rules in creation order, and whether more follow.
    pub async fn list_group_rules(&self, q: &GroupRuleQuery) -> Result<(Vec<GroupRule>, bool)> {
        let mut sql = Sql::new("SELECT ");
        sql.push(COLUMNS).push(" FROM group_rules WHERE 1 = 1");
        if let Some(search) = &q.search {
            sql.push(" AND name_lower LIKE ")
                .bind(Bind::Text(format!("%{}", prefix_pattern(search))))
                .push(" ESCAPE '\\'");
        }
        if let Some(after) = &q.after {
            sql.push(" AND (created, id) > (SELECT created, id FROM group_rules WHERE id = ")
                .bind(Bind::Text(after.clone()))
                .push(")");
        }
        sql.push(" ORDER BY created, id LIMIT ").bind(Bind::Int(
            i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1),
        ));
        let rows: Vec<RuleRow> = on_pool!(self, |pool| bound_query_as!(RuleRow, sql)
            .fetch_all(pool)
            .await)?;
        let more = rows.len() > q.limit;
        let rules = rows
            .into_iter()
            .take(q.limit)
            .map(TryInto::try_into)
            .collect::<Result<Vec<GroupRule>>>()?;
        Ok((rules, more))
    }

    /// A user's memberships (`Everyone` aside), each marked whether a rule made it.
    pub async fn memberships_of_user(&self, user_id: &str) -> Result<Vec<Membership>> {
        let rows: Vec<(String, bool)> = on_pool!(self, |pool| sqlx::query_as(MEMBERSHIPS)
            .bind(user_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(g, by_rule)| Membership {
                group_id: GroupId::from_trusted(g),
                by_rule,
            })
            .collect())
    }

    /// Applies what the rules decided for one user in one transaction: adds rule-made
    /// memberships, removes rule-made ones, and moves each changed group's version (so the
    /// token path's group cache sees it) the way manual membership changes do. `events` holds
    /// one event per change, in the order `change.add` then `change.remove`; only the events of
    /// changes that happened are written. Returns how many memberships changed.
    pub async fn apply_rule_memberships(
        &self,
        user_id: &str,
        change: &MembershipChange,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<usize> {
        let ops = change
            .add
            .iter()
            .map(|g| (ADD_BY_RULE, g))
            .chain(change.remove.iter().map(|g| (REMOVE_BY_RULE, g)));
        in_tx!(self, |tx| {
            let mut changed = 0;
            for (i, (sql, group)) in ops.enumerate() {
                let mut q = sqlx::query(sql).bind(group.as_str()).bind(user_id);
                if sql == ADD_BY_RULE {
                    q = q.bind(now.millis());
                }
                if q.execute(&mut *tx).await?.rows_affected() == 0 {
                    continue;
                }
                changed += 1;
                sqlx::query(TOUCH_MEMBERSHIP)
                    .bind(group.as_str())
                    .bind(now.millis())
                    .execute(&mut *tx)
                    .await?;
                if let Some(e) = events.get(i) {
                    write_events!(tx, std::slice::from_ref(e));
                }
            }
            Ok::<usize, Error>(changed)
        })
    }
}
