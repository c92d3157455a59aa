//! An app admin narrowed to a catalog app acts on the apps of that kind only, whatever kind
//! it is (bookmarks, password-based, SAML), and an instance target names the instance's own
//! catalog app.

use reqwest::Method;
use serde_json::{Value, json};

use super::{as_token, assign, token_for, user};
use crate::apps::create_app;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(app_admin_of_bookmarks_acts_on_bookmarks_only);

const APP_ADMIN: &str = "IFIFAX2BIRGUSTQ";

async fn bookmark(app: &TestApp, label: &str) -> Value {
    let body = json!({
        "name": "bookmark", "label": label, "signOnMode": "BOOKMARK",
        "settings": {"app": {"url": "https://wiki.example.com/"}}
    });
    json(app.post("/api/v1/apps", &body), 200).await
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_owned()
}

async fn app_admin_of_bookmarks_acts_on_bookmarks_only(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (wiki, client) = (
        id(&bookmark(&app, "Wiki").await),
        id(&create_app(&app, "Portal").await),
    );
    let admin = user(&app, "apps@acme.com").await;
    assign(&app, "users", &admin, "APP_ADMIN").await;
    let targets = format!("/api/v1/users/{admin}/roles/{APP_ADMIN}/targets/catalog/apps");
    let put = send(app.req(Method::PUT, &format!("{targets}/bookmark"))).await;
    assert_eq!(put.status(), 204);
    // An instance target must name the instance's own catalog app.
    let mismatched = json(
        app.req(Method::PUT, &format!("{targets}/bookmark/{client}")),
        404,
    )
    .await;
    assert_okta_error(&mismatched, "E0000007");
    let instance = send(app.req(Method::PUT, &format!("{targets}/bookmark/{wiki}"))).await;
    assert_eq!(instance.status(), 204);

    let as_admin = as_token(&app, &token_for(&app, &admin).await);
    let deactivate = |app_id: &str| format!("/api/v1/apps/{app_id}/lifecycle/deactivate");
    json(as_admin.post(&deactivate(&wiki), &json!({})), 200).await;
    let refused = json(as_admin.post(&deactivate(&client), &json!({})), 403).await;
    assert_okta_error(&refused, "E0000006");
    let read = json(app.get(&format!("/api/v1/apps/{wiki}")), 200).await;
    assert_eq!(read["status"], "INACTIVE");
    let untouched = json(app.get(&format!("/api/v1/apps/{client}")), 200).await;
    assert_eq!(untouched["status"], "ACTIVE");
    app.finish().await;
}
