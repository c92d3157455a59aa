//! Edit Scope, Edit Policy and Edit Rule: what is saved is what the API reads back and what
//! the token endpoint honours; the API's refusals come back next to their fields; a system
//! scope keeps its name; a read-only admin and a post without the page's CSRF token change
//! nothing.

use reqwest::Method;
use serde_json::{Value, json};

use super::access::with_admin;
use super::authz::BASE;
use super::{Browser, assert_all_events_by, log_mark};
use crate::backend_tests;
use crate::oauth::{custom_server, service_app};
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    edits_change_what_the_api_reads_and_tokens_honour,
    refusals_show_next_to_their_fields,
    a_read_only_admin_and_a_forged_post_change_nothing,
);

/// A server with a policy, its rule (client credentials, 30 minutes) and a scope `api.read`,
/// and a service app: the server id, the API's path of it, and the app.
async fn setup(app: &TestApp) -> (String, String, Value) {
    with_admin(app).await;
    let sid = custom_server(app, &["client_credentials"], false).await;
    let api = format!("/api/v1/authorizationServers/{sid}");
    let scope =
        json!({"name": "api.read", "description": "Read", "metadataPublish": "ALL_CLIENTS"});
    json(app.post(&format!("{api}/scopes"), &scope), 201).await;
    (sid, api, service_app(app).await)
}

/// The first item of the API's list at `path`, and its id.
async fn first(app: &TestApp, path: &str) -> (Value, String) {
    let all = json(app.get(path), 200).await;
    let item = all[0].clone();
    let id = item["id"].as_str().unwrap().to_owned();
    (item, id)
}

/// The scope named `name` of the server at `api`, and its id.
async fn scope(app: &TestApp, api: &str, name: &str) -> (Value, String) {
    first(app, &format!("{api}/scopes?q={name}")).await
}

/// A client-credentials token request of `service`, with `scope` when given.
async fn token(app: &TestApp, sid: &str, service: &Value, scope: Option<&str>) -> Value {
    let oauth = &service["credentials"]["oauthClient"];
    let mut form = vec![("grant_type", "client_credentials")];
    form.extend(scope.map(|s| ("scope", s)));
    let resp = app
        .anon(Method::POST, &format!("/oauth2/{sid}/v1/token"))
        .basic_auth(
            oauth["client_id"].as_str().unwrap(),
            oauth["client_secret"].as_str(),
        )
        .form(&form);
    send(resp).await.json().await.unwrap()
}

const RULE: [(&str, &str); 6] = [
    ("name", "Everyone"),
    ("grant_client_credentials", "on"),
    ("people", "any"),
    ("scopeMode", "any"),
    ("refreshMinutes", "0"),
    ("windowMinutes", "10080"),
];

async fn edits_change_what_the_api_reads_and_tokens_honour(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (sid, api, service) = setup(&app).await;
    let mark = log_mark(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let none = token(&app, &sid, &service, None).await;
    assert_eq!(none["error"], "invalid_scope", "{none}");

    let (_, scope_id) = scope(&app, &api, "api.read").await;
    let tab = format!("{BASE}/{sid}/scopes");
    let list = browser.get(&tab).await.text().await.unwrap();
    assert!(
        list.contains("aria-label=\"Edit api.read\">Edit</a>"),
        "{list}"
    );
    let page = format!("{tab}/{scope_id}");
    let form = browser.get(&page).await.text().await.unwrap();
    for label in [
        "Display phrase",
        "Description",
        "Set as a default scope",
        "Include in public metadata",
    ] {
        assert!(
            form.contains(&format!("{label}</label>")),
            "{label}: {form}"
        );
    }
    assert!(form.contains("<legend>User consent</legend>"), "{form}");
    let fields = [
        ("name", "api.read"),
        ("displayName", "Read your orders"),
        ("description", "Reads orders"),
        ("consent", "REQUIRED"),
        ("default", "on"),
    ];
    assert_eq!(browser.submit(&page, &page, &fields).await.status(), 303);
    let (read, _) = scope(&app, &api, "api.read").await;
    assert_eq!(read["displayName"], "Read your orders");
    assert_eq!(read["description"], "Reads orders");
    assert_eq!(read["consent"], "REQUIRED");
    assert_eq!(read["default"], true);
    assert_eq!(read["metadataPublish"], "NO_CLIENTS");
    let tokens = token(&app, &sid, &service, None).await;
    assert_eq!(
        tokens["scope"], "api.read",
        "the default scope is granted: {tokens}"
    );
    assert_eq!(tokens["expires_in"], 1800);

    let (policy, policy_id) = first(&app, &format!("{api}/policies")).await;
    assert_eq!(policy["name"], "All");
    let policies = format!("{BASE}/{sid}/policies");
    let tab = browser.get(&policies).await.text().await.unwrap();
    assert!(
        tab.contains("aria-label=\"Edit policy All\">Edit</a>"),
        "{tab}"
    );
    assert!(
        tab.contains("aria-label=\"Edit rule Everyone\">Edit</a>"),
        "{tab}"
    );
    let rules = format!("{api}/policies/{policy_id}/rules");
    let (_, rule_id) = first(&app, &rules).await;
    let page = format!("{policies}/{policy_id}/rules/{rule_id}");
    let form = browser.get(&page).await.text().await.unwrap();
    assert!(
        form.contains("<h2>Edit Rule</h2>") && form.contains("value=\"30\""),
        "{form}"
    );
    let mut fields = RULE.to_vec();
    fields.push(("accessMinutes", "15"));
    assert_eq!(browser.submit(&page, &page, &fields).await.status(), 303);
    let (rule, _) = first(&app, &rules).await;
    assert_eq!(rule["actions"]["token"]["accessTokenLifetimeMinutes"], 15);
    assert_eq!(rule["priority"], 1);
    let tokens = token(&app, &sid, &service, Some("api.read")).await;
    assert_eq!(tokens["expires_in"], 900, "{tokens}");

    let page = format!("{policies}/{policy_id}");
    let client_id = service["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap();
    let fields = [
        ("name", "Service only"),
        ("description", "Just the service"),
        ("assign", "some"),
        ("clients", client_id),
    ];
    assert_eq!(browser.submit(&page, &page, &fields).await.status(), 303);
    let (read, _) = first(&app, &format!("{api}/policies")).await;
    assert_eq!(read["name"], "Service only");
    assert_eq!(read["description"], "Just the service");
    assert_eq!(read["conditions"]["clients"]["include"], json!([client_id]));
    let tokens = token(&app, &sid, &service, Some("api.read")).await;
    assert_eq!(
        tokens["expires_in"], 900,
        "the policy still applies: {tokens}"
    );
    let types = assert_all_events_by(&app, &mark, "ada@acme.com").await;
    for kind in [
        "oauth2.scope.updated",
        "policy.lifecycle.update",
        "policy.rule.update",
    ] {
        assert!(types.iter().any(|t| t == kind), "{kind} in {types:?}");
    }
    app.finish().await;
}

/// Posts `fields` to the edit page `page`; the refusal's page, after checking it is a 422.
async fn refused(browser: &Browser, page: &str, fields: &[(&str, &str)]) -> String {
    let resp = browser.submit(page, page, fields).await;
    assert_eq!(resp.status(), 422, "{fields:?}");
    resp.text().await.unwrap()
}

async fn refusals_show_next_to_their_fields(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (sid, api, _) = setup(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let (_, scope_id) = scope(&app, &api, "api.read").await;
    let page = format!("{BASE}/{sid}/scopes/{scope_id}");
    let html = refused(
        &browser,
        &page,
        &[("name", "okta.orders"), ("consent", "IMPLICIT")],
    )
    .await;
    assert!(
        html.contains("id=\"f-name-error\">This scope name is reserved</p>"),
        "{html}"
    );

    let (_, openid) = scope(&app, &api, "openid").await;
    let page = format!("{BASE}/{sid}/scopes/{openid}");
    let form = browser.get(&page).await.text().await.unwrap();
    assert!(form.contains("value=\"openid\" readonly"), "{form}");
    let renamed = browser
        .submit(&page, &page, &[("name", "oidc"), ("consent", "IMPLICIT")])
        .await;
    assert_eq!(renamed.status(), 403, "a system scope keeps its name");
    let (read, _) = scope(&app, &api, "openid").await;
    assert_eq!(read["name"], "openid");

    let (_, policy_id) = first(&app, &format!("{api}/policies")).await;
    let page = format!("{BASE}/{sid}/policies/{policy_id}");
    let fields = [
        ("name", "X"),
        ("description", "X"),
        ("assign", "some"),
        ("clients", "nope"),
    ];
    let html = refused(&browser, &page, &fields).await;
    assert!(html.contains("id=\"f-clients-error\""), "{html}");
    let (_, rule_id) = first(&app, &format!("{api}/policies/{policy_id}/rules")).await;
    let page = format!("{page}/rules/{rule_id}");
    let mut fields = RULE.to_vec();
    fields.push(("accessMinutes", "1"));
    let html = refused(&browser, &page, &fields).await;
    assert!(html.contains("id=\"f-accessMinutes-error\""), "{html}");
    assert!(html.contains("value=\"1\""), "what was typed stays");
    let (rule, _) = first(&app, &format!("{api}/policies/{policy_id}/rules")).await;
    assert_eq!(rule["actions"]["token"]["accessTokenLifetimeMinutes"], 30);
    app.finish().await;
}

/// What the API reads of the scope, the policy and the rule.
async fn snapshot(app: &TestApp, api: &str) -> Value {
    let policies = json(app.get(&format!("{api}/policies")), 200).await;
    let policy_id = policies[0]["id"].as_str().unwrap();
    let rules = json(app.get(&format!("{api}/policies/{policy_id}/rules")), 200).await;
    json!([
        json(app.get(&format!("{api}/scopes")), 200).await,
        policies,
        rules
    ])
}

async fn a_read_only_admin_and_a_forged_post_change_nothing(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (sid, api, _) = setup(&app).await;
    let before = snapshot(&app, &api).await;
    let (_, scope_id) = scope(&app, &api, "api.read").await;
    let (_, policy_id) = first(&app, &format!("{api}/policies")).await;
    let (_, rule_id) = first(&app, &format!("{api}/policies/{policy_id}/rules")).await;
    let policy = format!("{BASE}/{sid}/policies/{policy_id}");
    let pages = [
        (
            format!("{BASE}/{sid}/scopes/{scope_id}"),
            vec![("name", "api.write"), ("consent", "IMPLICIT")],
        ),
        (
            policy.clone(),
            vec![("name", "Y"), ("description", "Y"), ("assign", "all")],
        ),
        (
            format!("{policy}/rules/{rule_id}"),
            [RULE.to_vec(), vec![("accessMinutes", "5")]].concat(),
        ),
    ];
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let ro = Browser::signed_in(&app, "ro@acme.com").await;
    let ada = Browser::signed_in(&app, "ada@acme.com").await;
    for (page, fields) in &pages {
        let shown = ro.get(page).await;
        assert_eq!(shown.status(), 200, "{page}");
        let html = shown.text().await.unwrap();
        assert!(
            html.contains("class=\"primary\" disabled>Save</button>"),
            "{html}"
        );
        assert_eq!(ro.submit(page, page, fields).await.status(), 403, "{page}");
        assert_eq!(ada.get(page).await.status(), 200);
        let mut forged = vec![("csrf", "not-the-token-of-this-browser-000000")];
        forged.extend_from_slice(fields);
        assert_eq!(ada.post(page, &forged).await.status(), 403, "{page}");
        assert_eq!(
            ada.post(page, fields).await.status(),
            403,
            "no token: {page}"
        );
    }
    assert_eq!(snapshot(&app, &api).await, before);
    app.finish().await;
}
