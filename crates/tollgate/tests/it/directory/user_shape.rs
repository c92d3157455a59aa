//! A user object as Okta shows it: the operations it links to in each status,
//! `credentials.emails`, the base properties Okta sends as `null`, and the unlock refusal.

use reqwest::Method;
use serde_json::{Value, json};

use super::user_body;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(user_links_and_credentials_follow_the_status);

/// The relations in `_links`, sorted.
fn rels(user: &Value) -> Vec<String> {
    let mut rels: Vec<String> = user["_links"]
        .as_object()
        .map(|links| links.keys().cloned().collect())
        .unwrap_or_default();
    rels.sort();
    rels
}

async fn user_links_and_credentials_follow_the_status(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let created = json(app.post("/api/v1/users", &user_body("shape@acme.com")), 200).await;
    let id = created["id"].as_str().unwrap();
    let user = format!("/api/v1/users/{id}");
    let active = json(app.get(&user), 200).await;
    assert_eq!(
        rels(&active),
        [
            "changePassword",
            "changeRecoveryQuestion",
            "deactivate",
            "expirePassword",
            "forgotPassword",
            "resetFactors",
            "resetPassword",
            "schema",
            "self",
            "suspend",
            "type"
        ]
    );
    let href = |rel: &str| active["_links"][rel]["href"].as_str().unwrap().to_owned();
    assert!(href("forgotPassword").ends_with(&format!("{user}/credentials/forgot_password")));
    assert!(href("resetFactors").ends_with(&format!("{user}/lifecycle/reset_factors")));
    assert_eq!(active["_links"]["changePassword"]["method"], "POST");
    assert_eq!(
        active["credentials"]["emails"],
        json!([{"value": "shape@acme.com", "status": "VERIFIED", "type": "PRIMARY"}])
    );
    assert_eq!(active["credentials"]["provider"]["type"], "OKTA");
    assert!(active["profile"]["mobilePhone"].is_null());
    assert!(active["profile"]["secondEmail"].is_null());
    assert!(
        active["profile"]
            .as_object()
            .unwrap()
            .contains_key("secondEmail")
    );

    // A client that sends back what it read (nulls included) replaces the profile unchanged.
    let mut profile = active["profile"].clone();
    profile["nickName"] = json!("Shape");
    let replaced = json(app.put(&user, &json!({ "profile": profile })), 200).await;
    assert_eq!(replaced["profile"]["nickName"], "Shape");
    assert!(replaced["profile"]["mobilePhone"].is_null());

    let life = |op: &str| app.req(Method::POST, &format!("{user}/lifecycle/{op}"));
    let refused = json(life("unlock"), 403).await;
    assert_eq!(
        assert_okta_error(&refused, "E0000032"),
        "Unlock is not allowed for this user."
    );
    assert_eq!(
        refused["errorCauses"],
        json!([{"errorSummary": "The user is not locked out."}])
    );

    json(life("suspend"), 200).await;
    let suspended = json(app.get(&user), 200).await;
    assert_eq!(
        rels(&suspended),
        [
            "deactivate",
            "resetFactors",
            "schema",
            "self",
            "type",
            "unsuspend"
        ]
    );

    let staged = json(
        app.post(
            "/api/v1/users?activate=false",
            &json!({"profile": {"firstName": "S", "lastName": "T", "email": "st@acme.com", "login": "st@acme.com"}}),
        ),
        200,
    )
    .await;
    assert_eq!(
        rels(&staged),
        ["activate", "resetFactors", "schema", "self", "type"]
    );
    let listed = json(app.get("/api/v1/users?limit=5"), 200).await;
    for u in listed.as_array().unwrap() {
        assert_eq!(rels(u), ["self"], "a listed user links only to itself");
    }
    app.finish().await;
}
