//! Scopes: create, read, list, replace, delete, name rules, system scopes.

use serde_json::json;

use super::{AS, create_server, events_for, status};
use crate::backend_tests;
use crate::directory::collect_pages;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(scopes_crud_and_rules, scopes_paging_and_system_scopes);

async fn scopes_crud_and_rules(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = create_server(&app, "Scopes").await;
    let sid = s["id"].as_str().unwrap();
    let base = format!("{AS}/{sid}/scopes");
    let created = json(
        app.post(
            &base,
            &json!({"name": "car:drive", "displayName": "Drive car", "description": "Drive car",
                    "consent": "REQUIRED", "metadataPublish": "ALL_CLIENTS", "default": true}),
        ),
        201,
    )
    .await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("scp") && id.len() == 20);
    assert_eq!(created["name"], "car:drive");
    assert_eq!(created["displayName"], "Drive car");
    assert_eq!(created["system"], false);
    assert_eq!(created["default"], true);
    assert_eq!(created["optional"], false);
    assert_eq!(created["consent"], "REQUIRED");
    assert_eq!(created["metadataPublish"], "ALL_CLIENTS");
    assert_eq!(
        created["_links"]["self"]["href"],
        format!("{}{base}/{id}", app.base)
    );
    let minimal = json(app.post(&base, &json!({"name": "car:park"})), 201).await;
    assert_eq!(minimal["consent"], "IMPLICIT");
    assert_eq!(minimal["metadataPublish"], "NO_CLIENTS");

    let dup = json(app.post(&base, &json!({"name": "car:drive"})), 400).await;
    assert_okta_error(&dup, "E0000001");
    // The same name on another server is fine.
    json(
        app.post(
            &format!("{AS}/default/scopes"),
            &json!({"name": "car:drive"}),
        ),
        201,
    )
    .await;
    for bad in [
        "",
        "has space",
        "okta.users.read",
        "okta",
        "*",
        "a<b>",
        "quote\"d",
    ] {
        let e = json(app.post(&base, &json!({"name": bad})), 400).await;
        assert_okta_error(&e, "E0000001");
    }
    assert_okta_error(
        &json(
            app.post(&base, &json!({"name": "x", "consent": "NEVER"})),
            400,
        )
        .await,
        "E0000001",
    );

    let path = format!("{base}/{id}");
    assert_eq!(json(app.get(&path), 200).await["name"], "car:drive");
    let put = json(
        app.put(
            &path,
            &json!({"name": "car:drive2", "description": "Drive faster"}),
        ),
        200,
    )
    .await;
    assert_eq!(put["name"], "car:drive2");
    assert_eq!(put["consent"], "REQUIRED", "left out: kept");
    assert_okta_error(
        &json(app.put(&path, &json!({"name": "car:park"})), 400).await,
        "E0000001",
    );
    assert_eq!(status(app.delete(&path)).await, 204);
    assert_eq!(
        assert_okta_error(&json(app.get(&path), 404).await, "E0000007"),
        format!("Not found: Resource not found: {id} (OAuth2Scope)")
    );
    assert_okta_error(
        &json(app.get(&format!("{AS}/ausnothere0000000000/scopes")), 404).await,
        "E0000007",
    );
    assert_eq!(
        events_for(&app, id).await,
        [
            "oauth2.scope.created",
            "oauth2.scope.updated",
            "oauth2.scope.deleted"
        ]
    );
    app.finish().await;
}

async fn scopes_paging_and_system_scopes(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = create_server(&app, "Paging").await;
    let sid = s["id"].as_str().unwrap();
    let base = format!("{AS}/{sid}/scopes");
    for n in 0..5 {
        json(app.post(&base, &json!({"name": format!("api:{n}")})), 201).await;
    }
    let (all, pages) = collect_pages(&app, &format!("{base}?limit=4")).await;
    assert_eq!(all.len(), 13);
    assert_eq!(pages, 4);
    let api = json(app.get(&format!("{base}?q=API")), 200).await;
    assert_eq!(api.as_array().unwrap().len(), 5);

    let openid = all.iter().find(|s| s["name"] == "openid").unwrap();
    let path = format!("{base}/{}", openid["id"].as_str().unwrap());
    assert_okta_error(&json(app.delete(&path), 403).await, "E0000006");
    assert_okta_error(
        &json(app.put(&path, &json!({"name": "renamed"})), 403).await,
        "E0000006",
    );
    let edited = json(
        app.put(&path, &json!({"name": "openid", "description": "Sign in"})),
        200,
    )
    .await;
    assert_eq!(edited["description"], "Sign in");
    assert_eq!(edited["system"], true);
    assert_eq!(edited["metadataPublish"], "ALL_CLIENTS");
    app.finish().await;
}
