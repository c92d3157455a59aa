//! An OAuth client's secrets: create (generated or chosen), list, get, deactivate, activate,
//! delete, Okta's errors, every active secret authenticating the client at the OAuth
//! endpoints, survival across a restart, and concurrent creations respecting the limit of two.

use reqwest::Method;
use serde_json::{Value, json};

use super::create_app;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, link_names, send};

backend_tests!(
    secrets_rotate_without_downtime,
    chosen_secrets_and_errors_answer_okta_words,
    concurrent_creations_keep_the_limit,
);

/// The status `/oauth2/v1/introspect` answers `client_id` authenticating with `secret`.
async fn auth_status(app: &TestApp, client_id: &str, secret: &str) -> u16 {
    let req = app
        .anon(Method::POST, "/oauth2/v1/introspect")
        .basic_auth(client_id, Some(secret))
        .form(&[("token", "not-a-token")]);
    send(req).await.status().as_u16()
}

fn cause(body: &Value) -> &str {
    body["errorCauses"][0]["errorSummary"]
        .as_str()
        .unwrap_or_default()
}

async fn secrets_rotate_without_downtime(b: Backend) {
    let Some(mut app) = TestApp::start(b).await else {
        return;
    };
    let created = create_app(&app, "Rotating client").await;
    let id = created["id"].as_str().unwrap().to_owned();
    let client_id = created["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = created["credentials"]["oauthClient"]["client_secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let secrets = format!("/api/v1/apps/{id}/credentials/secrets");
    assert_eq!(
        created["_links"]["clientCredentials"],
        json!([{"name": "secrets", "href": format!("{}{secrets}", app.base)}])
    );

    let listed = json(app.get(&secrets), 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let first_id = listed[0]["id"].as_str().unwrap().to_owned();
    assert!(
        first_id.starts_with("ocs") && first_id.len() == 20,
        "{first_id}"
    );
    assert_eq!(listed[0]["status"], "ACTIVE");
    let masked = listed[0]["client_secret"].as_str().unwrap();
    assert!(
        masked.contains("......") && masked != first,
        "never shown again: {masked}"
    );
    assert_eq!(link_names(&listed[0]), ["deactivate"]);

    let second = json(app.post(&secrets, &json!({})), 201).await;
    let second_secret = second["client_secret"].as_str().unwrap().to_owned();
    assert_eq!(second_secret.len(), 64);
    assert_eq!(second["status"], "ACTIVE");
    assert_eq!(second["secret_hash"].as_str().unwrap().len(), 22);
    for key in ["created", "lastUpdated", "id"] {
        assert!(second[key].is_string(), "{key}: {second}");
    }
    let second_id = second["id"].as_str().unwrap().to_owned();
    assert_eq!(auth_status(&app, &client_id, &first).await, 200);
    assert_eq!(auth_status(&app, &client_id, &second_secret).await, 200);
    assert_eq!(
        auth_status(&app, &client_id, "not-the-secret-at-all").await,
        401
    );

    let third = json(app.post(&secrets, &json!({})), 400).await;
    assert_eq!(
        assert_okta_error(&third, "E0000001"),
        "Api validation failed: OAuth2ClientSecretMediated"
    );
    assert_eq!(
        cause(&third),
        "You've reached the maximum number of client secrets per client."
    );

    let off = json(
        app.post(
            &format!("{secrets}/{first_id}/lifecycle/deactivate"),
            &json!({}),
        ),
        200,
    )
    .await;
    assert_eq!(off["status"], "INACTIVE");
    assert_eq!(link_names(&off), ["activate", "delete"]);
    assert_eq!(
        auth_status(&app, &client_id, &first).await,
        401,
        "an inactive secret is refused"
    );
    assert_eq!(auth_status(&app, &client_id, &second_secret).await, 200);

    let only = json(
        app.post(
            &format!("{secrets}/{second_id}/lifecycle/deactivate"),
            &json!({}),
        ),
        400,
    )
    .await;
    assert_eq!(
        cause(&only),
        "You can't deactivate the only active client secret."
    );
    let active = json(app.delete(&format!("{secrets}/{second_id}")), 400).await;
    assert_eq!(
        cause(&active),
        "You can't delete an active client secret. Deactivate the secret before deleting it."
    );

    app.restart().await;
    let got = json(app.get(&format!("{secrets}/{first_id}")), 200).await;
    assert_eq!(got["status"], "INACTIVE", "kept across a restart");
    assert_eq!(auth_status(&app, &client_id, &second_secret).await, 200);
    assert_eq!(
        send(app.delete(&format!("{secrets}/{first_id}")))
            .await
            .status(),
        204
    );
    let gone = json(app.get(&format!("{secrets}/{first_id}")), 404).await;
    assert_okta_error(&gone, "E0000007");
    assert_eq!(
        json(app.get(&secrets), 200).await.as_array().unwrap().len(),
        1
    );

    let log = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22application.lifecycle.update%22"),
        200,
    )
    .await;
    let changes: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["debugContext"]["debugData"]["clientSecretChange"].as_str())
        .collect();
    assert_eq!(changes, ["create", "deactivate", "delete"]);
    app.finish().await;
}

async fn chosen_secrets_and_errors_answer_okta_words(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let created = create_app(&app, "Chosen secrets").await;
    let id = created["id"].as_str().unwrap();
    let client_id = created["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap();
    let secrets = format!("/api/v1/apps/{id}/credentials/secrets");

    let short = json(
        app.post(&secrets, &json!({"client_secret": "too-short"})),
        400,
    )
    .await;
    assert_eq!(
        assert_okta_error(&short, "E0000001"),
        "Api validation failed: client_secret"
    );
    assert_eq!(
        cause(&short),
        "client_secret: 'client_secret' must be at least '14' characters long."
    );

    let mine = "my-own-chosen-secret-0123456789";
    let body = json!({"client_secret": mine, "status": "INACTIVE"});
    let chosen = json(app.post(&secrets, &body), 201).await;
    assert_eq!(chosen["client_secret"], mine);
    assert_eq!(chosen["status"], "INACTIVE");
    assert_eq!(
        auth_status(&app, client_id, mine).await,
        401,
        "inactive until activated"
    );
    let path = format!(
        "{secrets}/{}/lifecycle/activate",
        chosen["id"].as_str().unwrap()
    );
    let on = json(app.post(&path, &json!({})), 200).await;
    assert_eq!(on["status"], "ACTIVE");
    assert_eq!(on["client_secret"], "my-own......6789");
    assert_eq!(auth_status(&app, client_id, mine).await, 200);

    let missing = json(app.get(&format!("{secrets}/ocsNoSuchSecret12345")), 404).await;
    assert_okta_error(&missing, "E0000007");
    let bookmark = json!({"name": "bookmark", "label": "Bookmark", "signOnMode": "BOOKMARK",
                          "settings": {"app": {"url": "https://example.com/b"}}});
    let bookmark = json(app.post("/api/v1/apps", &bookmark), 200).await;
    let path = format!(
        "/api/v1/apps/{}/credentials/secrets",
        bookmark["id"].as_str().unwrap()
    );
    assert_okta_error(&json(app.get(&path), 404).await, "E0000007");
    assert!(bookmark["_links"].get("clientCredentials").is_none());
    app.finish().await;
}

/// Ten creations at once on a client with one secret: exactly one wins, and the secret every
/// winner was shown works.
async fn concurrent_creations_keep_the_limit(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for trial in 0..5 {
        let created = create_app(&app, &format!("Concurrent {trial}")).await;
        let id = created["id"].as_str().unwrap().to_owned();
        let client_id = created["credentials"]["oauthClient"]["client_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let secrets = format!("/api/v1/apps/{id}/credentials/secrets");
        let attempts: Vec<_> = (0..10)
            .map(|_| {
                let req = app.post(&secrets, &json!({}));
                tokio::spawn(async move { req.send().await.unwrap() })
            })
            .collect();
        let mut shown = Vec::new();
        for attempt in attempts {
            let resp = attempt.await.unwrap();
            let status = resp.status().as_u16();
            let body: Value = resp.json().await.unwrap();
            match status {
                201 => shown.push(body["client_secret"].as_str().unwrap().to_owned()),
                400 => assert_eq!(
                    cause(&body),
                    "You've reached the maximum number of client secrets per client."
                ),
                other => panic!("unexpected {other}: {body}"),
            }
        }
        assert_eq!(shown.len(), 1, "trial {trial}: exactly one creation wins");
        assert_eq!(
            json(app.get(&secrets), 200).await.as_array().unwrap().len(),
            2
        );
        assert_eq!(auth_status(&app, &client_id, &shown[0]).await, 200);
    }
    app.finish().await;
}
