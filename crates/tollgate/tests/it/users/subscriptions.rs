//! `/api/v1/users/{id}/subscriptions`: the caller's own notification subscriptions, stored
//! when changed.

use serde_json::{Value, json};

use super::create_user;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(subscriptions_are_listed_and_changed);

fn status_of<'a>(list: &'a Value, t: &str) -> &'a str {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["notificationType"] == t)
        .and_then(|s| s["status"].as_str())
        .unwrap_or_default()
}

async fn subscriptions_are_listed_and_changed(b: Backend) {
    let Some(mut app) = TestApp::start(b).await else {
        return;
    };
    let me = json(app.get("/api/v1/users/me"), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/api/v1/users/{me}/subscriptions");
    let list = json(app.get(&base), 200).await;
    assert_eq!(list.as_array().unwrap().len(), 13, "{list}");
    let first = &list[0];
    assert_eq!(first["notificationType"], "AD_AGENT");
    assert_eq!(first["channels"], json!(["email"]));
    assert_eq!(first["status"], "subscribed");
    let href = first["_links"]["self"]["href"].as_str().unwrap();
    assert!(href.ends_with(&format!("{base}/AD_AGENT")), "{href}");

    let one = format!("{base}/OKTA_UPDATE");
    let off = send(app.post(&format!("{one}/unsubscribe"), &json!({}))).await;
    assert_eq!(off.status(), 200);
    assert_eq!(off.text().await.unwrap(), "");
    let got = json(app.get(&one), 200).await;
    assert_eq!(got["status"], "unsubscribed", "{got}");
    assert_eq!(got["notificationType"], "OKTA_UPDATE");
    // Stored: still there after a restart, and only that type changed.
    app.restart().await;
    let list = json(app.get(&base), 200).await;
    assert_eq!(status_of(&list, "OKTA_UPDATE"), "unsubscribed");
    assert_eq!(status_of(&list, "USER_LOCKED_OUT"), "subscribed");
    let on = send(app.post(&format!("{one}/subscribe"), &json!({}))).await;
    assert_eq!(on.status(), 200);
    assert_eq!(json(app.get(&one), 200).await["status"], "subscribed");

    let unknown_type = json(app.get(&format!("{base}/NOT_A_TYPE")), 404).await;
    assert_okta_error(&unknown_type, "E0000007");
    let unknown_user = json(app.get("/api/v1/users/00uNoSuchUser1/subscriptions"), 404).await;
    assert_okta_error(&unknown_user, "E0000007");
    let subscribe = "/api/v1/users/00uNoSuchUser1/subscriptions/OKTA_UPDATE/subscribe";
    assert_okta_error(
        &json(app.post(subscribe, &json!({})), 404).await,
        "E0000007",
    );
    // Another user's subscriptions are refused, as Okta documents.
    let other = create_user(&app, "subscriber@example.com", "").await;
    let path = format!("/api/v1/users/{other}/subscriptions");
    assert_okta_error(&json(app.get(&path), 403).await, "E0000006");
    let path = format!("{path}/OKTA_UPDATE/unsubscribe");
    assert_okta_error(&json(app.post(&path, &json!({})), 403).await, "E0000006");
    app.finish().await;
}
