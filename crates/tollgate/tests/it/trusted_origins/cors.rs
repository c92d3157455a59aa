//! The CORS that trusted origins grant: headers only for active origins with the `CORS` scope,
//! only on the browser-facing routes.

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::json;

use super::{TO, create};
use crate::authz::status;
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(cors_for_trusted_origins_only, cors_routes_and_deactivation,);

const SPA: &str = "https://spa.example.com";

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).map(|v| v.to_str().unwrap())
}

/// A preflight for `GET path` from `origin`.
pub async fn preflight(app: &TestApp, path: &str, origin: &str) -> reqwest::Response {
    send(
        app.anon(Method::OPTIONS, path)
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header(
                "Access-Control-Request-Headers",
                "x-okta-user-agent-extended, content-type, x-not-allowed",
            ),
    )
    .await
}

/// `GET path` from `origin`; returns the response headers.
async fn get_from(app: &TestApp, path: &str, origin: &str) -> HeaderMap {
    send(app.anon(Method::GET, path).header("Origin", origin))
        .await
        .headers()
        .clone()
}

async fn cors_for_trusted_origins_only(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    create(&app, "SPA", &format!("{SPA}/"), &["CORS", "REDIRECT"]).await;
    create(
        &app,
        "Redirect only",
        "https://redirect.example.com",
        &["REDIRECT"],
    )
    .await;

    let resp = preflight(&app, "/oauth2/v1/keys", SPA).await;
    assert_eq!(resp.status(), 204);
    let h = resp.headers();
    assert_eq!(header(h, "access-control-allow-origin"), Some(SPA));
    assert_eq!(header(h, "access-control-allow-credentials"), Some("true"));
    assert!(
        header(h, "access-control-allow-methods")
            .unwrap()
            .contains("GET")
    );
    assert_eq!(
        header(h, "access-control-allow-headers"),
        Some("x-okta-user-agent-extended, content-type")
    );
    assert!(header(h, "access-control-max-age").is_some());
    assert_eq!(header(h, "vary"), Some("Origin"));

    let h = get_from(&app, "/oauth2/v1/keys", SPA).await;
    assert_eq!(header(&h, "access-control-allow-origin"), Some(SPA));
    assert_eq!(header(&h, "access-control-allow-credentials"), Some("true"));
    assert!(
        header(&h, "access-control-expose-headers")
            .unwrap()
            .contains("X-Okta-Request-Id")
    );

    for untrusted in [
        "https://evil.example.com",
        "https://redirect.example.com",
        "https://spa.example.com:8443",
        "null",
    ] {
        let resp = preflight(&app, "/oauth2/v1/keys", untrusted).await;
        assert_eq!(resp.status(), 403, "{untrusted}");
        assert!(header(resp.headers(), "access-control-allow-origin").is_none());
        let h = get_from(&app, "/oauth2/v1/keys", untrusted).await;
        assert!(
            header(&h, "access-control-allow-origin").is_none(),
            "{untrusted}"
        );
        assert_eq!(header(&h, "vary"), Some("Origin"));
    }
    // No Origin: an ordinary request, answered as before.
    let resp = send(app.anon(Method::GET, "/oauth2/v1/keys")).await;
    assert_eq!(resp.status(), 200);
    assert!(header(resp.headers(), "access-control-allow-origin").is_none());
    app.finish().await;
}

async fn cors_routes_and_deactivation(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let spa = create(&app, "SPA", SPA, &["CORS"]).await;
    let id = spa["id"].as_str().unwrap();
    for path in [
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server",
        "/oauth2/default/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/oauth2/default",
        "/oauth2/default/v1/keys",
        "/api/v1/sessions/me",
    ] {
        let h = get_from(&app, path, SPA).await;
        assert_eq!(
            header(&h, "access-control-allow-origin"),
            Some(SPA),
            "{path}"
        );
        assert_eq!(preflight(&app, path, SPA).await.status(), 204, "{path}");
    }
    // `/authn` answers its own errors with the CORS headers, so the page can read them.
    let resp = send(
        app.anon(Method::POST, "/api/v1/authn")
            .header("Origin", SPA)
            .json(&json!({"username": "nobody@example.com", "password": "wrong"})),
    )
    .await;
    assert_eq!(resp.status(), 401);
    assert_eq!(
        header(resp.headers(), "access-control-allow-origin"),
        Some(SPA)
    );

    // Never on `/authorize` or the rest of `/api/v1`.
    for path in [
        "/oauth2/v1/authorize?client_id=x",
        "/oauth2/default/v1/authorize?client_id=x",
        "/api/v1/groups",
        "/api/v1/trustedOrigins",
        "/login",
    ] {
        let h = get_from(&app, path, SPA).await;
        assert!(
            header(&h, "access-control-allow-origin").is_none(),
            "{path}"
        );
        let resp = preflight(&app, path, SPA).await;
        assert!(
            header(resp.headers(), "access-control-allow-origin").is_none(),
            "{path}"
        );
    }
    let h = send(app.get("/api/v1/groups").header("Origin", SPA))
        .await
        .headers()
        .clone();
    assert!(header(&h, "access-control-allow-origin").is_none());

    // Deactivating stops CORS at once; activating brings it back.
    json(
        app.post(&format!("{TO}/{id}/lifecycle/deactivate"), &json!({})),
        200,
    )
    .await;
    let h = get_from(&app, "/oauth2/v1/keys", SPA).await;
    assert!(header(&h, "access-control-allow-origin").is_none());
    assert_eq!(preflight(&app, "/oauth2/v1/keys", SPA).await.status(), 403);
    json(
        app.post(&format!("{TO}/{id}/lifecycle/activate"), &json!({})),
        200,
    )
    .await;
    let h = get_from(&app, "/oauth2/v1/keys", SPA).await;
    assert_eq!(header(&h, "access-control-allow-origin"), Some(SPA));
    // Dropping the CORS scope, then deleting, stop it too.
    json(
        app.put(
            &format!("{TO}/{id}"),
            &json!({"name": "SPA", "origin": SPA, "scopes": [{"type": "REDIRECT"}]}),
        ),
        200,
    )
    .await;
    assert!(
        header(
            &get_from(&app, "/oauth2/v1/keys", SPA).await,
            "access-control-allow-origin"
        )
        .is_none()
    );
    assert_eq!(status(app.delete(&format!("{TO}/{id}"))).await, 204);
    assert!(
        header(
            &get_from(&app, "/oauth2/v1/keys", SPA).await,
            "access-control-allow-origin"
        )
        .is_none()
    );
    app.finish().await;
}
