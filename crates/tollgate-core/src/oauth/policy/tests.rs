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

fn rule(name: &str, priority: i64, grants: &[GrantType], groups: &[&str], scopes: &[&str]) -> Rule {
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
