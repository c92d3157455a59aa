//! A server's Claims and Access Policies tabs: what is typed is what the API reads back, and
//! the API's refusals come back next to their fields.

use serde_json::Value;

use super::access::with_admin;
use super::authz::{BASE, add_server};
use super::{Browser, location};
use crate::backend_tests;
use crate::oauth::last_event;
use crate::support::{Backend, TestApp, json};

backend_tests!(
    claims_are_added_edited_and_deleted_with_the_api_s_checks,
    policies_and_rules_are_added_and_deleted_through_the_api,
);

/// The server's claims named `name`, as the API reads them.
async fn claims_named(app: &TestApp, id: &str, name: &str) -> Vec<Value> {
    let all = json(
        app.get(&format!("/api/v1/authorizationServers/{id}/claims")),
        200,
    )
    .await;
    all.as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == name)
        .cloned()
        .collect()
}

async fn claims_are_added_edited_and_deleted_with_the_api_s_checks(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let id = add_server(&app, &browser, "Orders").await;
    let list = format!("{BASE}/{id}/claims");
    let new = format!("{list}/new");
    let html = browser.get(&new).await.text().await.unwrap();
    for label in [
        "Name",
        "Include in token type",
        "Value type",
        "Filter",
        "Value",
        "Scopes",
    ] {
        assert!(
            html.contains(&format!("\">{label}</label>")),
            "{label}: {html}"
        );
    }
    assert!(html.contains("<legend>Include in</legend>"));
    let groups = [
        ("name", "groups"),
        ("claimType", "IDENTITY"),
        ("always", "true"),
        ("valueType", "GROUPS"),
        ("filterType", "REGEX"),
        ("value", ".*"),
        ("include", "any"),
        ("scopes", ""),
    ];
    let added = browser.submit(&new, &list, &groups).await;
    assert_eq!(added.status(), 303);
    let claim = claims_named(&app, &id, "groups").await.remove(0);
    assert_eq!(claim["claimType"], "IDENTITY");
    assert_eq!(claim["valueType"], "GROUPS");
    assert_eq!(claim["group_filter_type"], "REGEX");
    assert_eq!(claim["value"], ".*");
    assert_eq!(claim["alwaysIncludeInToken"], true);
    assert_eq!(claim["conditions"]["scopes"], serde_json::json!([]));

    let bad = [
        ("name", "dept"),
        ("claimType", "RESOURCE"),
        ("always", "true"),
        ("valueType", "EXPRESSION"),
        ("filterType", "REGEX"),
        ("value", "user.profile.department +"),
        ("include", "some"),
        ("scopes", "openid"),
    ];
    let refused = browser.submit(&new, &list, &bad).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"f-value-error\""), "{html}");
    assert!(
        html.contains("aria-describedby=\"f-value-error\""),
        "{html}"
    );
    assert!(
        html.contains("user.profile.department +</textarea>"),
        "{html}"
    );
    assert!(claims_named(&app, &id, "dept").await.is_empty());

    let claim_id = claim["id"].as_str().unwrap();
    let edit = format!("{list}/{claim_id}");
    let html = browser.get(&edit).await.text().await.unwrap();
    assert!(
        html.contains("<option value=\"REGEX\" selected>Matches regex</option>"),
        "{html}"
    );
    let edited = [
        ("name", "groups"),
        ("claimType", "IDENTITY"),
        ("always", "false"),
        ("valueType", "GROUPS"),
        ("filterType", "STARTS_WITH"),
        ("value", "West"),
        ("include", "some"),
        ("scopes", "groups"),
    ];
    assert_eq!(browser.submit(&edit, &edit, &edited).await.status(), 303);
    let claim = claims_named(&app, &id, "groups").await.remove(0);
    assert_eq!(claim["group_filter_type"], "STARTS_WITH");
    assert_eq!(claim["alwaysIncludeInToken"], false);
    assert_eq!(claim["conditions"]["scopes"], serde_json::json!(["groups"]));
    let unknown = [("scopes", "nope"), ("include", "some")];
    let mut typed: Vec<(&str, &str)> = edited.to_vec();
    typed.retain(|(k, _)| !["scopes", "include"].contains(k));
    typed.extend_from_slice(&unknown);
    let refused = browser.submit(&edit, &edit, &typed).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("id=\"f-scopes-error\"")
    );

    let deleted = browser.submit(&list, &format!("{edit}/delete"), &[]).await;
    assert_eq!(location(&deleted), list);
    assert!(claims_named(&app, &id, "groups").await.is_empty());
    let event = last_event(&app, "oauth2.claim.deleted").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    app.finish().await;
}

async fn policies_and_rules_are_added_and_deleted_through_the_api(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let id = add_server(&app, &browser, "Orders").await;
    let list = format!("{BASE}/{id}/policies");
    let fields = [
        ("name", "Web"),
        ("description", "The web app"),
        ("assign", "some"),
        ("clients", s.client_id.as_str()),
    ];
    let added = browser.submit(&format!("{list}/new"), &list, &fields).await;
    assert_eq!(added.status(), 303);
    let policies = json(
        app.get(&format!("/api/v1/authorizationServers/{id}/policies")),
        200,
    )
    .await;
    let policy = &policies[0];
    assert_eq!(
        policy["conditions"]["clients"]["include"],
        serde_json::json!([s.client_id])
    );
    let policy_id = policy["id"].as_str().unwrap();
    let unknown = [
        ("name", "X"),
        ("description", "X"),
        ("assign", "some"),
        ("clients", "nope"),
    ];
    let refused = browser
        .submit(&format!("{list}/new"), &list, &unknown)
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("id=\"f-clients-error\"")
    );

    let rules = format!("{list}/{policy_id}/rules");
    let new_rule = format!("{rules}/new");
    let html = browser.get(&new_rule).await.text().await.unwrap();
    assert!(
        html.contains(">Client Credentials</label>") && html.contains(">Rule Name</label>"),
        "{html}"
    );
    let rule = [
        ("name", "Everyone"),
        ("grant_client_credentials", "on"),
        ("grant_authorization_code", "on"),
        ("people", "any"),
        ("scopeMode", "some"),
        ("scopes", "openid groups"),
        ("accessMinutes", "30"),
        ("refreshMinutes", "0"),
        ("windowMinutes", "10080"),
    ];
    assert_eq!(browser.submit(&new_rule, &rules, &rule).await.status(), 303);
    let stored = json(
        app.get(&format!(
            "/api/v1/authorizationServers/{id}/policies/{policy_id}/rules"
        )),
        200,
    )
    .await;
    let r = &stored[0];
    assert_eq!(
        r["conditions"]["grantTypes"]["include"],
        serde_json::json!(["client_credentials", "authorization_code"])
    );
    assert_eq!(
        r["conditions"]["scopes"]["include"],
        serde_json::json!(["openid", "groups"])
    );
    assert_eq!(
        r["conditions"]["people"]["groups"]["include"],
        serde_json::json!(["EVERYONE"])
    );
    assert_eq!(r["actions"]["token"]["accessTokenLifetimeMinutes"], 30);
    let short = [
        ("name", "Short"),
        ("grant_password", "on"),
        ("people", "any"),
        ("scopeMode", "any"),
        ("accessMinutes", "1"),
        ("refreshMinutes", "0"),
        ("windowMinutes", "10080"),
    ];
    let refused = browser.submit(&new_rule, &rules, &short).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("id=\"f-accessMinutes-error\"")
    );
    let html = browser.get(&list).await.text().await.unwrap();
    assert!(
        html.contains(">Everyone</td>") && html.contains(">Delete rule Everyone</button>"),
        "{html}"
    );

    let rule_id = r["id"].as_str().unwrap();
    let deleted = browser
        .submit(&list, &format!("{rules}/{rule_id}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), 303);
    let stored = json(
        app.get(&format!(
            "/api/v1/authorizationServers/{id}/policies/{policy_id}/rules"
        )),
        200,
    )
    .await;
    assert_eq!(stored.as_array().unwrap().len(), 0);
    let deleted = browser
        .submit(&list, &format!("{list}/{policy_id}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), 303);
    let policies = json(
        app.get(&format!("/api/v1/authorizationServers/{id}/policies")),
        200,
    )
    .await;
    assert_eq!(policies.as_array().unwrap().len(), 0);
    let event = last_event(&app, "policy.lifecycle.delete").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    app.finish().await;
}
