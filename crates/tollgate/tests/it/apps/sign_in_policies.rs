//! The org's default sign-in policies (`/api/v1/policies`), assigning an app's sign-in policy
//! (`PUT /api/v1/apps/{appId}/policies/{policyId}`), and the `_links` Okta's 2025 app responses
//! carry for them.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use super::create_app;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    default_policies_are_listed_and_stable,
    policy_list_errors_and_refinements,
    app_links_match_okta,
    assigning_an_app_policy,
);

/// The one policy listed for `kind`.
async fn only_policy(app: &TestApp, kind: &str) -> Value {
    let list = json(app.get(&format!("/api/v1/policies?type={kind}")), 200).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    list[0].clone()
}

async fn default_policies_are_listed_and_stable(b: Backend) {
    let Some(mut app) = TestApp::start(b).await else {
        return;
    };
    let access = only_policy(&app, "ACCESS_POLICY").await;
    let enrollment = only_policy(&app, "PROFILE_ENROLLMENT").await;
    for (p, kind) in [
        (&access, "ACCESS_POLICY"),
        (&enrollment, "PROFILE_ENROLLMENT"),
    ] {
        let id = p["id"].as_str().unwrap();
        assert!(id.starts_with("rst") && id.len() == 20, "{p}");
        assert_eq!(p["type"], kind);
        assert_eq!(p["name"], "Default Policy");
        assert_eq!(p["system"], true);
        assert_eq!(p["status"], "ACTIVE");
        assert_eq!(p["priority"], 1);
        assert!(p["conditions"].is_null() && p["created"].is_string(), "{p}");
        let href = format!("{}/api/v1/policies/{id}", app.base);
        assert_eq!(p["_links"]["self"]["href"], href.as_str());
        assert!(p["_links"].get("rules").is_none());
        assert_eq!(
            &json(app.get(&format!("/api/v1/policies/{id}")), 200).await,
            p
        );
    }
    assert_eq!(access["_embedded"]["resourceType"], "APP");
    assert_ne!(access["id"], enrollment["id"]);
    app.restart().await;
    assert_eq!(only_policy(&app, "ACCESS_POLICY").await["id"], access["id"]);
    assert_eq!(
        only_policy(&app, "PROFILE_ENROLLMENT").await["id"],
        enrollment["id"]
    );
    app.finish().await;
}

async fn policy_list_errors_and_refinements(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for query in ["", "?type=", "?type=NOPE"] {
        let err = json(app.get(&format!("/api/v1/policies{query}")), 400).await;
        assert_eq!(
            assert_okta_error(&err, "E0000001"),
            "Api validation failed: type"
        );
    }
    for query in [
        "type=OKTA_SIGN_ON",
        "type=ACCESS_POLICY&status=INACTIVE",
        "type=ACCESS_POLICY&q=Other",
    ] {
        let list = json(app.get(&format!("/api/v1/policies?{query}")), 200).await;
        assert_eq!(list, json!([]), "{query}");
    }
    let q = json(
        app.get("/api/v1/policies?type=ACCESS_POLICY&q=Default&status=ACTIVE"),
        200,
    )
    .await;
    assert_eq!(q.as_array().unwrap().len(), 1);
    let missing = json(app.get("/api/v1/policies/rstMISSINGMISSINGMI"), 404).await;
    assert_eq!(
        assert_okta_error(&missing, "E0000007"),
        "Not found: Resource not found: rstMISSINGMISSINGMI (Policy)"
    );
    let anon = send(app.anon(Method::GET, "/api/v1/policies?type=ACCESS_POLICY")).await;
    assert_eq!(anon.status().as_u16(), 403);
    app.finish().await;
}

fn link_names(app_json: &Value) -> BTreeSet<String> {
    app_json["_links"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

async fn app_links_match_okta(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let access = only_policy(&app, "ACCESS_POLICY").await["id"].clone();
    let enrollment = only_policy(&app, "PROFILE_ENROLLMENT").await["id"].clone();
    // The link set of Okta's 2025 responses for an active bookmark app; an OIDC app has
    // `clientCredentials` besides.
    let okta = [
        "uploadLogo",
        "appLinks",
        "profileEnrollment",
        "policies",
        "groups",
        "logo",
        "accessPolicy",
        "users",
        "deactivate",
    ];
    let bookmark = json!({"name": "bookmark", "label": "Bookmark", "signOnMode": "BOOKMARK",
        "settings": {"app": {"requestIntegration": false, "url": "https://example.com/b.htm"}}});
    let created = json(app.post("/api/v1/apps", &bookmark), 200).await;
    let oidc = create_app(&app, "Links").await;
    let mut okta_oidc = names(&okta);
    okta_oidc.insert("clientCredentials".to_owned());
    for (made, expected) in [(&created, names(&okta)), (&oidc, okta_oidc)] {
        let id = made["id"].as_str().unwrap();
        let got = json(app.get(&format!("/api/v1/apps/{id}")), 200).await;
        for body in [made, &got] {
            assert_eq!(link_names(body), expected, "{body}");
            let links = &body["_links"];
            let policy =
                |id: &Value| format!("{}/api/v1/policies/{}", app.base, id.as_str().unwrap());
            assert_eq!(links["accessPolicy"]["href"], policy(&access));
            assert_eq!(links["profileEnrollment"]["href"], policy(&enrollment));
            let href = format!("{}/api/v1/apps/{id}/policies", app.base);
            assert_eq!(
                links["policies"],
                json!({"href": href, "hints": {"allow": ["PUT"]}})
            );
        }
    }
    app.finish().await;
}

async fn assigning_an_app_policy(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let access = only_policy(&app, "ACCESS_POLICY").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let enrollment = only_policy(&app, "PROFILE_ENROLLMENT").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = create_app(&app, "Assigned").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let put = |app_id: &str, policy: &str| {
        app.req(
            Method::PUT,
            &format!("/api/v1/apps/{app_id}/policies/{policy}"),
        )
    };
    for _ in 0..2 {
        let resp = send(put(&id, &access)).await;
        assert_eq!(resp.status().as_u16(), 204);
        assert_eq!(resp.text().await.unwrap(), "");
    }
    let got = json(app.get(&format!("/api/v1/apps/{id}")), 200).await;
    let want = format!("{}/api/v1/policies/{access}", app.base);
    assert_eq!(got["_links"]["accessPolicy"]["href"], want.as_str());

    let err = json(put(&id, &enrollment), 400).await;
    assert_eq!(
        assert_okta_error(&err, "E0000001"),
        "Api validation failed: policyId"
    );
    let err = json(put(&id, "rstMISSINGMISSINGMI"), 404).await;
    assert!(assert_okta_error(&err, "E0000007").ends_with("(Policy)"));
    let err = json(put("0oaMISSINGMISSINGMIS", &access), 404).await;
    assert!(assert_okta_error(&err, "E0000007").ends_with("(AppInstance)"));

    let events = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22application.lifecycle.update%22"),
        200,
    )
    .await;
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["target"][0]["id"], id.as_str());
    app.finish().await;
}
