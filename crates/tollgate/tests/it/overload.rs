//! When every database connection is taken, a request that needs one waits at most the pool's
//! acquire timeout and is answered 503 in its protocol's error shape (Okta's error JSON on
//! `/api/v1`, `temporarily_unavailable` on OAuth), with `Retry-After`; once connections are
//! free again, everything answers normally.

use std::time::Duration;

use serde_json::Value;

use crate::backend_tests;
use crate::oauth::service_app;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(an_exhausted_pool_answers_503_and_recovers);

async fn an_exhausted_pool_answers_503_and_recovers(b: Backend) {
    let Some(app) = TestApp::start_with(b, |s| {
        s.database.max_connections = Some(3);
        s.database.acquire_timeout = Duration::from_millis(300);
    })
    .await
    else {
        return;
    };
    let created = service_app(&app).await;
    let held = app.server_store().hold_connections(3).await.unwrap();

    let resp = send(app.get("/api/v1/users")).await;
    assert_eq!(resp.status().as_u16(), 503);
    assert_eq!(resp.headers()["retry-after"], "1");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["errorCode"], "E0000009", "{body}");
    for field in ["errorSummary", "errorLink", "errorId", "errorCauses"] {
        assert!(body.get(field).is_some(), "{field} missing: {body}");
    }

    // A client this process has not seen yet must be read from the database.
    let resp = send(
        app.client
            .post(format!("{}/oauth2/v1/token", app.base))
            .basic_auth("0oaunknownclient", Some("secret"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", "okta.users.read"),
            ]),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 503);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "temporarily_unavailable", "{body}");

    drop(held);
    let users = json(app.get("/api/v1/users"), 200).await;
    assert!(users.is_array());
    let client_id = created["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap();
    assert!(
        json(
            app.get(&format!("/api/v1/apps/{}", created["id"].as_str().unwrap())),
            200
        )
        .await["credentials"]["oauthClient"]["client_id"]
            == client_id
    );
    app.finish().await;
}
