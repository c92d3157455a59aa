use serde_json::{Value, json};

use super::*;
use crate::authz::Claim;
use crate::authz::claim::{ClaimType, ClaimValueType, GroupFilterType};
use crate::directory::GroupType;
use crate::directory::user::CreateOptions;
use crate::id::{AuthServerId, ClaimId, GroupId};
use crate::server::Status;

const NOW: Timestamp = Timestamp::from_millis(1_700_000_000_000);

fn group(id: &str, name: &str, kind: GroupType) -> Group {
    let mut g = Group::new(
        kind,
        json!({"name": name}).as_object().unwrap().clone(),
        NOW,
    )
    .unwrap();
    g.id = GroupId::from_trusted(id);
    g
}

fn claim(name: &str, ct: ClaimType, vt: ClaimValueType, value: &str, scopes: &[&str]) -> Claim {
    Claim {
        id: ClaimId::generate(),
        server_id: AuthServerId::from_trusted("default"),
        name: name.to_owned(),
        status: Status::Active,
        claim_type: ct,
        value_type: vt,
        value: value.to_owned(),
        group_filter_type: None,
        always_include_in_token: ct == ClaimType::Resource,
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        system: false,
        created: NOW,
        last_updated: NOW,
    }
}

struct Fixture {
    user: User,
    groups: Vec<Group>,
    app: crate::app::App,
    org: crate::org::Org,
    scopes: Vec<String>,
}

fn fixture(whitelist: Value) -> Fixture {
    let profile = json!({"login": "annie@acme.com", "email": "annie@acme.com", "firstName": "Annie", "lastName": "J"});
    let user = User::create(
        profile.as_object().unwrap().clone(),
        None,
        CreateOptions {
            activate: true,
            change_password_next_login: false,
        },
        NOW,
    )
    .unwrap();
    let groups = vec![
        group("00geveryone", "Everyone", GroupType::BuiltIn),
        group(
            "00gbso71miOMjxHRW0h7",
            "WestCoastDivision",
            GroupType::OktaGroup,
        ),
        group("00gengineering", "Engineering", GroupType::OktaGroup),
        group("00gappgroup", "West AD", GroupType::AppGroup),
    ];
    let draft = crate::app::AppDraft {
        template: Default::default(),
        name: Some("oidc_client".into()),
        label: Some("Sample Client".into()),
        sign_on_mode: Some("OPENID_CONNECT".into()),
        credentials: crate::app::credentials::CredentialsDraft {
            client_id: None,
            client_secret: None,
            auth_method: Some("client_secret_basic".into()),
            pkce_required: None,
            auto_key_rotation: None,
        },
        settings: json!({"redirect_uris": ["https://example.com/cb"], "response_types": ["code"],
            "grant_types": ["authorization_code"], "application_type": "web"})
        .as_object()
        .cloned(),
        profile: None,
    };
    let mut app = crate::app::App::create(crate::id::AppId::generate(), draft, true, NOW)
        .unwrap()
        .app;
    app.profile = json!({"groupwhitelist": whitelist})
        .as_object()
        .unwrap()
        .clone();
    Fixture {
        user,
        groups,
        app,
        org: crate::org::Org::initial(NOW),
        scopes: vec!["groups".into(), "openid".into()],
    }
}

fn subject(f: &Fixture) -> Subject<'_> {
    Subject {
        user: Some(&f.user),
        groups: &f.groups,
        app_user_name: None,
        app: &f.app,
        org: &f.org,
        scopes: &f.scopes,
        session: None,
        now: NOW,
    }
}

const SEED: &str = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;

#[test]
fn the_seed_claim_gives_the_whitelisted_groups_the_user_is_in() {
    let f = fixture(json!(["00gbso71miOMjxHRW0h7", "00gnotamember"]));
    let s = subject(&f);
    let ctx = context(&s);
    let claims = [claim(
        "groups",
        ClaimType::Identity,
        ClaimValueType::Expression,
        SEED,
        &[],
    )];
    let id = assemble(&claims, Token::Id { thin: false }, &s, &ctx, true).unwrap();
    assert_eq!(id.claims.get("groups"), Some(&json!(["WestCoastDivision"])));
    assert!(
        id.notes[0].groups.is_some(),
        "the trace explains the groups"
    );
    let access = assemble(&claims, Token::Access, &s, &ctx, false).unwrap();
    assert!(
        access.claims.is_empty(),
        "an IDENTITY claim stays out of access tokens"
    );
    let thin = assemble(&claims, Token::Id { thin: true }, &s, &ctx, true).unwrap();
    assert!(thin.claims.is_empty());
    assert!(thin.notes[0].outcome.contains("alwaysIncludeInToken"));
}

#[test]
fn empty_results_and_scope_conditions_leave_claims_out() {
    let f = fixture(json!(["00gnotamember"]));
    let s = subject(&f);
    let ctx = context(&s);
    let claims = [
        claim(
            "groups",
            ClaimType::Resource,
            ClaimValueType::Expression,
            SEED,
            &[],
        ),
        claim(
            "dept",
            ClaimType::Resource,
            ClaimValueType::Expression,
            "user.firstName",
            &["profile"],
        ),
    ];
    let out = assemble(&claims, Token::Access, &s, &ctx, true).unwrap();
    assert!(out.claims.is_empty());
    assert_eq!(out.notes[0].outcome, "omitted: the value is null or empty");
    assert!(
        out.notes[1]
            .outcome
            .contains("none of its scopes [profile]")
    );
}

#[test]
fn group_filters_and_failures() {
    let f = fixture(json!([]));
    assert_eq!(
        filter_groups(&f.groups, GroupFilterType::StartsWith, "west").unwrap(),
        ["WestCoastDivision"]
    );
    assert_eq!(
        filter_groups(&f.groups, GroupFilterType::Regex, ".*").unwrap(),
        ["Engineering", "Everyone", "WestCoastDivision"]
    );
    assert!(
        filter_groups(&f.groups, GroupFilterType::Regex, "west.*")
            .unwrap()
            .is_empty(),
        "regex is case-sensitive"
    );
    let s = subject(&f);
    let ctx = context(&s);
    let bad = [claim(
        "broken",
        ClaimType::Resource,
        ClaimValueType::Expression,
        "user.profile.login.nothing.here",
        &[],
    )];
    let err = assemble(&bad, Token::Access, &s, &ctx, false).unwrap_err();
    assert_eq!(
        err.description,
        "The 'broken' user claim could not be evaluated."
    );
}

#[test]
fn expressions_see_custom_profile_properties() {
    let mut f = fixture(json!([]));
    f.user.profile.insert("age".into(), json!(33));
    f.user.profile.insert("tags".into(), json!(["a", "b"]));
    let s = subject(&f);
    let ctx = context(&s);
    let claims = [
        claim(
            "age",
            ClaimType::Identity,
            ClaimValueType::Expression,
            "user.age",
            &[],
        ),
        claim(
            "adult",
            ClaimType::Identity,
            ClaimValueType::Expression,
            "user.age >= 18",
            &[],
        ),
        claim(
            "tags",
            ClaimType::Identity,
            ClaimValueType::Expression,
            "user.profile.tags",
            &[],
        ),
    ];
    let id = assemble(&claims, Token::Id { thin: false }, &s, &ctx, true).unwrap();
    assert_eq!(id.claims.get("age"), Some(&json!(33)));
    assert_eq!(id.claims.get("adult"), Some(&json!(true)));
    assert_eq!(id.claims.get("tags"), Some(&json!(["a", "b"])));
}

#[test]
fn why_empty_names_a_few_groups_per_reason_and_counts_the_rest() {
    let many: Vec<String> = (0..1000).map(|i| format!("00gnotamember{i:04}")).collect();
    let cases: [(Value, &[&str], &[&str]); 2] = [
        (
            json!(["00gnotamember"]),
            &[
                "Claim 'groups' was left out because its value is empty.",
                "00gnotamember is allow-listed but the user is not a member",
                "Engineering (00gengineering), Everyone (00geveryone), West AD (00gappgroup) and 1 more are not in the allow-list",
            ],
            &["more are allow-listed"],
        ),
        (
            json!(many),
            &[
                "00gnotamember0000, 00gnotamember0001, 00gnotamember0002 and 997 more are allow-listed but the user is not a member",
            ],
            &["00gnotamember0003"],
        ),
    ];
    for (whitelist, has, lacks) in cases {
        let f = fixture(whitelist);
        let s = subject(&f);
        let ctx = context(&s);
        let why = why_empty(
            "groups",
            ClaimValueType::Expression,
            SEED,
            None,
            &ctx,
            &f.groups,
        );
        for part in has {
            assert!(why.contains(part), "{why:?} lacks {part:?}");
        }
        for part in lacks {
            assert!(!why.contains(part), "{why:?} has {part:?}");
        }
        assert!(why.len() < 600, "{} bytes: {why}", why.len());
    }
}

#[test]
fn a_group_filter_explains_each_group_kept_or_dropped() {
    let f = fixture(json!([]));
    let s = subject(&f);
    let ctx = context(&s);
    let starts_with_west = |explain| {
        let filter = Some(GroupFilterType::StartsWith);
        evaluate(
            "groups",
            ClaimValueType::Groups,
            "west",
            filter,
            &ctx,
            &f.groups,
            explain,
        )
    };
    let (value, trace) = starts_with_west(true).unwrap();
    assert_eq!(value, json!(["WestCoastDivision"]));
    let trace = trace.unwrap();
    let verdicts: Vec<(&str, &Value, &Value)> = trace["calls"][0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["name"].as_str().unwrap(), &g["kept"], &g["reason"]))
        .collect();
    let (kept, name, source) = (
        json!(true),
        json!("NAME_MISMATCH"),
        json!("SOURCE_MISMATCH"),
    );
    let (no, null) = (json!(false), Value::Null);
    assert_eq!(
        verdicts,
        [
            ("Everyone", &no, &name),
            ("WestCoastDivision", &kept, &null),
            ("Engineering", &no, &name),
            ("West AD", &no, &source),
        ]
    );
    let (_, quiet) = starts_with_west(false).unwrap();
    assert!(quiet.is_none(), "no explanation unless asked");
}

#[test]
fn a_note_says_whether_the_claim_is_included() {
    assert_eq!(note("groups", false, None).outcome, "included");
    let omitted = note("groups", true, Some(json!({"calls": []})));
    assert_eq!(
        (omitted.outcome.as_str(), omitted.groups),
        (
            "omitted: the value is null or empty",
            Some(json!({"calls": []}))
        )
    );
}
