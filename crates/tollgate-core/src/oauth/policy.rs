//! Custom authorization server policy evaluation (`oauth-endpoints.md` section 8): the first
//! active policy (by priority) that includes the client, then its first active rule (by
//! priority) matching the grant, the person and the scopes. Every step that skips a policy or a
//! rule is recorded, so a denial explains itself.

use std::collections::HashSet;

use crate::app::vocab::GrantType;
use crate::authz::rule::{EVERYONE, TokenLifetimes};
use crate::authz::{PolicyWithRules, Rule};
use crate::server::Status;

/// Scopes every matching rule grants, whatever its scope list says.
pub const OIDC_SCOPES: [&str; 7] = [
    "openid",
    "profile",
    "email",
    "address",
    "phone",
    "offline_access",
    "groups",
];

/// Okta's words when no policy or rule lets the request through.
pub const POLICY_FAILED: &str =
    "Policy evaluation failed for this request, please check the policy configurations.";
/// Okta's words when a rule matched but none of the requested scopes may be granted.
pub const ALL_SCOPES_REJECTED: &str =
    "Policy evaluation succeeded, but all the requested scopes were rejected.";

/// The groups a person belongs to, as rule conditions ask about them: a set of ids, or the
/// user's groups as loaded (a rule names a few groups, so scanning a list beats building a set
/// of a thousand ids on every request).
pub trait Membership: std::fmt::Debug + Sync {
    /// Whether the person is in group `id`.
    fn has(&self, id: &str) -> bool;
}

impl Membership for HashSet<&str> {
    fn has(&self, id: &str) -> bool {
        self.contains(id)
    }
}

impl Membership for Vec<crate::directory::Group> {
    fn has(&self, id: &str) -> bool {
        self.iter().any(|g| g.id.as_str() == id)
    }
}

impl Membership for std::sync::Arc<[crate::directory::Group]> {
    fn has(&self, id: &str) -> bool {
        self.iter().any(|g| g.id.as_str() == id)
    }
}

/// The person a token is for (none for `client_credentials`).
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    /// The user's id.
    pub user_id: &'a str,
    /// The groups the user belongs to (`Everyone` need not be listed).
    pub group_ids: &'a dyn Membership,
}

/// What is being asked.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The client's `client_id`.
    pub client_id: &'a str,
    /// The grant as rules name it (`implicit` for implicit and hybrid authorize requests,
    /// `authorization_code` for the code flow and its refreshes).
    pub grant: GrantType,
    /// The scopes requested.
    pub scopes: &'a [String],
    /// The user, if any.
    pub person: Option<Person<'a>>,
}

/// Why the request got through.
#[derive(Debug, Clone, PartialEq)]
pub struct Granted {
    /// The policy used.
    pub policy_id: String,
    /// Its name.
    pub policy_name: String,
    /// The rule used.
    pub rule_id: String,
    /// Its name.
    pub rule_name: String,
    /// Granted scopes, ascending (as `scp`).
    pub scopes: Vec<String>,
    /// Requested scopes the rule does not allow (dropped, logged as `scope_denied`).
    pub dropped: Vec<String>,
    /// Token lifetimes from the rule.
    pub lifetimes: TokenLifetimes,
    /// What was looked at, in order.
    pub trail: Vec<String>,
}

/// Why the request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    /// Okta's `error_description` (the OAuth error is `access_denied`).
    pub description: &'static str,
    /// For the System Log and token preview: every policy and rule looked at and why it did not
    /// apply.
    pub trail: Vec<String>,
}

impl Denied {
    /// The trail as one sentence, for `outcome.reason`.
    pub fn reason(&self) -> String {
        if self.trail.is_empty() {
            self.description.to_owned()
        } else {
            format!("{} {}", self.description, self.trail.join("; "))
        }
    }
}

fn rule_mismatch(rule: &Rule, req: &Request<'_>) -> Option<String> {
    if !rule.grant_types.contains(&req.grant) {
        let allowed: Vec<&str> = rule.grant_types.iter().map(|g| g.as_str()).collect();
        return Some(format!(
            "grant type {} is not one of [{}]",
            req.grant.as_str(),
            allowed.join(", ")
        ));
    }
    if let Some(p) = req.person {
        let people = &rule.people;
        if people.users_exclude.iter().any(|u| u == p.user_id) {
            return Some(format!("user {} is excluded", p.user_id));
        }
        if let Some(g) = people
            .groups_exclude
            .iter()
            .find(|g| p.group_ids.has(g.as_str()))
        {
            return Some(format!("the user is in the excluded group {g}"));
        }
        let by_user = people.users_include.iter().any(|u| u == p.user_id);
        let by_group = people
            .groups_include
            .iter()
            .any(|g| g == EVERYONE || p.group_ids.has(g.as_str()));
        if !by_user && !by_group {
            return Some(format!(
                "user {} is neither included nor in an included group",
                p.user_id
            ));
        }
    }
    None
}

/// Splits the requested scopes into granted and dropped under `rule`.
fn grant_scopes(rule: &Rule, requested: &[String]) -> (Vec<String>, Vec<String>) {
    let any = rule.scopes.iter().any(|s| s == "*");
    let mut granted = Vec::new();
    let mut dropped = Vec::new();
    for s in requested {
        if any || OIDC_SCOPES.contains(&s.as_str()) || rule.scopes.iter().any(|r| r == s) {
            granted.push(s.clone());
        } else {
            dropped.push(s.clone());
        }
    }
    granted.sort();
    granted.dedup();
    (granted, dropped)
}

/// Evaluates the policies of a custom authorization server for `req`.
pub fn evaluate(policies: &[PolicyWithRules], req: &Request<'_>) -> Result<Granted, Denied> {
    let mut trail = Vec::new();
    let mut candidates: Vec<&PolicyWithRules> = policies
        .iter()
        .filter(|p| p.policy.status == Status::Active)
        .collect();
    candidates.sort_by_key(|p| p.policy.priority);
    let Some(chosen) = candidates.iter().find(|p| {
        let ok = p.policy.includes_client(req.client_id);
        if !ok {
            trail.push(format!(
                "policy \"{}\" does not include client {}",
                p.policy.name, req.client_id
            ));
        }
        ok
    }) else {
        if candidates.is_empty() {
            trail.push("the authorization server has no active policy".to_owned());
        }
        return Err(Denied {
            description: POLICY_FAILED,
            trail,
        });
    };
    let name = &chosen.policy.name;
    let mut rules: Vec<&Rule> = chosen
        .rules
        .iter()
        .filter(|r| r.status == Status::Active)
        .collect();
    rules.sort_by_key(|r| r.priority);
    if rules.is_empty() {
        trail.push(format!("policy \"{name}\" has no active rule"));
    }
    for rule in rules {
        match rule_mismatch(rule, req) {
            Some(why) => trail.push(format!("policy \"{name}\", rule \"{}\": {why}", rule.name)),
            None => {
                let (scopes, dropped) = grant_scopes(rule, req.scopes);
                if scopes.is_empty() && !req.scopes.is_empty() {
                    trail.push(format!(
                        "policy \"{name}\", rule \"{}\" matched but allows none of [{}]",
                        rule.name,
                        req.scopes.join(", ")
                    ));
                    return Err(Denied {
                        description: ALL_SCOPES_REJECTED,
                        trail,
                    });
                }
                trail.push(format!("policy \"{name}\", rule \"{}\" matched", rule.name));
                return Ok(Granted {
                    policy_id: chosen.policy.id.to_string(),
                    policy_name: name.clone(),
                    rule_id: rule.id.to_string(),
                    rule_name: rule.name.clone(),
                    scopes,
                    dropped,
                    lifetimes: rule.token,
                    trail,
                });
            }
        }
    }
    Err(Denied {
        description: POLICY_FAILED,
        trail,
    })
}

#[cfg(test)]
mod tests;
