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
mod tests {
    use super::*;
    use crate::authz::Policy;
    use crate::authz::rule::People;
    use crate::clock::Timestamp;
    use crate::id::{AuthServerId, PolicyId, RuleId};

    const NOW: Timestamp = Timestamp::from_millis(0);

    fn policy(name: &str, priority: i64, clients: &[&str]) -> Policy {
        Policy {
            id: PolicyId::generate(),
            server_id: AuthServerId::from_trusted("default"),
            name: name.to_owned(),
            description: "d".to_owned(),
            priority,
            status: Status::Active,
            system: false,
            clients: clients.iter().map(|c| (*c).to_owned()).collect(),
            created: NOW,
            last_updated: NOW,
        }
    }

    fn rule(
        name: &str,
        priority: i64,
        grants: &[GrantType],
        groups: &[&str],
        scopes: &[&str],
    ) -> Rule {
        Rule {
            id: RuleId::generate(),
            policy_id: PolicyId::from_trusted("00p1"),
            server_id: AuthServerId::from_trusted("default"),
            name: name.to_owned(),
            priority,
            status: Status::Active,
            system: false,
            people: People {
                groups_include: groups.iter().map(|g| (*g).to_owned()).collect(),
                ..People::default()
            },
            grant_types: grants.to_vec(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            token: TokenLifetimes::default(),
            created: NOW,
            last_updated: NOW,
        }
    }

    fn scopes(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    fn req<'a>(scopes: &'a [String], person: Option<Person<'a>>, grant: GrantType) -> Request<'a> {
        Request {
            client_id: "0oaclient",
            grant,
            scopes,
            person,
        }
    }

    #[test]
    fn no_policy_explains_itself() {
        let s = scopes(&["openid"]);
        let denied = evaluate(&[], &req(&s, None, GrantType::ClientCredentials)).unwrap_err();
        assert_eq!(denied.description, POLICY_FAILED);
        assert!(denied.reason().contains("no active policy"));
    }

    #[test]
    fn first_policy_including_the_client_and_first_matching_rule_win() {
        let groups: HashSet<&str> = ["00gwest"].into_iter().collect();
        let person = Person {
            user_id: "00uannie",
            group_ids: &groups,
        };
        let mut low = PolicyWithRules {
            policy: policy("Low", 2, &["ALL_CLIENTS"]),
            rules: vec![rule(
                "any",
                1,
                &[GrantType::Implicit],
                &["EVERYONE"],
                &["*"],
            )],
        };
        let other_client = PolicyWithRules {
            policy: policy("Other", 1, &["0oaother"]),
            rules: vec![],
        };
        let mut first = PolicyWithRules {
            policy: policy("Main", 1, &["0oaclient"]),
            rules: vec![
                rule(
                    "codes only",
                    1,
                    &[GrantType::AuthorizationCode],
                    &["EVERYONE"],
                    &["*"],
                ),
                rule("east only", 2, &[GrantType::Implicit], &["00geast"], &["*"]),
                rule("west", 3, &[GrantType::Implicit], &["00gwest"], &["openid"]),
            ],
        };
        first.policy.priority = 3;
        low.policy.priority = 2;
        let s = scopes(&["groups", "openid", "car:drive"]);
        let set = [other_client, first.clone(), low.clone()];
        let granted = evaluate(&set, &req(&s, Some(person), GrantType::Implicit)).unwrap();
        // "Low" comes first by priority and includes every client.
        assert_eq!(
            (granted.policy_name.as_str(), granted.rule_name.as_str()),
            ("Low", "any")
        );
        assert_eq!(granted.scopes, scopes(&["car:drive", "groups", "openid"]));

        let granted = evaluate(&[first], &req(&s, Some(person), GrantType::Implicit)).unwrap();
        assert_eq!(granted.rule_name, "west");
        assert_eq!(
            granted.scopes,
            scopes(&["groups", "openid"]),
            "OIDC scopes always, custom ones only if listed"
        );
        assert_eq!(granted.dropped, scopes(&["car:drive"]));
        assert!(
            granted
                .trail
                .iter()
                .any(|t| t.contains("grant type implicit is not one of [authorization_code]"))
        );
        assert!(
            granted
                .trail
                .iter()
                .any(|t| t.contains("neither included nor in an included group"))
        );
    }

    #[test]
    fn inactive_things_and_exclusions_are_skipped() {
        let groups: HashSet<&str> = ["00gwest"].into_iter().collect();
        let person = Person {
            user_id: "00uannie",
            group_ids: &groups,
        };
        let mut p = PolicyWithRules {
            policy: policy("Main", 1, &["ALL_CLIENTS"]),
            rules: vec![rule("r", 1, &[GrantType::Implicit], &["EVERYONE"], &["*"])],
        };
        p.rules[0].people.groups_exclude = vec!["00gwest".to_owned()];
        let s = scopes(&["openid"]);
        let denied = evaluate(
            std::slice::from_ref(&p),
            &req(&s, Some(person), GrantType::Implicit),
        )
        .unwrap_err();
        assert!(denied.reason().contains("excluded group 00gwest"));
        p.rules[0].people.groups_exclude.clear();
        p.rules[0].status = Status::Inactive;
        assert!(
            evaluate(
                std::slice::from_ref(&p),
                &req(&s, Some(person), GrantType::Implicit)
            )
            .unwrap_err()
            .reason()
            .contains("no active rule")
        );
        p.policy.status = Status::Inactive;
        assert!(evaluate(&[p], &req(&s, Some(person), GrantType::Implicit)).is_err());
    }

    #[test]
    fn client_credentials_ignore_people_and_need_an_allowed_scope() {
        let p = PolicyWithRules {
            policy: policy("M2M", 1, &["ALL_CLIENTS"]),
            rules: vec![rule(
                "svc",
                1,
                &[GrantType::ClientCredentials],
                &["00gnobody"],
                &["car:drive"],
            )],
        };
        let s = scopes(&["car:drive"]);
        let granted = evaluate(
            std::slice::from_ref(&p),
            &req(&s, None, GrantType::ClientCredentials),
        )
        .unwrap();
        assert_eq!(granted.scopes, s);
        let other = scopes(&["car:sell"]);
        let denied = evaluate(&[p], &req(&other, None, GrantType::ClientCredentials)).unwrap_err();
        assert_eq!(denied.description, ALL_SCOPES_REJECTED);
    }
}
