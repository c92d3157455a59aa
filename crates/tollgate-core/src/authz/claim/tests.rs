//! Claim validation: the seed's quoted value, expression errors, names, types, filters.

use super::{Claim, ClaimInput, GroupFilterType, SUB_EXPRESSION, check_expression};
use crate::clock::Timestamp;
use crate::error::Error;
use crate::id::AuthServerId;

fn server() -> AuthServerId {
    AuthServerId::from_trusted("default")
}

fn expr(name: &str, value: &str) -> ClaimInput {
    ClaimInput {
        name: Some(name.into()),
        claim_type: Some("IDENTITY".into()),
        value_type: Some("EXPRESSION".into()),
        value: Some(value.into()),
        ..ClaimInput::default()
    }
}

fn causes(e: Error) -> Vec<String> {
    match e {
        Error::Invalid { causes, .. } => causes.iter().map(ToString::to_string).collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn seed_value_is_unwrapped() {
    let seed = "\"getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)\"";
    let c = Claim::create(&server(), &expr("groups", seed), Timestamp::from_millis(1)).unwrap();
    assert_eq!(
        c.value,
        "getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)"
    );
    assert!(!c.always_include_in_token);
    // A string literal is valid as it is and stays quoted.
    let c = Claim::create(
        &server(),
        &expr("x", "\"driving!\""),
        Timestamp::from_millis(1),
    )
    .unwrap();
    assert_eq!(c.value, "\"driving!\"");
    assert!(check_expression(SUB_EXPRESSION).is_ok());
}

#[test]
fn bad_expressions_and_limits_name_value() {
    let e = Claim::create(
        &server(),
        &expr("x", "user.login +"),
        Timestamp::from_millis(1),
    )
    .unwrap_err();
    let c = causes(e);
    assert!(c[0].starts_with("value: "), "{c:?}");
    assert!(c[0].contains('^'), "{c:?}");
    let e = Claim::create(
        &server(),
        &expr(
            "groups",
            "getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 100)",
        ),
        Timestamp::from_millis(1),
    )
    .unwrap_err();
    let c = causes(e);
    assert!(c[0].contains("must be less than 100"), "{c:?}");
}

#[test]
fn names_types_and_groups_filters() {
    let now = Timestamp::from_millis(1);
    for reserved in ["sub", "iss", "scp"] {
        assert!(Claim::create(&server(), &expr(reserved, "user.login"), now).is_err());
    }
    let mut resource = expr("r", "user.login");
    resource.claim_type = Some("RESOURCE".into());
    resource.always_include_in_token = Some(false);
    assert!(
        Claim::create(&server(), &resource, now)
            .unwrap()
            .always_include_in_token
    );
    let mut system = expr("s", "user.login");
    system.value_type = Some("SYSTEM".into());
    assert!(Claim::create(&server(), &system, now).is_err());
    let mut groups = expr("groups", "Sales");
    groups.value_type = Some("GROUPS".into());
    assert!(Claim::create(&server(), &groups, now).is_err());
    groups.group_filter_type = Some("STARTS_WITH".into());
    let c = Claim::create(&server(), &groups, now).unwrap();
    assert_eq!(c.group_filter_type, Some(GroupFilterType::StartsWith));
    groups.group_filter_type = Some("REGEX".into());
    groups.value = Some("(unclosed".into());
    assert!(causes(Claim::create(&server(), &groups, now).unwrap_err())[0].starts_with("value: "));
    groups.value = Some(".*".into());
    assert!(Claim::create(&server(), &groups, now).is_ok());
}

#[test]
fn system_sub_keeps_identity() {
    let now = Timestamp::from_millis(1);
    let mut sub = Claim::system_sub(&server(), now);
    let mut edit = expr("sub", "app.clientId");
    edit.claim_type = Some("RESOURCE".into());
    sub.replace(&edit, now).unwrap();
    assert_eq!(sub.value, "app.clientId");
    edit.name = Some("subject".into());
    assert!(matches!(sub.replace(&edit, now), Err(Error::Forbidden)));
}
