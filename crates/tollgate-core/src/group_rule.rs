//! Group rules (`/api/v1/groups/rules`): an Okta expression over the user's profile that, while
//! the rule is active, puts matching users into the rule's groups.
//!
//! Okta's documented behaviour followed here: rules are created `INACTIVE`; an `ACTIVE` rule
//! cannot be replaced (deactivate it first) and the `actions` of a rule cannot be changed;
//! deactivating a rule keeps the memberships it made; deleting one removes them only with
//! `removeUsers=true`; an admin removing a rule-made membership puts the user on the rule's
//! `people.users.exclude` list so the rule does not add them back. [`decide`] is the pure
//! decision of which memberships to add and remove for one user.

mod decide;
#[cfg(test)]
mod tests;

pub use decide::{CompiledRule, Membership, MembershipChange, decide, rule_context};

use crate::clock::Timestamp;
use crate::error::{Cause, Error};
use crate::expr;
use crate::id::{GroupId, GroupRuleId};

/// The only expression type Okta accepts.
pub const EXPRESSION_TYPE: &str = "urn:okta:expression:1.0";
/// The only `type` of a group rule.
pub const RULE_TYPE: &str = "group_rule";
/// Okta's limit on a rule name.
pub const NAME_MAX_CHARS: usize = 50;

/// Where a group rule is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleStatus {
    /// Changes memberships.
    Active,
    /// Kept, changes nothing; the only state in which it can be replaced.
    Inactive,
    /// A target group was deleted: the rule can only be read or deleted.
    Invalid,
}

impl RuleStatus {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
            Self::Invalid => "INVALID",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ACTIVE" => Some(Self::Active),
            "INACTIVE" => Some(Self::Inactive),
            "INVALID" => Some(Self::Invalid),
            _ => None,
        }
    }
}

fn only_read_or_delete() -> Error {
    Error::invalid_field(
        "status",
        "An invalid group rule (one of its groups was deleted) can only be read or deleted",
    )
}

/// A group rule.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRule {
    /// `0pr…`.
    pub id: GroupRuleId,
    /// 1 to 50 characters.
    pub name: String,
    /// Only an active rule changes memberships.
    pub status: RuleStatus,
    /// `conditions.expression.value`: checked when saved.
    pub expression: String,
    /// `conditions.people.users.exclude`: users the rule never adds.
    pub excluded_users: Vec<String>,
    /// `actions.assignUserToGroups.groupIds`.
    pub group_ids: Vec<GroupId>,
    /// When it was created.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
}

/// What a client sends to create or replace a rule, already taken out of Okta's JSON.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleInput {
    /// `type`: `group_rule` when given.
    pub kind: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `conditions.expression.type`.
    pub expression_type: Option<String>,
    /// `conditions.expression.value`.
    pub expression: Option<String>,
    /// `conditions.people.users.exclude`.
    pub excluded_users: Vec<String>,
    /// `actions.assignUserToGroups.groupIds`.
    pub group_ids: Vec<String>,
}

/// Checks an expression the way a rule save does (after trimming); the error is the checker's.
pub fn check_expression(source: &str) -> Result<expr::Compiled, expr::Error> {
    expr::compile(source)
}

struct Checked {
    name: String,
    expression: String,
    excluded_users: Vec<String>,
    group_ids: Vec<GroupId>,
}

fn check(input: &RuleInput) -> Result<Checked, Error> {
    let mut causes = Vec::new();
    if input.kind.as_deref().is_some_and(|k| k != RULE_TYPE) {
        causes.push(Cause::field("type", format!("must be '{RULE_TYPE}'")));
    }
    let name = input.name.as_deref().map(str::trim).unwrap_or_default();
    if name.is_empty() {
        causes.push(Cause::field("name", "The field cannot be left blank"));
    } else if name.chars().count() > NAME_MAX_CHARS {
        causes.push(Cause::field(
            "name",
            format!("The field cannot exceed {NAME_MAX_CHARS} characters"),
        ));
    }
    if input
        .expression_type
        .as_deref()
        .is_some_and(|t| t != EXPRESSION_TYPE)
    {
        causes.push(Cause::field(
            "conditions.expression.type",
            format!("Only '{EXPRESSION_TYPE}' is supported"),
        ));
    }
    let expression = input.expression.as_deref().unwrap_or_default().trim();
    if expression.is_empty() {
        causes.push(Cause::field(
            "conditions.expression.value",
            "The field cannot be left blank",
        ));
    } else if let Err(message) = check_expression(expression) {
        causes.push(Cause::field(
            "conditions.expression.value",
            format!("Invalid expression: {message}"),
        ));
    }
    let mut group_ids: Vec<GroupId> = Vec::new();
    for id in &input.group_ids {
        match id.parse::<GroupId>() {
            Ok(g) if !group_ids.contains(&g) => group_ids.push(g),
            Ok(_) => {}
            Err(_) => causes.push(Cause::field(
                "actions.assignUserToGroups.groupIds",
                format!("Invalid group id: {id}"),
            )),
        }
    }
    if input.group_ids.is_empty() {
        causes.push(Cause::field(
            "actions.assignUserToGroups.groupIds",
            "At least one group is required",
        ));
    }
    if let Some(first) = causes.first() {
        return Err(Error::Invalid {
            summary: first.field.clone().unwrap_or_default(),
            causes,
        });
    }
    let mut excluded_users: Vec<String> = Vec::new();
    for u in &input.excluded_users {
        if !excluded_users.contains(u) {
            excluded_users.push(u.clone());
        }
    }
    Ok(Checked {
        name: name.to_owned(),
        expression: expression.to_owned(),
        excluded_users,
        group_ids,
    })
}

impl GroupRule {
    /// A new rule: always `INACTIVE`, as Okta creates them.
    pub fn create(input: &RuleInput, now: Timestamp) -> Result<Self, Error> {
        let c = check(input)?;
        Ok(Self {
            id: GroupRuleId::generate(),
            name: c.name,
            status: RuleStatus::Inactive,
            expression: c.expression,
            excluded_users: c.excluded_users,
            group_ids: c.group_ids,
            created: now,
            last_updated: now,
        })
    }

    /// Replaces name, expression and exclusions. Refused for an active rule and for a change
    /// of the target groups, which Okta does not allow.
    pub fn replace(&mut self, input: &RuleInput, now: Timestamp) -> Result<(), Error> {
        if self.status == RuleStatus::Invalid {
            return Err(only_read_or_delete());
        }
        if self.status == RuleStatus::Active {
            return Err(Error::invalid_field(
                "status",
                "An active group rule cannot be updated; deactivate it first",
            ));
        }
        let c = check(input)?;
        if c.group_ids != self.group_ids {
            return Err(Error::invalid_field(
                "actions.assignUserToGroups.groupIds",
                "The actions of a group rule cannot be updated",
            ));
        }
        self.name = c.name;
        self.expression = c.expression;
        self.excluded_users = c.excluded_users;
        self.last_updated = now;
        Ok(())
    }

    /// Activates or deactivates; returns whether the status changed. An invalid rule stays
    /// invalid.
    pub fn set_status(&mut self, status: RuleStatus, now: Timestamp) -> Result<bool, Error> {
        if self.status == RuleStatus::Invalid {
            return Err(only_read_or_delete());
        }
        if self.status == status {
            return Ok(false);
        }
        self.status = status;
        self.last_updated = now;
        Ok(true)
    }

    /// Marks the rule invalid because a group it targets was deleted; returns whether it
    /// changed.
    pub fn invalidate(&mut self, now: Timestamp) -> bool {
        if self.status == RuleStatus::Invalid {
            return false;
        }
        self.status = RuleStatus::Invalid;
        self.last_updated = now;
        true
    }

    /// Adds `user_id` to the exclusions (an admin removed a membership the rule made);
    /// returns whether it was new.
    pub fn exclude(&mut self, user_id: &str, now: Timestamp) -> bool {
        if self.excluded_users.iter().any(|u| u == user_id) {
            return false;
        }
        self.excluded_users.push(user_id.to_owned());
        self.last_updated = now;
        true
    }

    /// Whether the rule assigns to `group_id`.
    pub fn targets(&self, group_id: &str) -> bool {
        self.group_ids.iter().any(|g| g.as_str() == group_id)
    }
}
