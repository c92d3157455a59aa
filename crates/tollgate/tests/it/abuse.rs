//! Abuse and framing: rate limits per endpoint family that an anonymous flood cannot turn
//! against the org, Okta-shaped 413/414/415/431 answers, login CSRF on `POST /api/v1/sessions`,
//! and `Cache-Control: no-store` on responses that carry credentials.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, assert_okta_error, json, send};

const PASSWORD: &str = "Tollgate-2026";

async fn user(app: &TestApp, login: &str) -> String {
    let body = json!({
        "profile": {"firstName": "Ann", "lastName": "Lee", "email": login, "login": login},
        "credentials": {"password": {"value": PASSWORD}}
    });
    json(app.post("/api/v1/users", &body), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn authn(app: &TestApp, username: &str) -> reqwest::RequestBuilder {
    app.anon(Method::POST, "/api/v1/authn")
        .json(&json!({"username": username, "password": PASSWORD}))
}

fn header(resp: &reqwest::Response, name: &str) -> String {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A service app allowed the client credentials grant: (client id, secret).
async fn service_app(app: &TestApp, method: &str) -> (String, String) {
    let created = json(
        app.post(
            "/api/v1/apps",
            &json!({"name": "oidc_client", "label": format!("Service {method}"), "signOnMode": "OPENID_CONNECT",
                    "credentials": {"oauthClient": {"token_endpoint_auth_method": method}},
                    "settings": {"oauthClient": {"response_types": ["token"], "grant_types": ["client_credentials"],
                                                 "application_type": "service"}}}),
        ),
        200,
    )
    .await;
    let c = &created["credentials"]["oauthClient"];
    (
        c["client_id"].as_str().unwrap().to_owned(),
        c["client_secret"].as_str().unwrap().to_owned(),
    )
}

/// Checks a 429 in Okta's shape: the error body and the three headers, reset within a minute.
async fn assert_429(resp: reqwest::Response, limit: u32) {
    assert_eq!(resp.status(), 429, "{:?}", resp.headers());
    assert_eq!(header(&resp, "x-rate-limit-limit"), limit.to_string());
    assert_eq!(header(&resp, "x-rate-limit-remaining"), "0");
    let reset: i64 = header(&resp, "x-rate-limit-reset").parse().unwrap();
    let now = tollgate_core::Clock::System.now().unix_seconds();
    assert!(
        reset > now - 1 && reset <= now + 61,
        "reset {reset} now {now}"
    );
    let body: Value = resp.json().await.unwrap();
    assert_okta_error(&body, "E0000047");
}

/// Sends `n` requests built by `make` and returns their statuses.
async fn statuses(n: usize, make: impl Fn() -> reqwest::RequestBuilder) -> Vec<u16> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(send(make()).await.status().as_u16());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_flood_leaves_admin_api_and_sign_in_working() {
    let app = TestApp::start_with(Backend::Sqlite, |s| {
        s.rate_limit_per_minute = 20;
        s.rate_limit_anonymous_per_minute = 20;
    })
    .await
    .unwrap();
    // Made before the flood: the admin budget is 20 a minute.
    user(&app, "ann@example.com").await;
    let flood = statuses(60, || app.anon(Method::GET, "/api/v1/sessions/me")).await;
    assert!(flood.contains(&429), "{flood:?}");
    let admin = send(app.get("/api/v1/users")).await;
    assert_eq!(admin.status(), 200);
    assert_eq!(header(&admin, "x-rate-limit-limit"), "20");
    let signed_in = json(authn(&app, "ann@example.com"), 200).await;
    assert_eq!(signed_in["status"], "SUCCESS");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_family_has_its_own_budget_and_answers_429_like_okta() {
    let app = TestApp::start_with(Backend::Sqlite, |s| {
        s.rate_limit_per_minute = 6;
        s.rate_limit_authn_per_minute = 3;
        s.rate_limit_oauth_per_minute = 3;
        s.rate_limit_anonymous_per_minute = 3;
    })
    .await
    .unwrap();
    let a = service_app(&app, "client_secret_post").await;
    let b = service_app(&app, "client_secret_basic").await;
    // Bad tokens spend this address's budget of failed calls, never the admin budget.
    let bad = statuses(6, || {
        app.anon(Method::GET, "/api/v1/users")
            .header("Authorization", "SSWS not-a-real-token-0123456789")
    })
    .await;
    assert_eq!(bad, [401, 401, 401, 429, 429, 429]);
    let first = send(app.get("/api/v1/org")).await;
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, "x-rate-limit-limit"), "6");
    assert_eq!(header(&first, "x-rate-limit-remaining"), "3");
    let admin = statuses(3, || app.get("/api/v1/org")).await;
    assert_eq!(admin, [200, 200, 200]);
    assert_429(send(app.get("/api/v1/org")).await, 6).await;

    let signin = statuses(3, || authn(&app, "nobody@example.com")).await;
    assert!(!signin.contains(&429), "{signin:?}");
    assert_429(send(authn(&app, "nobody@example.com")).await, 3).await;

    let token = |(id, secret): &(String, String)| {
        app.anon(Method::POST, "/oauth2/default/v1/token").form(&[
            ("grant_type", "client_credentials"),
            ("scope", "tollgate.test"),
            ("client_id", id.as_str()),
            ("client_secret", secret.as_str()),
        ])
    };
    let oauth = statuses(3, || token(&a)).await;
    assert!(!oauth.contains(&429) && !oauth.contains(&401), "{oauth:?}");
    assert_429(send(token(&a)).await, 3).await;
    // Another client, named by its Basic header, has its own budget.
    let basic = app
        .anon(Method::POST, "/oauth2/default/v1/token")
        .basic_auth(&b.0, Some(&b.1))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "tollgate.test"),
        ]);
    let basic = send(basic).await;
    assert_eq!(header(&basic, "x-rate-limit-remaining"), "2");
    // Unknown clients count as failed calls of this address, which the bad tokens spent.
    let unknown = ("no-such-client".to_owned(), "x".to_owned());
    assert_429(send(token(&unknown)).await, 3).await;

    let anon = statuses(3, || app.anon(Method::GET, "/api/v1/sessions/me")).await;
    assert!(!anon.contains(&429), "{anon:?}");
    assert_429(send(app.anon(Method::GET, "/api/v1/sessions/me")).await, 3).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_requests_answer_in_okta_shape() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    let big = format!(
        "{{\"profile\": {{\"name\": \"g\", \"description\": \"{}\"}}}}",
        "x".repeat(3 << 20)
    );
    let resp = send(
        app.req(Method::POST, "/api/v1/groups")
            .header("Content-Type", "application/json")
            .body(big),
    )
    .await;
    assert_eq!(resp.status(), 413);
    assert_eq!(header(&resp, "connection"), "close");
    assert_okta_error(&resp.json::<Value>().await.unwrap(), "E0000003");

    let long = format!("/api/v1/groups?q={}", "a".repeat(20_000));
    let resp = send(app.get(&long)).await;
    assert_eq!(resp.status(), 414);
    assert_okta_error(&resp.json::<Value>().await.unwrap(), "E0000003");

    let resp = send(
        app.get("/api/v1/org")
            .header("X-Padding", "p".repeat(40_000)),
    )
    .await;
    assert_eq!(resp.status(), 431);
    assert_okta_error(&resp.json::<Value>().await.unwrap(), "E0000003");

    // The server still answers normally afterwards.
    assert_eq!(send(app.get("/api/v1/org")).await.status(), 200);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_refuse_bodies_a_cross_site_form_can_send() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    user(&app, "ann@example.com").await;
    let token = json(authn(&app, "ann@example.com"), 200).await["sessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"sessionToken": token}).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let resp = send(
            app.anon(Method::POST, "/api/v1/sessions")
                .header("Content-Type", content_type)
                .body(body.clone()),
        )
        .await;
        assert_eq!(resp.status(), 415, "{content_type}");
        assert!(resp.headers().get("set-cookie").is_none());
        assert_okta_error(&resp.json::<Value>().await.unwrap(), "E0000003");
    }
    let none = send(
        app.anon(Method::POST, "/api/v1/sessions")
            .body(body.clone()),
    )
    .await;
    assert_eq!(none.status(), 415);
    // The token was not spent by the refused attempts.
    let ok = app
        .anon(Method::POST, "/api/v1/sessions")
        .header("Content-Type", "application/json; charset=UTF-8")
        .body(body);
    assert_eq!(json(ok, 200).await["status"], "ACTIVE");
    app.finish().await;
}

fn assert_no_store(resp: &reqwest::Response, what: &str) {
    let cc = header(resp, "cache-control");
    assert!(cc.contains("no-store"), "{what}: Cache-Control {cc:?}");
    assert_eq!(header(resp, "pragma"), "no-cache", "{what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_with_credentials_are_not_stored() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    user(&app, "ann@example.com").await;
    let resp = send(authn(&app, "ann@example.com")).await;
    assert_no_store(&resp, "authn");
    let token = resp.json::<Value>().await.unwrap()["sessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let resp = send(
        browser
            .post(format!("{}/api/v1/sessions", app.base))
            .json(&json!({"sessionToken": token})),
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_no_store(&resp, "create session");
    let me = send(browser.get(format!("{}/api/v1/sessions/me", app.base))).await;
    assert_eq!(me.status(), 200);
    assert_no_store(&me, "sessions/me");
    assert_no_store(
        &send(authn(&app, "nobody@example.com")).await,
        "failed authn",
    );

    let created = send(app.post(
        "/api/v1/apps",
        &json!({"name": "oidc_client", "label": "Secretive", "signOnMode": "OPENID_CONNECT",
                "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
                "settings": {"oauthClient": {"response_types": ["token"],
                    "grant_types": ["client_credentials"], "application_type": "service"}}}),
    ))
    .await;
    assert_eq!(created.status(), 200);
    assert_no_store(&created, "create app");
    let app_json: Value = created.json().await.unwrap();
    assert!(app_json["credentials"]["oauthClient"]["client_secret"].is_string());
    let id = app_json["id"].as_str().unwrap();
    let got = send(app.get(&format!("/api/v1/apps/{id}"))).await;
    assert_no_store(&got, "get app");
    app.finish().await;
}
