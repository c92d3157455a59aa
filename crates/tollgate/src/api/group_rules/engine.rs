//! What active group rules do to memberships: load the rules, ask core which memberships a
//! user should gain or lose ([`decide`]), save the change with its System Log events.
//!
//! Run for one user when the user is created or changed, for every user (deprovisioned users
//! aside, as Okta does not re-evaluate them) when a rule is activated, and for every user with
//! the rule's groups released when a rule is deleted with `removeUsers=true`. Membership writes
//! move the groups' versions, so the token path's group cache sees them.

use tollgate_core::Timestamp;
use tollgate_core::directory::User;
use tollgate_core::group_rule::{CompiledRule, MembershipChange, RuleStatus, decide};
use tollgate_core::id::GroupId;
use tollgate_core::log::{Entity, LogEvent};
use tollgate_store::UserQuery;

use tollgate_store::{Result, Store};

use crate::http::audit::Audit;
use crate::state::AppState;

/// Users read per page while re-evaluating everyone.
const PAGE: usize = 200;

/// The active rules, compiled.
pub async fn active_rules(store: &Store) -> Result<Vec<CompiledRule>> {
    Ok(store
        .active_group_rules()
        .await?
        .into_iter()
        .map(CompiledRule::new)
        .collect())
}

fn events(actor: &Audit, user: &User, change: &MembershipChange, now: Timestamp) -> Vec<LogEvent> {
    let one = |kind: &str, message: &str, g: &GroupId| {
        actor
            .event(kind, message, now)
            .target(Entity::user(user))
            .target(Entity::id_only(g.as_str(), "UserGroup"))
            .debug("reason", "group rule")
    };
    let added = change.add.iter().map(|g| {
        one(
            "group.user_membership.add",
            "Add user to group membership",
            g,
        )
    });
    let removed = change.remove.iter().map(|g| {
        one(
            "group.user_membership.remove",
            "Remove user from group membership",
            g,
        )
    });
    added.chain(removed).collect()
}

/// Applies `rules` to one user; returns how many memberships changed.
pub async fn apply_to_user(
    store: &Store,
    rules: &[CompiledRule],
    user: &User,
    released: &[GroupId],
    actor: &Audit,
    now: Timestamp,
) -> Result<usize> {
    let current = store.memberships_of_user(user.id.as_str()).await?;
    let change = decide(rules, user, &current, released, now);
    if change.is_empty() {
        return Ok(0);
    }
    let events = events(actor, user, &change, now);
    store
        .apply_rule_memberships(user.id.as_str(), &change, now, &events)
        .await
}

/// Applies the active rules to a user just created or changed.
pub async fn evaluate_user(state: &AppState, user: &User, actor: &Audit) -> Result<()> {
    let rules = active_rules(state.store()).await?;
    if !rules.is_empty() {
        apply_to_user(state.store(), &rules, user, &[], actor, state.clock().now()).await?;
    }
    Ok(())
}

/// Applies the active rules to every user but the deprovisioned ones; `released` are groups
/// whose rule-made memberships go unless an active rule still gives them. Returns how many
/// memberships changed.
pub async fn evaluate_everyone(
    store: &Store,
    released: &[GroupId],
    actor: &Audit,
    now: Timestamp,
) -> Result<usize> {
    let rules = active_rules(store).await?;
    if rules.is_empty() && released.is_empty() {
        return Ok(0);
    }
    let mut changed = 0;
    let mut after = None;
    loop {
        let query = UserQuery {
            limit: PAGE,
            after: after.take(),
            ..UserQuery::default()
        };
        let (users, more) = store.list_users(&query).await?;
        for u in &users {
            changed += apply_to_user(store, &rules, u, released, actor, now).await?;
        }
        match (more, users.last()) {
            (true, Some(last)) => after = Some(last.id.as_str().to_owned()),
            _ => return Ok(changed),
        }
    }
}

/// After an admin removed `user_id` from `group_id` by hand: if a rule had made that
/// membership, every active rule that targets the group excludes the user, so it does not add
/// them back (Okta's `group.user_membership.rule.add_exclusion`).
pub async fn exclude_after_removal(
    state: &AppState,
    group_id: &str,
    user_id: &str,
    was_by_rule: bool,
    audit: &Audit,
) -> Result<()> {
    if !was_by_rule {
        return Ok(());
    }
    let now = state.clock().now();
    for mut rule in state.store().active_group_rules().await? {
        if rule.status == RuleStatus::Active && rule.targets(group_id) && rule.exclude(user_id, now)
        {
            let event = audit
                .event(
                    "group.user_membership.rule.add_exclusion",
                    "User added to exclusion list for group rule",
                    now,
                )
                .target(Entity::id_only(user_id, "User"))
                .target(Entity::new(
                    rule.id.as_str(),
                    "GroupRule",
                    &rule.name,
                    &rule.name,
                ));
            state.store().update_group_rule(&rule, &[event]).await?;
        }
    }
    Ok(())
}

/// After group `group_id` was deleted: every rule that assigned to it becomes `INVALID` (it can
/// then only be read or deleted, as on Okta) and stops changing memberships.
pub async fn invalidate_rules_of_group(
    state: &AppState,
    group_id: &str,
    audit: &Audit,
) -> Result<()> {
    let now = state.clock().now();
    let query = tollgate_store::GroupRuleQuery {
        limit: 1_000_000,
        ..tollgate_store::GroupRuleQuery::default()
    };
    let (rules, _) = state.store().list_group_rules(&query).await?;
    for mut rule in rules {
        if rule.targets(group_id) && rule.invalidate(now) {
            let event = audit
                .event(
                    "group.user_membership.rule.invalidate",
                    "Group rule invalidated: one of its groups was deleted",
                    now,
                )
                .target(Entity::new(
                    rule.id.as_str(),
                    "GroupRule",
                    &rule.name,
                    &rule.name,
                ))
                .target(Entity::id_only(group_id, "UserGroup"));
            state.store().update_group_rule(&rule, &[event]).await?;
        }
    }
    Ok(())
}
