//! Trusted origins through the management API, and the CORS they grant: headers only for
//! active origins with the `CORS` scope, only on the browser-facing routes.

pub mod cors;

use reqwest::Method;
use serde_json::{Value, json};

use crate::authz::{events_for, status};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    create_get_replace_delete,
    list_filter_and_paging,
    validation_and_duplicates,
    lifecycle_links_and_events,
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
