//! The client credentials and password grants, and the token endpoint's errors.

use reqwest::Method;
use serde_json::{Value, json};

use super::service_app;
use super::{PASSWORD, custom_server, seed, seed_with, verified};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    client_credentials_and_password_grants,
    token_endpoint_errors_are_okta_s,
    buffered_oauth_events_are_written_on_shutdown,
);

/// OAuth events go through the buffer; a graceful stop writes what it holds.
async fn buffered_oauth_events_are_written_on_shutdown(b: Backend) {
    let Some(mut app) = TestApp::start(b).await else {
        return;
    };
    for _ in 0..50 {
        let resp = send(
            app.anon(Method::POST, "/oauth2/default/v1/token")
                .basic_auth("0oanobody", Some("x"))
                .form(&[("grant_type", "client_credentials")]),
        )
        .await;
        assert_eq!(resp.status(), 401);
    }
    app.restart().await;
    let events = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22app.oauth2.invalid_client_credentials%22&limit=100"),
        200,
    )
    .await;
    assert_eq!(events.as_array().unwrap().len(), 50);
    assert_eq!(events[0]["outcome"]["result"], "FAILURE");
    assert_eq!(
        events[0]["outcome"]["reason"],
        "no app has client_id 0oanobody"
    );
    app.finish().await;
}

async fn body(resp: reqwest::Response, status: u16) -> Value {
    assert_eq!(resp.status(), status);
    resp.json().await.unwrap()
}

async fn client_credentials_and_password_grants(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let sid = custom_server(&app, &["client_credentials", "password"], false).await;
    let base = format!("/oauth2/{sid}/v1");
    json(
        app.post(
            &format!("/api/v1/authorizationServers/{sid}/scopes"),
            &json!({"name": "api.read", "description": "Read", "metadataPublish": "ALL_CLIENTS"}),
        ),
        201,
    )
    .await;
    let service = service_app(&app).await;
    let id = service["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap();
    let secret = service["credentials"]["oauthClient"]["client_secret"]
        .as_str()
        .unwrap();
    let cc = |scope: &'static str| {
        app.anon(Method::POST, &format!("{base}/token"))
            .basic_auth(id, Some(secret))
            .form(&[("grant_type", "client_credentials"), ("scope", scope)])
    };
    let tokens = body(send(cc("api.read")).await, 200).await;
    assert!(tokens.get("id_token").is_none() && tokens.get("refresh_token").is_none());
    assert_eq!(tokens["expires_in"], 1800);
    let at = verified(&app, &base, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(at["sub"], id);
    assert_eq!(at["cid"], id);
    assert_eq!(at["scp"], json!(["api.read"]));
    assert!(at.get("uid").is_none());
    let openid = body(send(cc("openid")).await, 400).await;
    assert_eq!(
        openid["error_description"],
        "Cannot request 'openid' scopes using client credentials."
    );
    let unknown = body(send(cc("api.write")).await, 400).await;
    assert_eq!(unknown["error"], "invalid_scope");
    let none = body(
        send(
            app.anon(Method::POST, &format!("{base}/token"))
                .basic_auth(id, Some(secret))
                .form(&[("grant_type", "client_credentials")]),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(
        none["error_description"],
        "The authorization server resource does not have any configured default scopes, 'scope' must be provided."
    );
    // Userinfo has nothing to say about a token without a user.
    let resp = send(
        app.anon(Method::GET, &format!("{base}/userinfo"))
            .bearer_auth(tokens["access_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(resp.status(), 403, "no openid scope");

    // Password grant (the seed app is a native app with it).
    let s = seed(&app).await;
    let pw = |password: &'static str| {
        let fields = [
            ("grant_type", "password".to_owned()),
            ("username", "annie.jackson@acme.com".to_owned()),
            ("password", password.to_owned()),
            ("scope", "openid profile offline_access".to_owned()),
            ("client_id", s.client_id.clone()),
            ("client_secret", s.secret.clone()),
        ];
        send(
            app.anon(Method::POST, &format!("{base}/token"))
                .form(&fields),
        )
    };
    let tokens = body(pw(PASSWORD).await, 200).await;
    assert!(tokens["refresh_token"].as_str().is_some());
    let id = verified(&app, &base, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(id["sub"], s.user.as_str());
    assert_eq!(id["preferred_username"], "annie.jackson@acme.com");
    assert!(id.get("given_name").is_none(), "thin");
    let bad = body(pw("wrong").await, 400).await;
    assert_eq!(bad["error"], "invalid_grant");
    assert_eq!(
        bad["error_description"],
        "The credentials provided were invalid."
    );
    app.finish().await;
}

async fn token_endpoint_errors_are_okta_s(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed_with(
        &app,
        "client_secret_basic",
        json!({"redirect_uris": [super::REDIRECT], "response_types": ["code"],
               "grant_types": ["authorization_code"], "application_type": "web"}),
    )
    .await;
    let url = "/oauth2/default/v1/token";
    let post = |fields: &[(&str, &str)]| {
        app.anon(Method::POST, url)
            .form(fields)
            .basic_auth(&s.client_id, Some(&s.secret))
    };

    let no_grant = body(send(post(&[])).await, 400).await;
    assert_eq!(no_grant["error"], "invalid_request");
    let unknown = body(send(post(&[("grant_type", "urn:x")])).await, 400).await;
    assert_eq!(unknown["error"], "unsupported_grant_type");
    assert_eq!(
        unknown["error_description"],
        "The authorization grant type is not supported by the authorization server. Configured grant types: [authorization_code]."
    );
    let not_enabled = body(send(post(&[("grant_type", "password")])).await, 400).await;
    assert_eq!(not_enabled["error"], "unauthorized_client");
    let bad_code = body(
        send(post(&[
            ("grant_type", "authorization_code"),
            ("code", "nope"),
            ("redirect_uri", super::REDIRECT),
        ]))
        .await,
        400,
    )
    .await;
    assert_eq!(bad_code["error"], "invalid_grant");

    let no_creds = body(
        send(
            app.anon(Method::POST, url)
                .form(&[("grant_type", "authorization_code")]),
        )
        .await,
        401,
    )
    .await;
    assert_eq!(
        no_creds["error_description"],
        "No client credentials found."
    );
    let wrong = body(
        send(
            app.anon(Method::POST, url)
                .basic_auth(&s.client_id, Some("wrong"))
                .form(&[("grant_type", "authorization_code")]),
        )
        .await,
        401,
    )
    .await;
    assert_eq!(
        wrong["error_description"],
        "Client authentication failed. Either the client or the client credentials are invalid."
    );
    let malformed = body(
        send(
            app.anon(Method::POST, url)
                .header("authorization", "Basic !!!")
                .form(&[("grant_type", "authorization_code")]),
        )
        .await,
        401,
    )
    .await;
    assert_eq!(
        malformed["error_description"],
        "Found Authentication header but was not valid client credentials."
    );
    let json_body = send(
        app.anon(Method::POST, url)
            .basic_auth(&s.client_id, Some(&s.secret))
            .json(&json!({"grant_type": "client_credentials"})),
    )
    .await;
    assert_eq!(json_body.status(), 400);
    let event = super::last_event(&app, "app.oauth2.invalid_client_credentials").await;
    assert_eq!(event["outcome"]["result"], "FAILURE");
    assert_eq!(
        send(
            app.anon(Method::POST, "/oauth2/ausnothere000000000/v1/token")
                .form(&[("a", "b")])
        )
        .await
        .status(),
        404
    );
    app.finish().await;
}
