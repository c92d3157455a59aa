//! Authentication, Okta's error shapes and headers, the org, health, persistence.

use reqwest::Method;
use serde_json::json;

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    auth_accepts_ssws_forms_and_refuses_others,
    errors_have_okta_shapes,
    responses_carry_okta_headers,
    org_reads_and_updates,
    data_survives_a_restart,
    health_and_readiness,
    rate_limit_answers_429,
    repeated_slashes_route_as_one,
);

/// Okta's Python SDK sends `//api/v1/...` in some versions; Okta serves it.
async fn repeated_slashes_route_as_one(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let body = json!({"profile": {"firstName": "S", "lastName": "L", "email": "s.l@example.com",
                                  "login": "s.l@example.com"}});
    let created = json(app.post("//api/v1/users?activate=false", &body), 200).await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(
        json(app.get(&format!("/api//v1/users/{id}")), 200).await["id"],
        id
    );
    assert_eq!(send(app.get("//api/v1/nothing")).await.status(), 404);
    app.finish().await;
}

async fn auth_accepts_ssws_forms_and_refuses_others(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let org = json(app.get("/api/v1/org"), 200).await;
    assert!(org["id"].as_str().unwrap().starts_with("00o"));

    for header in [
        format!("ssws {}", app.token),
        format!("SSWS{}", app.token),
        format!("sSwS   {}", app.token),
    ] {
        let req = app
            .anon(Method::GET, "/api/v1/org")
            .header("authorization", header.clone());
        json(req, 200).await;
    }

    let wrong = app
        .anon(Method::GET, "/api/v1/org")
        .header("Authorization", "SSWS 00notatoken");
    let body = json(wrong, 401).await;
    assert_eq!(
        assert_okta_error(&body, "E0000011"),
        "Invalid token provided"
    );

    let bearer = app
        .anon(Method::GET, "/api/v1/org")
        .header("Authorization", "Bearer abc");
    assert_okta_error(&json(bearer, 401).await, "E0000011");

    let missing = json(app.anon(Method::GET, "/api/v1/org"), 403).await;
    assert_eq!(assert_okta_error(&missing, "E0000005"), "Invalid session");
    app.finish().await;
}

async fn errors_have_okta_shapes(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let bad_json = app
        .req(Method::POST, "/api/v1/org")
        .header("content-type", "application/json")
        .body("{\"companyName\": ");
    let body = json(bad_json, 400).await;
    assert_eq!(
        assert_okta_error(&body, "E0000003"),
        "The request body was not well-formed."
    );

    let invalid = json(app.post("/api/v1/org", &json!({"companyName": ""})), 400).await;
    assert_eq!(
        assert_okta_error(&invalid, "E0000001"),
        "Api validation failed: companyName"
    );
    assert_eq!(
        invalid["errorCauses"][0]["errorSummary"],
        "companyName: must not be empty"
    );

    let unknown = json(app.get("/api/v1/nothing-here"), 404).await;
    assert_okta_error(&unknown, "E0000008");

    let wrong_method = json(app.delete("/api/v1/org"), 405).await;
    assert_eq!(
        assert_okta_error(&wrong_method, "E0000022"),
        "The endpoint does not support the provided HTTP method"
    );
    app.finish().await;
}

async fn responses_carry_okta_headers(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for req in [
        app.get("/api/v1/org"),
        app.anon(Method::GET, "/api/v1/org"),
        app.get("/api/v1/missing"),
    ] {
        let resp = send(req).await;
        let h = resp.headers();
        assert!(
            h["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        assert!(!h["x-okta-request-id"].is_empty());
        let limit: u64 = h["x-rate-limit-limit"].to_str().unwrap().parse().unwrap();
        let remaining: u64 = h["x-rate-limit-remaining"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let reset: i64 = h["x-rate-limit-reset"].to_str().unwrap().parse().unwrap();
        assert!(remaining < limit);
        assert!(reset > 1_700_000_000);
    }
    let health = send(app.anon(Method::GET, "/healthz")).await;
    assert!(health.headers().contains_key("x-okta-request-id"));
    app.finish().await;
}

async fn org_reads_and_updates(b: Backend) {
    let Some(app) =
        TestApp::start_with(b, |s| s.public_url = Some("https://id.example.test".into())).await
    else {
        return;
    };
    let org = json(app.get("/api/v1/org"), 200).await;
    assert_eq!(org["status"], "ACTIVE");
    assert_eq!(org["website"], serde_json::Value::Null);
    assert_eq!(org["expiresAt"], serde_json::Value::Null);
    let created = org["created"].as_str().unwrap();
    assert_eq!(created.len(), 24, "{created}");
    assert!(created.ends_with('Z'));
    assert_eq!(
        org["_links"]["preferences"]["href"],
        "https://id.example.test/api/v1/org/preferences"
    );

    let updated = json(
        app.post(
            "/api/v1/org",
            &json!({"supportPhoneNumber": "1234567890", "id": "00oIGNORED"}),
        ),
        200,
    )
    .await;
    assert_eq!(updated["supportPhoneNumber"], "1234567890");
    assert_eq!(updated["id"], org["id"]);
    let partial = json(
        app.post("/api/v1/org", &json!({"companyName": "Acme"})),
        200,
    )
    .await;
    assert_eq!(partial["companyName"], "Acme");
    assert_eq!(partial["supportPhoneNumber"], "1234567890");

    let replaced = json(
        app.put(
            "/api/v1/org",
            &json!({"companyName": "Acme", "website": "https://acme.example"}),
        ),
        200,
    )
    .await;
    assert_eq!(replaced["website"], "https://acme.example");
    assert_eq!(replaced["supportPhoneNumber"], serde_json::Value::Null);

    // A bodiless POST (Content-Length: 0, as SDKs send) changes nothing.
    let empty = app
        .req(Method::POST, "/api/v1/org")
        .header("content-length", "0");
    assert_eq!(json(empty, 200).await["website"], "https://acme.example");
    app.finish().await;
}

async fn data_survives_a_restart(b: Backend) {
    let Some(mut app) = TestApp::start(b).await else {
        return;
    };
    let before = json(
        app.post("/api/v1/org", &json!({"companyName": "Persisted Inc"})),
        200,
    )
    .await;
    app.restart().await;
    let after = json(app.get("/api/v1/org"), 200).await;
    assert_eq!(after["companyName"], "Persisted Inc");
    assert_eq!(after["id"], before["id"]);
    assert_eq!(after["created"], before["created"]);
    app.finish().await;
}

async fn health_and_readiness(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    assert_eq!(
        json(app.anon(Method::GET, "/healthz"), 200).await["status"],
        "ok"
    );
    let ready = json(app.anon(Method::GET, "/readyz"), 200).await;
    assert_eq!(ready["status"], "ok");
    app.finish().await;
}

async fn rate_limit_answers_429(b: Backend) {
    let Some(app) = TestApp::start_with(b, |s| s.rate_limit_per_minute = 3).await else {
        return;
    };
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let resp = send(app.get("/api/v1/org")).await;
        statuses.push(resp.status().as_u16());
        if resp.status().as_u16() == 429 {
            assert_eq!(resp.headers()["x-rate-limit-remaining"], "0");
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_okta_error(&body, "E0000047");
        }
    }
    // A minute boundary may fall inside the loop; at least one request must have been refused.
    assert!(statuses.contains(&429), "{statuses:?}");
    assert!(statuses.first() == Some(&200));
    app.finish().await;
}
