//! The client address behind reverse proxies (`--trusted-proxies`): what the System Log
//! records and what per-address throttling counts; and `/metrics` on the main listener.

use reqwest::Method;
use serde_json::{Value, json};
use tollgate_core::client_address::ForwardedHeader;

use crate::support::{Backend, TestApp, json, send};

/// A failed sign-in of unknown `username`, sent with `headers`: its status.
async fn failed_sign_in(app: &TestApp, username: &str, headers: &[(&str, &str)]) -> u16 {
    let mut req = app
        .anon(Method::POST, "/api/v1/authn")
        .json(&json!({"username": username, "password": "not-the-password"}));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    send(req).await.status().as_u16()
}

/// The address the System Log recorded for `username`'s failed sign-in.
async fn logged_ip(app: &TestApp, username: &str) -> Value {
    let events = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22user.session.start%22&limit=100"),
        200,
    )
    .await;
    let event = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["actor"]["alternateId"] == username)
        .unwrap_or_else(|| panic!("no event for {username}: {events}"))
        .clone();
    event["client"]["ipAddress"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_proxy_s_forwarded_client_is_logged_and_throttled() {
    let app = TestApp::start_with(Backend::Sqlite, |s| {
        s.observability.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        s.sign_in.failures_per_ip = 2;
    })
    .await
    .unwrap();
    let chain = [("X-Forwarded-For", "198.51.100.7, 203.0.113.5")];
    assert_eq!(failed_sign_in(&app, "p1@acme.com", &chain).await, 401);
    assert_eq!(logged_ip(&app, "p1@acme.com").await, "203.0.113.5");
    // The proxy sets X-Forwarded-For and passes the caller's own `Forwarded` through: that
    // one is not believed, so the caller cannot choose its address.
    let spoof = [
        ("Forwarded", "for=192.0.2.66"),
        ("X-Forwarded-For", "198.51.100.8"),
    ];
    assert_eq!(failed_sign_in(&app, "p2@acme.com", &spoof).await, 401);
    assert_eq!(logged_ip(&app, "p2@acme.com").await, "198.51.100.8");
    // Failures are counted per forwarded address: 203.0.113.5 is at its limit of two after
    // this one, and other clients behind the same proxy are not.
    assert_eq!(failed_sign_in(&app, "p3@acme.com", &chain).await, 401);
    assert_eq!(failed_sign_in(&app, "p4@acme.com", &chain).await, 429);
    let other = [("X-Forwarded-For", "198.51.100.99")];
    assert_eq!(failed_sign_in(&app, "p5@acme.com", &other).await, 401);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_forwarded_chosen_only_forwarded_is_believed() {
    let app = TestApp::start_with(Backend::Sqlite, |s| {
        s.observability.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        s.observability.forwarded_header = ForwardedHeader::Forwarded;
    })
    .await
    .unwrap();
    let both = [
        ("Forwarded", "for=\"[2001:db8::1]:443\";proto=https"),
        ("X-Forwarded-For", "192.0.2.66"),
    ];
    assert_eq!(failed_sign_in(&app, "f1@acme.com", &both).await, 401);
    assert_eq!(logged_ip(&app, "f1@acme.com").await, "2001:db8::1");
    let only_xff = [("X-Forwarded-For", "192.0.2.66")];
    assert_eq!(failed_sign_in(&app, "f2@acme.com", &only_xff).await, 401);
    assert_eq!(logged_ip(&app, "f2@acme.com").await, "127.0.0.1");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_peer_s_forwarded_headers_are_ignored() {
    let app = TestApp::start_with(Backend::Sqlite, |s| {
        s.observability.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await
    .unwrap();
    let spoofed = [
        ("X-Forwarded-For", "203.0.113.5"),
        ("Forwarded", "for=203.0.113.6"),
    ];
    assert_eq!(failed_sign_in(&app, "spoof@acme.com", &spoofed).await, 401);
    assert_eq!(logged_ip(&app, "spoof@acme.com").await, "127.0.0.1");
    // Nor does it name its request: the id (the System Log's transaction id) is our own.
    let resp = send(
        app.anon(Method::GET, "/.well-known/openid-configuration")
            .header("X-Request-Id", "chosen-by-the-caller"),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let id = resp.headers()["x-request-id"].to_str().unwrap();
    assert!(!id.is_empty() && id != "chosen-by-the-caller", "{id}");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_on_the_main_listener_label_routes_by_template() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    assert_eq!(
        send(app.get("/api/v1/users/00uNoSuchUser0000001"))
            .await
            .status(),
        404
    );
    assert_eq!(
        send(app.anon(Method::GET, "/no/such/page")).await.status(),
        404
    );
    let resp = send(app.anon(Method::GET, "/metrics")).await;
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert!(
        text.contains(
            "tollgate_http_requests_total{route=\"/api/v1/users/{id}\",method=\"GET\",status=\"404\"}"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "tollgate_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}"
        ),
        "{text}"
    );
    assert!(!text.contains("00uNoSuchUser") && !text.contains("/no/such/page"));
    assert!(text.contains("# TYPE tollgate_http_request_duration_seconds histogram"));
    app.finish().await;
}
