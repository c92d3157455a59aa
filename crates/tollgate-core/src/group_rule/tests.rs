use serde_json::{Map, Value, json};

use super::*;
use crate::directory::User;
use crate::directory::user::CreateOptions;

const NOW: Timestamp = Timestamp::from_millis(1_700_000_000_000);

fn input(name: &str, expression: &str, groups: &[&str], exclude: &[&str]) -> RuleInput {
    RuleInput {
        kind: Some(RULE_TYPE.into()),
        name: Some(name.into()),
        expression_type: Some(EXPRESSION_TYPE.into()),
        expression: Some(expression.into()),
        excluded_users: exclude.iter().map(|s| (*s).to_owned()).collect(),
        group_ids: groups.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn user(department: &str) -> User {
    let profile: Map<String, Value> = json!({
        "login": "a@example.com", "email": "a@example.com", "firstName": "A", "lastName": "B",
        "department": department,
    })
    .as_object()
    .cloned()
    .unwrap_or_default();
    let options = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    User::create(profile, None, options, NOW).unwrap()
}

fn rule(expression: &str, groups: &[&str], exclude: &[&str]) -> CompiledRule {
    CompiledRule::new(GroupRule::create(&input("r", expression, groups, exclude), NOW).unwrap())
}

fn gid(s: &str) -> GroupId {
    GroupId::from_trusted(s)
}

fn member(g: &str, by_rule: bool) -> Membership {
    Membership {
        group_id: gid(g),
        by_rule,
    }
}

const ENG: &str = r#"user.department == "Engineering""#;

/// Name, active rules, user, current memberships, released groups, expected adds, expected removals.
type Case<'a> = (
    &'a str,
    Vec<CompiledRule>,
    &'a User,
    Vec<Membership>,
    Vec<GroupId>,
    Vec<&'a str>,
    Vec<&'a str>,
);

#[test]
fn decisions() {
    let eng = user("Engineering");
    let sales = user("Sales");
    let excluded = [eng.id.as_str()];
    #[rustfmt::skip]
    let cases: Vec<Case<'_>> = vec![
        ("created user matches: added", vec![rule(ENG, &["00gA"], &[])], &eng, vec![], vec![], vec!["00gA"], vec![]),
        ("no match: nothing", vec![rule(ENG, &["00gA"], &[])], &sales, vec![], vec![], vec![], vec![]),
        ("updated away: rule membership removed", vec![rule(ENG, &["00gA"], &[])], &sales, vec![member("00gA", true)], vec![], vec![], vec!["00gA"]),
        ("manual membership stays", vec![rule(ENG, &["00gA"], &[])], &sales, vec![member("00gA", false)], vec![], vec![], vec![]),
        ("already a member: no add", vec![rule(ENG, &["00gA"], &[])], &eng, vec![member("00gA", false)], vec![], vec![], vec![]),
        ("excluded user: not added", vec![rule(ENG, &["00gA"], &excluded)], &eng, vec![], vec![], vec![], vec![]),
        ("deactivated rule (not given): membership kept", vec![], &sales, vec![member("00gA", true)], vec![], vec![], vec![]),
        ("deleted with removeUsers: released", vec![], &eng, vec![member("00gA", true)], vec![gid("00gA")], vec![], vec!["00gA"]),
        ("other rule still wants it", vec![rule(ENG, &["00gA"], &[]), rule(r#"user.department == "Sales""#, &["00gA"], &[])], &sales, vec![member("00gA", true)], vec![], vec![], vec![]),
        ("two groups, sorted", vec![rule(ENG, &["00gB", "00gA"], &[])], &eng, vec![], vec![], vec!["00gA", "00gB"], vec![]),
        ("non-boolean result: no match", vec![rule("user.department", &["00gA"], &[])], &eng, vec![], vec![], vec![], vec![]),
    ];
    for (name, rules, u, current, released, add, remove) in cases {
        let change = decide(&rules, u, &current, &released, NOW);
        let ids = |v: &[GroupId]| v.iter().map(|g| g.as_str().to_owned()).collect::<Vec<_>>();
        assert_eq!(ids(&change.add), add, "{name}: add");
        assert_eq!(ids(&change.remove), remove, "{name}: remove");
    }
}

#[test]
fn created_inactive_and_validated() {
    let r = GroupRule::create(&input(" Eng ", ENG, &["00gA"], &[]), NOW).unwrap();
    assert_eq!((r.status, r.name.as_str()), (RuleStatus::Inactive, "Eng"));
    let bad = [
        input("", ENG, &["00gA"], &[]),
        input(&"x".repeat(51), ENG, &["00gA"], &[]),
        input("r", "user.department ==", &["00gA"], &[]),
        input("r", "noSuchFunction(user.login)", &["00gA"], &[]),
        input("r", ENG, &[], &[]),
        RuleInput {
            expression_type: Some("urn:other".into()),
            ..input("r", ENG, &["00gA"], &[])
        },
    ];
    for i in bad {
        assert!(
            matches!(GroupRule::create(&i, NOW), Err(Error::Invalid { .. })),
            "{i:?}"
        );
    }
}

#[test]
fn active_rules_and_actions_cannot_be_replaced() {
    let mut r = GroupRule::create(&input("r", ENG, &["00gA"], &[]), NOW).unwrap();
    assert!(r.set_status(RuleStatus::Active, NOW).unwrap());
    assert!(r.replace(&input("s", ENG, &["00gA"], &[]), NOW).is_err());
    assert!(r.set_status(RuleStatus::Inactive, NOW).unwrap());
    assert!(r.replace(&input("s", ENG, &["00gB"], &[]), NOW).is_err());
    r.replace(&input("s", "true", &["00gA"], &["00u1"]), NOW)
        .unwrap();
    assert_eq!((r.name.as_str(), r.excluded_users.len()), ("s", 1));
    assert!(r.exclude("00u2", NOW));
    assert!(r.invalidate(NOW));
    assert!(r.set_status(RuleStatus::Active, NOW).is_err());
    assert!(r.replace(&input("s", "true", &["00gA"], &[]), NOW).is_err());
    assert!(!r.exclude("00u2", NOW));
}
