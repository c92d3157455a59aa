//! The token path serves a server's configuration from memory; these scenarios fail if a
//! change through the API (in this process, or in another process on the same database) does
//! not reach the next tokens.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use super::service_app;
use super::{custom_server, verified};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    configuration_changes_reach_the_next_token,
    another_process_sees_changes_within_the_check_interval,
);

pub(crate) struct Service {
    pub(crate) sid: String,
    pub(super) client_id: String,
    pub(super) secret: String,
}

pub(crate) async fn service(app: &TestApp) -> Service {
    let sid = custom_server(app, &["client_credentials"], false).await;
    json(
        app.post(
            &format!("/api/v1/authorizationServers/{sid}/scopes"),
            &json!({"name": "api.read", "description": "Read", "metadataPublish": "ALL_CLIENTS"}),
        ),
        201,
    )
    .await;
    let created = service_app(app).await;
    let oauth = &created["credentials"]["oauthClient"];
    Service {
        sid,
        client_id: oauth["client_id"].as_str().unwrap().to_owned(),
        secret: oauth["client_secret"].as_str().unwrap().to_owned(),
    }
}

/// A client-credentials token request to `base_url`: the status and the JSON body.
pub(crate) async fn token(app: &TestApp, base_url: &str, s: &Service) -> (u16, Value) {
    let resp = send(
        app.client
            .request(
                Method::POST,
                format!("{base_url}/oauth2/{}/v1/token", s.sid),
            )
            .basic_auth(&s.client_id, Some(&s.secret))
            .form(&[("grant_type", "client_credentials"), ("scope", "api.read")]),
    )
    .await;
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

async fn claims_of(app: &TestApp, s: &Service, body: &Value) -> Value {
    verified(
        app,
        &format!("/oauth2/{}/v1", s.sid),
        body["access_token"].as_str().unwrap(),
    )
    .await
}

async fn configuration_changes_reach_the_next_token(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = service(&app).await;
    let admin = format!("/api/v1/authorizationServers/{}", s.sid);
    let (status, body) = token(&app, &app.base, &s).await;
    assert_eq!(status, 200, "{body}");
    assert!(claims_of(&app, &s, &body).await.get("dept").is_none());

    // A new claim, then a changed one: the cached, compiled claims must not linger.
    let claim = json(
        app.post(
            &format!("{admin}/claims"),
            &json!({"name": "dept", "status": "ACTIVE", "claimType": "RESOURCE",
                    "valueType": "EXPRESSION", "value": "\"eng\"", "conditions": {"scopes": []}}),
        ),
        201,
    )
    .await;
    let (_, body) = token(&app, &app.base, &s).await;
    assert_eq!(claims_of(&app, &s, &body).await["dept"], "eng");
    let claim_id = claim["id"].as_str().unwrap();
    json(
        app.put(
            &format!("{admin}/claims/{claim_id}"),
            &json!({"name": "dept", "status": "ACTIVE", "claimType": "RESOURCE",
                    "valueType": "EXPRESSION", "value": "\"ops\"", "conditions": {"scopes": []}}),
        ),
        200,
    )
    .await;
    let (_, body) = token(&app, &app.base, &s).await;
    assert_eq!(claims_of(&app, &s, &body).await["dept"], "ops");

    // A deactivated policy stops granting at once; reactivated, it grants again.
    let policies = json(app.get(&format!("{admin}/policies")), 200).await;
    let pid = policies[0]["id"].as_str().unwrap().to_owned();
    let resp = send(app.req(
        Method::POST,
        &format!("{admin}/policies/{pid}/lifecycle/deactivate"),
    ))
    .await;
    assert!(resp.status().is_success());
    let (status, body) = token(&app, &app.base, &s).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "access_denied");
    let resp = send(app.req(
        Method::POST,
        &format!("{admin}/policies/{pid}/lifecycle/activate"),
    ))
    .await;
    assert!(resp.status().is_success());
    let (status, body) = token(&app, &app.base, &s).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expires_in"], 1800);

    // A new first rule with another lifetime decides the next token.
    json(
        app.post(
            &format!("{admin}/policies/{pid}/rules"),
            &json!({"type": "RESOURCE_ACCESS", "name": "Short", "priority": 1,
                    "conditions": {"people": {"groups": {"include": ["EVERYONE"]}},
                                   "grantTypes": {"include": ["client_credentials"]},
                                   "scopes": {"include": ["*"]}},
                    "actions": {"token": {"accessTokenLifetimeMinutes": 5, "refreshTokenLifetimeMinutes": 0,
                                          "refreshTokenWindowMinutes": 10080}}}),
        ),
        201,
    )
    .await;
    let (status, body) = token(&app, &app.base, &s).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expires_in"], 300);
    app.finish().await;
}

async fn another_process_sees_changes_within_the_check_interval(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = service(&app).await;
    let other = app.second_server().await;
    let other_base = format!("http://{}", other.addr);
    // The second process caches the configuration.
    let (status, body) = token(&app, &other_base, &s).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expires_in"], 1800);

    // Changed through the first process only.
    let admin = format!("/api/v1/authorizationServers/{}", s.sid);
    let policies = json(app.get(&format!("{admin}/policies")), 200).await;
    let pid = policies[0]["id"].as_str().unwrap().to_owned();
    let rules = json(app.get(&format!("{admin}/policies/{pid}/rules")), 200).await;
    let mut rule = rules[0].clone();
    rule["actions"]["token"]["accessTokenLifetimeMinutes"] = json!(7);
    let rid = rule["id"].as_str().unwrap().to_owned();
    json(
        app.put(&format!("{admin}/policies/{pid}/rules/{rid}"), &rule),
        200,
    )
    .await;
    let changed = Instant::now();
    let window = Duration::from_millis(u64::try_from(tollgate::caches::CHECK_MS).unwrap() + 1_500);
    loop {
        let (status, body) = token(&app, &other_base, &s).await;
        assert_eq!(status, 200, "{body}");
        if body["expires_in"] == 420 {
            break;
        }
        assert!(
            changed.elapsed() < window,
            "the other process still issues the old lifetime after {:?}",
            changed.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    other.stop().await.unwrap();
    app.finish().await;
}
