//! Trusted origins through the management API, and the CORS they grant: headers only for
//! active origins with the `CORS` scope, only on the browser-facing routes.

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use crate::authz::{events_for, status};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    create_get_replace_delete,
    list_filter_and_paging,
    validation_and_duplicates,
    lifecycle_links_and_events,
    cors_for_trusted_origins_only,
    cors_routes_and_deactivation
);

const TO: &str = "/api/v1/trustedOrigins";

async fn create(app: &TestApp, name: &str, origin: &str, scopes: &[&str]) -> Value {
    let scopes: Vec<Value> = scopes.iter().map(|t| json!({"type": t})).collect();
    json(
        app.post(
            TO,
            &json!({"name": name, "origin": origin, "scopes": scopes}),
        ),
        200,
    )
    .await
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect()
}

async fn create_get_replace_delete(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let created = create(
        &app,
        "My SPA",
        "http://localhost:8080/",
        &["CORS", "REDIRECT"],
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("tos") && id.len() == 20, "{id}");
    let keys: Vec<&str> = created
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "origin",
            "scopes",
            "status",
            "created",
            "createdBy",
            "lastUpdated",
            "lastUpdatedBy",
            "_links"
        ]
    );
    // Kept as given, trailing slash included (Okta's recordings show the same).
    assert_eq!(created["origin"], "http://localhost:8080/");
    assert_eq!(
        created["scopes"],
        json!([{"type": "CORS"}, {"type": "REDIRECT"}])
    );
    assert_eq!(created["status"], "ACTIVE");
    assert!(created["createdBy"].as_str().unwrap().starts_with("00T"));
    assert_eq!(created["lastUpdatedBy"], created["createdBy"]);
    assert_eq!(
        created["_links"]["self"]["href"],
        format!("{}{TO}/{id}", app.base)
    );
    assert_eq!(
        created["_links"]["self"]["hints"]["allow"],
        json!(["GET", "PUT", "DELETE"])
    );
    assert_eq!(
        created["_links"]["deactivate"]["href"],
        format!("{}{TO}/{id}/lifecycle/deactivate", app.base)
    );
    assert_eq!(json(app.get(&format!("{TO}/{id}")), 200).await, created);

    let replaced = json(
        app.put(
            &format!("{TO}/{id}"),
            &json!({"id": "ignored", "status": "INACTIVE", "name": "Renamed",
                    "origin": "https://spa.example.com",
                    "scopes": [{"type": "IFRAME_EMBED", "allowedOktaApps": ["OKTA_ENDUSER"]}]}),
        ),
        200,
    )
    .await;
    assert_eq!(replaced["id"], id);
    assert_eq!(replaced["name"], "Renamed");
    assert_eq!(replaced["origin"], "https://spa.example.com");
    assert_eq!(replaced["status"], "ACTIVE", "status is read-only");
    assert_eq!(
        replaced["scopes"],
        json!([{"type": "IFRAME_EMBED", "allowedOktaApps": ["OKTA_ENDUSER"]}])
    );
    assert_eq!(replaced["created"], created["created"]);

    // An active origin can be deleted directly (Okta's recordings do so).
    assert_eq!(status(app.delete(&format!("{TO}/{id}"))).await, 204);
    for req in [
        app.get(&format!("{TO}/{id}")),
        app.delete(&format!("{TO}/{id}")),
        app.put(
            &format!("{TO}/{id}"),
            &json!({"name": "x", "origin": "https://x.example", "scopes": [{"type": "CORS"}]}),
        ),
        app.post(&format!("{TO}/{id}/lifecycle/activate"), &json!({})),
    ] {
        let body = json(req, 404).await;
        assert_eq!(
            assert_okta_error(&body, "E0000007"),
            format!("Not found: Resource not found: {id} (TrustedOrigin)")
        );
    }
    // Admin only.
    assert_eq!(status(app.anon(Method::GET, TO)).await, 403);
    app.finish().await;
}

async fn list_filter_and_paging(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let a = create(&app, "Alpha app", "https://alpha.example", &["CORS"]).await;
    let bb = create(&app, "Beta app", "https://beta.example", &["REDIRECT"]).await;
    let c = create(
        &app,
        "Gamma",
        "http://localhost:3000",
        &["CORS", "REDIRECT"],
    )
    .await;
    let (a, bb, c) = (
        a["id"].as_str().unwrap(),
        bb["id"].as_str().unwrap(),
        c["id"].as_str().unwrap(),
    );
    json(
        app.post(&format!("{TO}/{c}/lifecycle/deactivate"), &json!({})),
        200,
    )
    .await;
    assert_eq!(ids(&json(app.get(TO), 200).await), [a, bb, c]);
    // `q`: prefix of name or origin, any case.
    assert_eq!(
        ids(&json(app.get(&format!("{TO}?q=beta")), 200).await),
        [bb]
    );
    assert_eq!(
        ids(&json(app.get(&format!("{TO}?q=HTTP://LOCAL")), 200).await),
        [c]
    );
    for (filter, want) in [
        ("name eq \"Alpha app\"", vec![a]),
        ("origin eq \"https://beta.example\"", vec![bb]),
        ("status eq \"INACTIVE\"", vec![c]),
        ("type eq \"CORS\"", vec![a, c]),
        ("type eq \"REDIRECT\" and status eq \"ACTIVE\"", vec![bb]),
    ] {
        let url = format!(
            "{TO}?filter={}",
            url::form_urlencoded::byte_serialize(filter.as_bytes()).collect::<String>()
        );
        assert_eq!(ids(&json(app.get(&url), 200).await), want, "{filter}");
    }
    assert_okta_error(
        &json(
            app.get(&format!("{TO}?filter=created%20gt%20%222020%22")),
            400,
        )
        .await,
        "E0000031",
    );
    // Paging.
    let resp = send(app.get(&format!("{TO}?limit=2"))).await;
    let links: Vec<String> = resp
        .headers()
        .get_all("link")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&resp.json::<Value>().await.unwrap()), [a, bb]);
    let next = links.iter().find(|l| l.ends_with("rel=\"next\"")).unwrap();
    assert!(next.contains(&format!("after={bb}")), "{next}");
    let page2 = send(app.get(&format!("{TO}?limit=2&after={bb}"))).await;
    assert!(
        page2
            .headers()
            .get_all("link")
            .iter()
            .all(|l| !l.to_str().unwrap().contains("next"))
    );
    assert_eq!(ids(&page2.json::<Value>().await.unwrap()), [c]);
    app.finish().await;
}

async fn validation_and_duplicates(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for (body, field) in [
        (
            json!({"name": "x", "origin": "https://a.example/app", "scopes": [{"type": "CORS"}]}),
            "origin",
        ),
        (
            json!({"name": "x", "origin": "a.example", "scopes": [{"type": "CORS"}]}),
            "origin",
        ),
        (
            json!({"name": "x", "origin": "https://a.example?x=1", "scopes": [{"type": "CORS"}]}),
            "origin",
        ),
        (json!({"name": "x", "scopes": [{"type": "CORS"}]}), "origin"),
        (
            json!({"origin": "https://a.example", "scopes": [{"type": "CORS"}]}),
            "name",
        ),
        (
            json!({"name": "x", "origin": "https://a.example", "scopes": []}),
            "scopes",
        ),
        (
            json!({"name": "x", "origin": "https://a.example"}),
            "scopes",
        ),
    ] {
        let err = json(app.post(TO, &body), 400).await;
        assert_eq!(
            assert_okta_error(&err, "E0000001"),
            format!("Api validation failed: {field}"),
            "{body}"
        );
        let cause = err["errorCauses"][0]["errorSummary"].as_str().unwrap();
        assert!(cause.starts_with(&format!("{field}: ")), "{cause}");
    }
    // An unknown scope type is a malformed body, as Okta answers `"Redirect"`.
    assert_okta_error(
        &json(
            app.post(TO, &json!({"name": "x", "origin": "https://a.example", "scopes": [{"type": "Redirect"}]})),
            400,
        )
        .await,
        "E0000003",
    );
    create(&app, "First", "https://app.example.com", &["CORS"]).await;
    // The same origin in another spelling is still the same origin.
    for dup in ["https://app.example.com", "HTTPS://APP.example.com:443/"] {
        let err = json(
            app.post(
                TO,
                &json!({"name": "Second", "origin": dup, "scopes": [{"type": "REDIRECT"}]}),
            ),
            400,
        )
        .await;
        assert_eq!(
            assert_okta_error(&err, "E0000001"),
            "Api validation failed: origin"
        );
        assert_eq!(
            err["errorCauses"][0]["errorSummary"],
            "origin: An object with this field already exists in the current organization"
        );
    }
    let other = create(&app, "Other", "https://other.example.com", &["CORS"]).await;
    let err = json(
        app.put(
            &format!("{TO}/{}", other["id"].as_str().unwrap()),
            &json!({"name": "Other", "origin": "https://app.example.com", "scopes": [{"type": "CORS"}]}),
        ),
        400,
    )
    .await;
    assert_okta_error(&err, "E0000001");
    // Mobile hybrid apps use custom schemes.
    create(&app, "Ionic", "capacitor://localhost", &["CORS"]).await;
    app.finish().await;
}

async fn lifecycle_links_and_events(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let o = create(&app, "Life", "https://life.example", &["CORS"]).await;
    let id = o["id"].as_str().unwrap();
    let off = json(
        app.post(&format!("{TO}/{id}/lifecycle/deactivate"), &json!({})),
        200,
    )
    .await;
    assert_eq!(off["status"], "INACTIVE");
    let links: Vec<&str> = off["_links"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(links, ["activate", "self"]);
    // Again: still 200, nothing changes.
    json(
        app.post(&format!("{TO}/{id}/lifecycle/deactivate"), &json!({})),
        200,
    )
    .await;
    let on = json(
        app.post(&format!("{TO}/{id}/lifecycle/activate"), &json!({})),
        200,
    )
    .await;
    assert_eq!(on["status"], "ACTIVE");
    assert!(on["_links"]["deactivate"].is_object());
    json(
        app.put(
            &format!("{TO}/{id}"),
            &json!({"name": "Life 2", "origin": "https://life.example", "scopes": [{"type": "CORS"}]}),
        ),
        200,
    )
    .await;
    assert_eq!(status(app.delete(&format!("{TO}/{id}"))).await, 204);
    let mut events = events_for(&app, id).await;
    events.sort();
    assert_eq!(
        events,
        [
            "security.trusted_origin.activate",
            "security.trusted_origin.create",
            "security.trusted_origin.deactivate",
            "security.trusted_origin.delete",
            "security.trusted_origin.update",
        ]
    );
    app.finish().await;
}

const SPA: &str = "https://spa.example.com";

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).map(|v| v.to_str().unwrap())
}

/// A preflight for `GET path` from `origin`.
async fn preflight(app: &TestApp, path: &str, origin: &str) -> reqwest::Response {
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
