//! `/api/v1/api-tokens`: metadata in Okta's shape, revoking one, revoking the current one.

use serde_json::json;

use super::{as_token, token_for};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(list_get_and_revoke_tokens);

async fn list_get_and_revoke_tokens(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let me = json(app.get("/api/v1/users/me"), 200).await;
    let me_id = me["id"].as_str().unwrap().to_owned();
    let list = json(app.get("/api/v1/api-tokens"), 200).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let t = &list[0];
    let id = t["id"].as_str().unwrap();
    assert!(id.starts_with("00T"), "{t}");
    assert_eq!(t["name"], "bootstrap");
    assert_eq!(t["userId"], me_id.as_str());
    assert_eq!(t["clientName"], "Okta API");
    assert_eq!(t["tokenWindow"], "P30D");
    assert_eq!(t["network"], json!({"connection": "ANYWHERE"}));
    assert!(t["created"].as_str().unwrap().ends_with('Z'));
    assert!(t["expiresAt"].as_str().unwrap() > t["created"].as_str().unwrap());
    assert_eq!(
        t["_links"],
        json!({
            "self": {"href": format!("{}/api/v1/api-tokens/{id}", app.base), "hints": {"allow": ["GET", "DELETE"]}},
            "user": {"href": format!("{}/api/v1/users/{me_id}", app.base), "hints": {"allow": ["GET"]}},
        })
    );
    assert!(t.get("token").is_none() && !t.to_string().contains(&app.token));
    assert_eq!(
        json(app.get(&format!("/api/v1/api-tokens/{id}")), 200).await,
        *t
    );
    assert_okta_error(
        &json(app.get("/api/v1/api-tokens/00Tnope"), 404).await,
        "E0000007",
    );

    // Revoking another token by id.
    let second = token_for(&app, &me_id).await;
    let second_app = as_token(&app, &second);
    json(second_app.get("/api/v1/org"), 200).await;
    let list = json(app.get("/api/v1/api-tokens"), 200).await;
    let second_id = list[1]["id"].as_str().unwrap().to_owned();
    let revoked = send(app.delete(&format!("/api/v1/api-tokens/{second_id}"))).await;
    assert_eq!(revoked.status(), 204);
    assert_okta_error(&json(second_app.get("/api/v1/org"), 401).await, "E0000011");
    assert_okta_error(
        &json(app.delete(&format!("/api/v1/api-tokens/{second_id}")), 404).await,
        "E0000007",
    );

    // Revoking the token of the call itself.
    let third_app = as_token(&app, &token_for(&app, &me_id).await);
    let revoked = send(third_app.delete("/api/v1/api-tokens/current")).await;
    assert_eq!(revoked.status(), 204);
    assert_okta_error(&json(third_app.get("/api/v1/org"), 401).await, "E0000011");
    // The bootstrap token still works.
    assert_eq!(
        json(app.get("/api/v1/api-tokens"), 200)
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let events = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22system.api_token.revoke%22"),
        200,
    )
    .await;
    assert_eq!(events.as_array().unwrap().len(), 2);
    app.finish().await;
}
