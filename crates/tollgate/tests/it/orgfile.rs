//! Org as code: applying the seed scenario's org file creates it all, a second run changes
//! nothing, a bad file changes nothing and says where it is wrong, and an export applied to an
//! empty database gives the same org back.

mod imported;
mod recovery;

use serde_json::json;
use tollgate::orgfile::{self, Change, OrgFile};
use tollgate_core::Clock;
use tollgate_store::Store;
use tollgate_store::testing::Scratch;

use crate::backend_tests;
use crate::support::{Backend, TestApp, json};

const SEED: &str = include_str!("../../../../examples/seed-scenario.yaml");
const ANNIE: &str = "00u5t60iloOHN9pBi0h7";
const APP: &str = "0oabskvc6442nkvQO0h7";
const CUSTOM: &str = "ausain6z9zIedDCxB0h7";
const EXPR: &str = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;

pub(crate) async fn apply_text(store: &Store, text: &str) -> anyhow::Result<orgfile::Plan> {
    orgfile::apply_text(store, "org.yaml", text, false, "apply", Clock::System.now()).await
}

pub(crate) async fn scratch(b: Backend) -> Option<Scratch> {
    match b {
        Backend::Sqlite => Some(Scratch::sqlite().unwrap()),
        Backend::Postgres => Scratch::postgres().await.unwrap(),
    }
}

/// A store on a fresh database, bootstrapped as `tollgate apply` finds it.
pub(crate) async fn fresh_store(scratch: &Scratch) -> Store {
    let store = Store::connect(&scratch.url).await.unwrap();
    store.bootstrap(Clock::System.now(), None).await.unwrap();
    store
}

async fn apply_creates_everything_and_a_second_run_changes_nothing(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let store = app.open_store().await;
    let plan = apply_text(&store, SEED).await.unwrap();
    assert!(
        plan.steps.iter().all(|s| s.change != Change::Update),
        "{}",
        plan.render(true)
    );
    assert!(plan.counts().0 >= 18, "{}", plan.render(true));

    // The management API sees what the file declares, with the seed's ids.
    let got = json(app.get(&format!("/api/v1/apps/{APP}")), 200).await;
    assert_eq!(got["credentials"]["oauthClient"]["client_id"], APP);
    assert_eq!(
        got["profile"]["groupwhitelist"],
        json!(["00gbso71miOMjxHRW0h7"])
    );
    assert_eq!(
        got["settings"]["oauthClient"]["grant_types"],
        json!(["implicit", "authorization_code", "refresh_token"])
    );
    let group = json(app.get("/api/v1/groups/00gbso71miOMjxHRW0h7"), 200).await;
    assert_eq!(group["profile"]["name"], "WestCoastDivision");
    let members = json(app.get("/api/v1/groups/00gbso71miOMjxHRW0h7/users"), 200).await;
    assert_eq!(members[0]["id"], ANNIE);
    let setting = json(
        app.get(&format!(
            "/api/v1/internal/apps/{APP}/settings/oauth/idToken"
        )),
        200,
    )
    .await;
    assert_eq!(setting["value"], EXPR);
    let server = json(
        app.get(&format!("/api/v1/authorizationServers/{CUSTOM}")),
        200,
    )
    .await;
    assert_eq!(server["audiences"], json!([format!("api://{CUSTOM}")]));
    let claims = json(
        app.get(&format!("/api/v1/authorizationServers/{CUSTOM}/claims")),
        200,
    )
    .await;
    assert!(
        claims
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "groups"),
        "the custom server's groups claim is the guide's Step Three: {claims}"
    );
    // The password works, and the demo token is an admin token.
    let authn = json(
        app.anon(reqwest::Method::POST, "/api/v1/authn")
            .json(&json!({"username": "annie.jackson@acme.com", "password": "Tollgate-Demo-2026"})),
        200,
    )
    .await;
    assert_eq!(authn["status"], "SUCCESS");
    let org = app
        .anon(reqwest::Method::GET, "/api/v1/org")
        .header("Authorization", "SSWS ${api_token}")
        .send()
        .await
        .unwrap();
    assert_eq!(org.status(), 200);

    // The org server's app claim and the default server's claim give the whitelisted group.
    let preview = json(
        app.post(
            "/api/v1/authorizationServers/default/tokenPreview",
            &json!({"clientId": APP, "userId": ANNIE, "grantType": "implicit", "scopes": ["openid", "groups"]}),
        ),
        200,
    )
    .await;
    assert_eq!(preview["decision"]["result"], "ALLOW", "{preview}");
    assert_eq!(
        preview["idToken"]["claims"]["groups"],
        json!(["WestCoastDivision"])
    );

    // Every change is in the System Log, by the CLI.
    let logs = json(
        app.get("/api/v1/logs?filter=actor.id%20eq%20%22tollgate-cli%22&limit=1000"),
        200,
    )
    .await;
    let types: Vec<&str> = logs
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["eventType"].as_str())
        .collect();
    for t in [
        "user.lifecycle.create",
        "group.lifecycle.create",
        "group.user_membership.add",
        "application.lifecycle.create",
        "application.user_membership.add",
        "oauth2.as.created",
        "oauth2.claim.created",
        "policy.lifecycle.create",
        "policy.rule.add",
    ] {
        assert!(types.contains(&t), "no {t} event: {types:?}");
    }

    // Again: nothing to do, nothing logged.
    let again = apply_text(&store, SEED).await.unwrap();
    assert!(again.is_noop(), "{}", again.render(true));
    assert!(again.render(true).contains("nothing to change"));
    let logs_after = json(
        app.get("/api/v1/logs?filter=actor.id%20eq%20%22tollgate-cli%22&limit=1000"),
        200,
    )
    .await;
    assert_eq!(logs_after.as_array().unwrap().len(), types.len());

    // A change to one object updates only that object.
    let edited = SEED.replace("description: External staff", "description: Outside staff");
    let plan = apply_text(&store, &edited).await.unwrap();
    let changed: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| s.change != Change::Unchanged)
        .map(|s| s.what.as_str())
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].starts_with("group Contractors"), "{changed:?}");
    store.close().await;
    app.finish().await;
}

const BAD: &str = r#"
users:
  - login: carol@acme.com
    firstName: Carol
    lastName: C
  - login: Carol@acme.com
    firstName: Carol
    lastName: Again
groups:
  - name: Ops
    members: [nobody@acme.com]
authorizationServers:
  - id: default
    claims:
      - name: groups
        claimType: IDENTITY
        value: 'getFilteredGroups(app.profile.groupwhitelist, "group.name"'
"#;

async fn an_invalid_file_changes_nothing_and_says_where(b: Backend) {
    let Some(s) = scratch(b).await else {
        return;
    };
    let store = fresh_store(&s).await;
    let err = apply_text(&store, BAD).await.unwrap_err().to_string();
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(
        err.contains("org.yaml:6: users[1].login: the login"),
        "{err}"
    );
    assert!(err.contains("org.yaml:11: groups[0].members[0]"), "{err}");
    assert!(
        err.contains("org.yaml:17: authorizationServers[0].claims[0].value"),
        "the expression is checked as the API checks it: {err}"
    );
    assert!(store.find_user("carol@acme.com").await.unwrap().is_none());
    let (groups, _) = store
        .list_groups(&tollgate_store::GroupQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(groups.len(), 1, "only Everyone: {groups:?}");

    // Unknown keys are refused by the parser, with the line.
    let typo = "users:\n  - login: carol@acme.com\n    firstName: Carol\n    lastName: C\n    pasword: x\n";
    let err = orgfile::parse("org.yaml", typo).unwrap_err().to_string();
    assert!(
        err.contains("org.yaml:5: users[0]: unknown field `pasword`"),
        "{err}"
    );
    store.close().await;
    s.cleanup().await;
}

/// Policy and rule ids of the built-in `default` server differ between databases (each
/// database made its own Default Policy), so they are left out of the comparison.
fn comparable(mut org: OrgFile) -> OrgFile {
    for s in &mut org.authorization_servers {
        if s.id.as_deref() == Some("default") {
            for p in &mut s.policies {
                p.id = None;
                for r in &mut p.rules {
                    r.id = None;
                }
            }
        }
    }
    org
}

async fn export_then_apply_reproduces_the_org(b: Backend) {
    let (Some(a), Some(c)) = (scratch(b).await, scratch(b).await) else {
        return;
    };
    let source = fresh_store(&a).await;
    apply_text(&source, SEED).await.unwrap();
    // A rule with exclusions, so they take the round trip too.
    apply_text(
        &source,
        "authorizationServers:
  - id: ausain6z9zIedDCxB0h7
    name: Seed Scenario
    policies:
      - name: Seed Scenario Policy
        description: Every client of the org
        clients: [ALL_CLIENTS]
        rules:
          - name: Everyone but contractors
            grantTypes: [client_credentials]
            scopes: ['*']
            groups: [EVERYONE]
            excludeUsers: [bob.lee@acme.com]
            excludeGroups: [Contractors]
",
    )
    .await
    .unwrap();
    let exported = orgfile::export::export(&source).await.unwrap();
    let text = orgfile::to_yaml(&exported).unwrap();
    assert!(
        text.contains("excludeUsers:") && text.contains("excludeGroups:"),
        "{text}"
    );
    let text = format!(
        "{}{}",
        orgfile::export::HEADER,
        orgfile::to_yaml(&exported).unwrap()
    );
    assert!(text.contains("client_secret_digest"), "{text}");
    assert!(text.contains("passwordHash: $argon2id$"), "{text}");

    let target = fresh_store(&c).await;
    let plan = apply_text(&target, &text).await.unwrap();
    assert!(plan.counts().0 > 0);
    let again = orgfile::export::export(&target).await.unwrap();
    assert_eq!(comparable(again), comparable(exported));
    // Passwords and client secrets survive as their hashes.
    let annie = target.find_user(ANNIE).await.unwrap().unwrap();
    assert!(tollgate_core::password::verify(
        &tollgate_core::secret::Secret::new("Tollgate-Demo-2026"),
        annie.password_hash.as_deref().unwrap()
    ));
    let client = target.find_app(APP).await.unwrap().unwrap();
    assert!(
        client
            .credentials
            .verify_secret("demo-client-secret-0oabskvc6442nkvQO0h7")
    );
    // And the export is itself idempotent.
    assert!(apply_text(&target, &text).await.unwrap().is_noop());
    source.close().await;
    target.close().await;
    a.cleanup().await;
    c.cleanup().await;
}

backend_tests!(
    apply_creates_everything_and_a_second_run_changes_nothing,
    an_invalid_file_changes_nothing_and_says_where,
    export_then_apply_reproduces_the_org,
);

/// The commands as a user runs them: a missing database is refused unless `--create`, `apply
/// --dry-run` writes nothing, `apply` twice, `export`,
/// and a bad file's exit status and message.
#[test]
fn apply_and_export_commands() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed.yaml");
    std::fs::write(&file, SEED).unwrap();
    let db = format!("sqlite://{}", dir.path().join("org.db").display());
    let run = |args: &[&str]| {
        let out = crate::process::binary()
            .args(args)
            .env("TOLLGATE_MASTER_KEY", "ab".repeat(32))
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let path = file.to_str().unwrap();
    // A database that is not there is never created by a dry run, nor by `apply` unless asked.
    for args in [vec!["--dry-run"], vec![]] {
        let (ok, _, err) = run(&[&["apply", path, "--database-url", &db][..], &args].concat());
        assert!(!ok && err.contains("org.db does not exist"), "{err}");
        assert!(!dir.path().join("org.db").exists());
    }
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "groups: []\n").unwrap();
    let empty = empty.to_str().unwrap();
    let (ok, _, err) = run(&["apply", empty, "--create", "--database-url", &db]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["apply", path, "--dry-run", "--database-url", &db]);
    assert!(ok, "{err}");
    assert!(
        out.contains("+ would create user annie.jackson@acme.com"),
        "{out}"
    );
    assert!(out.contains("dry run: nothing written"), "{out}");
    let (ok, out, err) = run(&["export", "--database-url", &db]);
    assert!(ok, "{err}");
    assert!(!out.contains("annie"), "the dry run wrote nothing: {out}");

    let (ok, out, err) = run(&["apply", path, "--database-url", &db]);
    assert!(ok, "{err}");
    assert!(out.contains("+ created app Sample Client"), "{out}");
    let (ok, out, _) = run(&["apply", path, "--database-url", &db]);
    assert!(ok && out.contains("nothing to change"), "{out}");

    let exported = dir.path().join("export.yaml");
    let (ok, _, err) = run(&[
        "export",
        "-o",
        exported.to_str().unwrap(),
        "--database-url",
        &db,
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.starts_with("# Tollgate org file"), "{text}");
    assert!(text.contains("id: 00gbso71miOMjxHRW0h7"), "{text}");

    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "groups:\n  - name: Ops\n    colour: blue\n").unwrap();
    let (ok, _, err) = run(&["apply", bad.to_str().unwrap(), "--database-url", &db]);
    assert!(!ok);
    assert!(
        err.contains("bad.yaml:3: groups[0]: unknown field `colour`"),
        "{err}"
    );
}
