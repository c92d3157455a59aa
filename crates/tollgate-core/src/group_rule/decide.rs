//! Which memberships the active group rules give one user.

use std::collections::{BTreeSet, HashSet};

use time::OffsetDateTime;

use super::GroupRule;
use crate::clock::Timestamp;
use crate::directory::User;
use crate::expr;
use crate::id::GroupId;
use crate::oauth::expr_values::{expr_user, odt};

/// An active rule with its expression compiled once for many users.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// The rule.
    pub rule: GroupRule,
    excluded: HashSet<String>,
    /// `None` when the stored expression no longer compiles: the rule matches nobody.
    program: Option<expr::Compiled>,
}

impl CompiledRule {
    /// Compiles `rule`'s expression.
    pub fn new(rule: GroupRule) -> Self {
        Self {
            excluded: rule.excluded_users.iter().cloned().collect(),
            program: expr::compile(&rule.expression).ok(),
            rule,
        }
    }

    /// Whether the rule puts `user` in its groups: not excluded, and the expression is `true`
    /// (an evaluation error or any other value is no match).
    pub fn matches(&self, user: &User, now: Timestamp) -> bool {
        if self.excluded.contains(user.id.as_str()) {
            return false;
        }
        let Some(program) = &self.program else {
            return false;
        };
        matches!(
            program.eval(&rule_context(user, now)),
            Ok(expr::Value::Bool(true))
        )
    }
}

/// What a rule's condition may read: the user's profile, at `now`.
pub fn rule_context(user: &User, now: Timestamp) -> expr::Context {
    expr::Context::builder(odt(now).unwrap_or(OffsetDateTime::UNIX_EPOCH))
        .user(expr_user(user))
        .build()
}

/// One membership the user has now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The group.
    pub group_id: GroupId,
    /// Made by a group rule (not by an admin or an org file).
    pub by_rule: bool,
}

/// What to change for one user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MembershipChange {
    /// Groups to add the user to (marked as made by a rule), sorted.
    pub add: Vec<GroupId>,
    /// Rule-made memberships to remove, sorted.
    pub remove: Vec<GroupId>,
}

impl MembershipChange {
    /// Nothing to do.
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }
}

/// The changes `rules` (the active ones) make for `user`, who has `current` memberships.
///
/// A group a matching rule targets is added unless the user is already in it (however the
/// membership was made). A rule-made membership is removed when an active rule targets its
/// group (or the group is in `released`, the groups of a rule deleted with `removeUsers`) and
/// no matching rule does; memberships an admin made, and those of groups no active rule
/// targets (the rule was deactivated, which keeps them), stay.
pub fn decide(
    rules: &[CompiledRule],
    user: &User,
    current: &[Membership],
    released: &[GroupId],
    now: Timestamp,
) -> MembershipChange {
    let mut targeted: HashSet<&GroupId> = released.iter().collect();
    let mut wanted: BTreeSet<&GroupId> = BTreeSet::new();
    for r in rules {
        targeted.extend(r.rule.group_ids.iter());
        if r.matches(user, now) {
            wanted.extend(r.rule.group_ids.iter());
        }
    }
    let add = wanted
        .iter()
        .filter(|g| !current.iter().any(|m| &&m.group_id == *g))
        .map(|g| (*g).clone())
        .collect();
    let mut remove: Vec<GroupId> = current
        .iter()
        .filter(|m| m.by_rule && targeted.contains(&m.group_id) && !wanted.contains(&m.group_id))
        .map(|m| m.group_id.clone())
        .collect();
    remove.sort();
    MembershipChange { add, remove }
}
