use serde_json::json;

use super::*;
use crate::directory::user::CreateOptions;
use crate::directory::{Group, GroupType, User};
use crate::id::GroupId;
use crate::oauth::testing::web_app;

const NOW: crate::Timestamp = crate::Timestamp::from_millis(1_700_000_000_000);
const SEED: &str = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;

#[test]
fn each_place_uses_its_save_s_checker_and_points_at_the_fault() {
    let at = |start, end, line, column| {
        Some(Position {
            start,
            end,
            line,
            column,
        })
    };
    // (where, source, passes, position of the fault)
    let cases: [(ExprUse, &str, bool, Option<Position>); 9] = [
        (ExprUse::Claim, SEED, true, None),
        (ExprUse::Claim, &format!("\"{SEED}\""), true, None),
        (ExprUse::Claim, "user.login +", false, at(12, 12, 1, 13)),
        (ExprUse::Claim, "nosuch(1)", false, at(0, 6, 1, 1)),
        (ExprUse::GroupRule, "user.department == \"Eng\"", true, None),
        (
            ExprUse::GroupRule,
            "  \n  user.x ==",
            false,
            at(14, 14, 2, 12),
        ),
        (ExprUse::GroupRule, "   ", false, None),
        (ExprUse::GroupRule, "\"é\" + )", false, at(6, 7, 1, 7)),
        (
            ExprUse::Claim,
            "getFilteredGroups(x, \"group.name\", 400)",
            false,
            at(35, 38, 1, 36),
        ),
    ];
    for (use_, source, passes, position) in cases {
        let got = check(use_, source);
        assert_eq!(got.is_ok(), passes, "{source}: {got:?}");
        if let Err(p) = got {
            assert_eq!(p.position, position, "{source}: {}", p.message);
            assert!(!p.message.is_empty());
        }
    }
    assert!(check(ExprUse::Claim, &"1".repeat(1025)).is_err());
}

#[test]
fn the_places_are_named_as_the_console_names_them() {
    assert_eq!(ExprUse::parse("claim"), Some(ExprUse::Claim));
    assert_eq!(ExprUse::parse("groups-claim"), Some(ExprUse::Claim));
    assert_eq!(ExprUse::parse("group-rule"), Some(ExprUse::GroupRule));
    assert_eq!(ExprUse::parse("rule"), None);
}

fn group(id: &str, name: &str, kind: GroupType) -> Group {
    let profile = json!({ "name": name });
    let mut g = Group::new(kind, profile.as_object().cloned().unwrap_or_default(), NOW).unwrap();
    g.id = GroupId::from_trusted(id);
    g
}

#[test]
fn evaluation_gives_what_a_token_or_a_rule_would() {
    let profile = json!({"login": "annie@acme.com", "email": "annie@acme.com",
                         "firstName": "Annie", "lastName": "J", "department": "Eng"});
    let options = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    let user = User::create(profile.as_object().cloned().unwrap(), None, options, NOW).unwrap();
    let groups = vec![
        group("00geveryone", "Everyone", GroupType::BuiltIn),
        group("00gwest", "WestCoastDivision", GroupType::OktaGroup),
        group("00geng", "Engineering", GroupType::OktaGroup),
    ];
    let mut app = web_app();
    app.profile = json!({"groupwhitelist": ["00gwest"]})
        .as_object()
        .cloned()
        .unwrap();
    let org = crate::org::Org::initial(NOW);
    let subject = Subject {
        user: Some(&user),
        groups: &groups,
        app_user_name: None,
        app: &app,
        org: &org,
        scopes: &[],
        session: None,
        now: NOW,
    };
    let claim = |s: &str| evaluate_claim(s, &subject);
    let rule = |s: &str| evaluate_condition(s, &user, NOW);
    assert_eq!(claim(SEED), Ok(json!(["WestCoastDivision"])));
    assert_eq!(claim("user.email"), Ok(json!("annie@acme.com")));
    assert_eq!(claim("user.nosuch"), Ok(json!(null)));
    assert_eq!(rule(" user.department == \"Eng\""), Ok(json!(true)));
    assert_eq!(rule("user.department == \"Ops\""), Ok(json!(false)));
    let bad = rule("user.login +").unwrap_err();
    assert_eq!(bad.position.map(|p| p.column), Some(13));
    assert!(claim("user.login +").is_err());
}
