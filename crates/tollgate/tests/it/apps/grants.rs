//! Consent grants of an app to Okta's management scopes: grant, list, get (`expand=scope`),
//! revoke, Okta's errors, the System Log, and a user's (empty) grants.

use serde_json::json;

use super::create_app;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send, sorted_keys as keys};

backend_tests!(consent_grants_are_granted_listed_and_revoked);

async fn consent_grants_are_granted_listed_and_revoked(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let created = create_app(&app, "Grants app").await;
    let app_id = created["id"].as_str().unwrap();
    let client_id = created["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap();
    let grants = format!("/api/v1/apps/{app_id}/grants");
    let body = |scope: &str| json!({"issuer": app.base, "scopeId": scope});

    let users_read = json(app.post(&grants, &body("okta.users.read")), 201).await;
    assert_eq!(
        keys(&users_read),
        [
            "_embedded",
            "_links",
            "clientId",
            "created",
            "createdBy",
            "id",
            "issuer",
            "lastUpdated",
            "scopeId",
            "source",
            "status"
        ]
    );
    let id = users_read["id"].as_str().unwrap();
    assert!(id.starts_with("oag") && id.len() == 20, "{id}");
    assert_eq!(users_read["status"], "ACTIVE");
    assert_eq!(users_read["source"], "ADMIN");
    assert_eq!(users_read["issuer"], app.base.as_str());
    assert_eq!(users_read["clientId"], client_id);
    assert_eq!(users_read["scopeId"], "okta.users.read");
    assert_eq!(
        users_read["_embedded"],
        json!({"scope": {"id": "okta.users.read"}})
    );
    assert!(users_read["createdBy"]["id"].is_string());
    assert_eq!(keys(&users_read["_links"]), ["app", "client", "self"]);
    assert_eq!(users_read["_links"]["app"]["title"], "Grants app");
    assert_eq!(
        users_read["_links"]["self"]["href"],
        format!("{}{grants}/{id}", app.base)
    );
    assert_eq!(
        users_read["_links"]["self"]["hints"]["allow"],
        json!(["GET", "DELETE"])
    );
    json(app.post(&grants, &body("okta.apps.manage")), 201).await;

    let listed = json(app.get(&grants), 200).await;
    let scopes: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["scopeId"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["okta.users.read", "okta.apps.manage"]);
    assert!(listed[0].get("_embedded").is_none());
    let expanded = json(app.get(&format!("{grants}?expand=scope")), 200).await;
    assert_eq!(expanded[1]["_embedded"]["scope"]["id"], "okta.apps.manage");
    let one = json(app.get(&format!("{grants}/{id}")), 200).await;
    assert_eq!(one["id"], id);
    assert!(one.get("_embedded").is_none());

    // Okta's errors.
    for (sent, field) in [
        (body("openid"), "scopeId"),
        (json!({"issuer": app.base}), "scopeId"),
        (json!({"scopeId": "okta.users.read"}), "issuer"),
        (
            json!({"issuer": "https://elsewhere.example", "scopeId": "okta.users.read"}),
            "issuer",
        ),
    ] {
        let refused = json(app.post(&grants, &sent), 400).await;
        assert_okta_error(&refused, "E0000001");
        assert!(
            refused["errorCauses"][0]["errorSummary"]
                .as_str()
                .unwrap()
                .starts_with(field)
        );
    }
    let no_app = json(
        app.post(
            "/api/v1/apps/0oanothere0000000000/grants",
            &body("okta.users.read"),
        ),
        404,
    )
    .await;
    assert!(assert_okta_error(&no_app, "E0000007").ends_with("(AppInstance)"));
    let missing = json(app.get(&format!("{grants}/oagnothere0000000000")), 404).await;
    assert!(assert_okta_error(&missing, "E0000007").ends_with("(OAuth2ScopeConsentGrant)"));

    // Revoking.
    assert_eq!(
        send(app.delete(&format!("{grants}/{id}"))).await.status(),
        204
    );
    assert_eq!(
        send(app.delete(&format!("{grants}/{id}"))).await.status(),
        404
    );
    assert_eq!(
        json(app.get(&grants), 200).await.as_array().unwrap().len(),
        1
    );
    for (event_type, count) in [
        ("app.oauth2.admin.consent.grant", 2),
        ("app.oauth2.admin.consent.revoke", 1),
    ] {
        let events = json(
            app.get(&format!(
                "/api/v1/logs?filter=eventType%20eq%20%22{event_type}%22"
            )),
            200,
        )
        .await;
        assert_eq!(events.as_array().unwrap().len(), count, "{event_type}");
        assert_eq!(events[0]["target"][0]["id"], app_id);
    }

    // A user who consented to nothing has no grants; revoking them is a no-op.
    let user = json(
        app.post(
            "/api/v1/users?activate=false",
            &json!({"profile": {"firstName": "G", "lastName": "U", "email": "g.u@example.com", "login": "g.u@example.com"}}),
        ),
        200,
    )
    .await;
    let uid = user["id"].as_str().unwrap();
    assert_eq!(
        json(app.get(&format!("/api/v1/users/{uid}/grants")), 200).await,
        json!([])
    );
    assert_eq!(
        send(app.delete(&format!("/api/v1/users/{uid}/grants")))
            .await
            .status(),
        204
    );
    assert_eq!(
        json(
            app.get(&format!("/api/v1/users/{uid}/clients/{client_id}/grants")),
            200
        )
        .await,
        json!([])
    );
    assert_eq!(
        send(app.get("/api/v1/users/00unothere0000000000/grants"))
            .await
            .status(),
        404
    );

    // Grants go with their app.
    assert_eq!(
        send(app.post(
            &format!("/api/v1/apps/{app_id}/lifecycle/deactivate"),
            &json!({})
        ))
        .await
        .status(),
        200
    );
    assert_eq!(
        send(app.delete(&format!("/api/v1/apps/{app_id}")))
            .await
            .status(),
        204
    );
    assert_eq!(send(app.get(&grants)).await.status(), 404);
    app.finish().await;
}
