//! Admin roles: assignments and targets in Okta's shapes, their enforcement on every call made
//! with an admin's token, the org's first admin, and `/api/v1/api-tokens`.

mod app_targets;
mod crud;
mod enforce;
mod first_admin;
mod orgfile;
mod tokens;

use serde_json::{Value, json};
use tollgate_core::secret::Secret;

use crate::support::{TestApp, json};

/// Creates an active user with a password; its id.
pub(crate) async fn user(app: &TestApp, login: &str) -> String {
    let body = json!({
        "profile": {"firstName": "Ada", "lastName": "Admin", "email": login, "login": login},
        "credentials": {"password": {"value": "Tollgate-2026"}}
    });
    json(app.post("/api/v1/users", &body), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Creates a group; its id.
pub(crate) async fn group(app: &TestApp, name: &str) -> String {
    json(
        app.post("/api/v1/groups", &json!({"profile": {"name": name}})),
        200,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Assigns `role` to a user or group (`who` is `users` or `groups`); the assignment.
pub(crate) async fn assign(app: &TestApp, who: &str, id: &str, role: &str) -> Value {
    json(
        app.post(&format!("/api/v1/{who}/{id}/roles"), &json!({"type": role})),
        201,
    )
    .await
}

/// A new API token belonging to `user_id`, registered straight in the database (as
/// `tollgate api-token create --owner` does).
pub(crate) async fn token_for(app: &TestApp, user_id: &str) -> String {
    let token = Secret::generate_api_token();
    let store = app.open_store().await;
    store
        .register_api_token("test", &token.digest(), Some(user_id), app.clock.now())
        .await
        .unwrap();
    store.close().await;
    token.expose().to_owned()
}

/// `app` acting with another token.
pub(crate) fn as_token(app: &TestApp, token: &str) -> TestApp {
    TestApp::attach(app.base.clone(), token.to_owned())
}
