//! Servers: shape, bootstrap objects, list, replace, lifecycle, delete.

use serde_json::json;

use super::{AS, create_server, events_for, status};
use crate::backend_tests;
use crate::directory::collect_pages;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(
    created_server_has_shape_and_system_objects,
    default_server_is_bootstrapped,
    servers_list_with_q_and_paging,
    servers_replace_lifecycle_and_delete,
);

async fn created_server_has_shape_and_system_objects(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = create_server(&app, "Sample Authorization Server").await;
    let id = s["id"].as_str().unwrap();
    assert!(id.starts_with("aus") && id.len() == 20, "{s}");
    assert_eq!(s["name"], "Sample Authorization Server");
    assert_eq!(s["description"], "Test Auth Server");
    assert_eq!(s["audiences"], json!(["api://default"]));
    assert_eq!(s["issuer"], format!("{}/oauth2/{id}", app.base));
    assert_eq!(s["issuerMode"], "ORG_URL");
    assert_eq!(s["status"], "ACTIVE");
    assert_eq!(s["default"], false);
    assert_eq!(s["credentials"]["signing"]["rotationMode"], "AUTO");
    assert!(s["created"].as_str().unwrap().ends_with('Z'));
    let links = &s["_links"];
    let base = format!("{}{AS}/{id}", app.base);
    assert_eq!(links["self"]["href"], base);
    assert_eq!(links["scopes"]["href"], format!("{base}/scopes"));
    assert_eq!(links["claims"]["href"], format!("{base}/claims"));
    assert_eq!(links["policies"]["href"], format!("{base}/policies"));
    assert_eq!(
        links["rotateKey"]["href"],
        format!("{base}/credentials/lifecycle/keyRotate")
    );
    assert_eq!(
        links["deactivate"]["href"],
        format!("{base}/lifecycle/deactivate")
    );
    assert_eq!(
        links["metadata"][1]["href"],
        format!("{}/oauth2/{id}/.well-known/openid-configuration", app.base)
    );

    let scopes = json(app.get(&format!("{AS}/{id}/scopes")), 200).await;
    let mut names: Vec<&str> = scopes
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "address",
            "device_sso",
            "email",
            "groups",
            "offline_access",
            "openid",
            "phone",
            "profile"
        ]
    );
    assert!(
        scopes
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["system"] == true && s["metadataPublish"] == "ALL_CLIENTS")
    );
    let claims = json(app.get(&format!("{AS}/{id}/claims")), 200).await;
    assert_eq!(claims.as_array().unwrap().len(), 1);
    let sub = &claims[0];
    assert_eq!(sub["name"], "sub");
    assert_eq!(sub["claimType"], "RESOURCE");
    assert_eq!(sub["valueType"], "EXPRESSION");
    assert_eq!(
        sub["value"],
        "(appuser != null) ? appuser.userName : app.clientId"
    );
    assert_eq!(sub["system"], true);
    assert_eq!(sub["alwaysIncludeInToken"], true);
    let policies = json(app.get(&format!("{AS}/{id}/policies")), 200).await;
    assert_eq!(policies, json!([]));

    let got = json(app.get(&format!("{AS}/{id}")), 200).await;
    assert_eq!(got["id"], id);
    assert_eq!(events_for(&app, id).await, ["oauth2.as.created"]);
    app.finish().await;
}

async fn default_server_is_bootstrapped(b: Backend) {
    let Some(mut app) = TestApp::start(b).await else {
        return;
    };
    // A restart seeds nothing twice.
    app.restart().await;
    let d = json(app.get(&format!("{AS}/default")), 200).await;
    assert_eq!(d["id"], "default");
    assert_eq!(d["name"], "default");
    assert_eq!(d["default"], true);
    assert_eq!(d["audiences"], json!(["api://default"]));
    assert_eq!(d["issuer"], format!("{}/oauth2/default", app.base));
    let scopes = json(app.get(&format!("{AS}/default/scopes")), 200).await;
    assert_eq!(scopes.as_array().unwrap().len(), 8);
    assert!(
        scopes
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "groups")
    );
    let claims = json(app.get(&format!("{AS}/default/claims")), 200).await;
    assert_eq!(claims.as_array().unwrap().len(), 1);
    assert_eq!(claims[0]["name"], "sub");
    let policies = json(app.get(&format!("{AS}/default/policies")), 200).await;
    assert_eq!(policies.as_array().unwrap().len(), 1);
    let p = &policies[0];
    assert_eq!(p["name"], "Default Policy");
    assert_eq!(p["priority"], 1);
    assert_eq!(p["type"], "OAUTH_AUTHORIZATION_POLICY");
    assert_eq!(
        p["conditions"]["clients"]["include"],
        json!(["ALL_CLIENTS"])
    );
    let rules = json(
        app.get(&format!(
            "{AS}/default/policies/{}/rules",
            p["id"].as_str().unwrap()
        )),
        200,
    )
    .await;
    assert_eq!(rules.as_array().unwrap().len(), 1);
    let r = &rules[0];
    assert_eq!(r["name"], "Default Policy Rule");
    assert_eq!(r["priority"], 1);
    assert_eq!(r["type"], "RESOURCE_ACCESS");
    assert_eq!(
        r["conditions"]["people"]["groups"]["include"],
        json!(["EVERYONE"])
    );
    assert_eq!(
        r["conditions"]["grantTypes"]["include"],
        json!([
            "implicit",
            "client_credentials",
            "authorization_code",
            "password"
        ])
    );
    assert_eq!(r["conditions"]["scopes"]["include"], json!(["*"]));
    assert_eq!(
        r["actions"]["token"],
        json!({"accessTokenLifetimeMinutes": 60, "refreshTokenLifetimeMinutes": 0, "refreshTokenWindowMinutes": 10080})
    );
    let delete = json(app.delete(&format!("{AS}/default")), 403).await;
    assert_okta_error(&delete, "E0000006");
    app.finish().await;
}

async fn servers_list_with_q_and_paging(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for name in ["Alpha One", "Alpha Two", "Beta"] {
        create_server(&app, name).await;
    }
    json(
        app.post(
            AS,
            &json!({"name": "Gamma", "audiences": ["api://alphabet"]}),
        ),
        201,
    )
    .await;
    let (all, pages) = collect_pages(&app, &format!("{AS}?limit=2")).await;
    assert_eq!(all.len(), 5, "default + 4");
    assert_eq!(pages, 3);
    let alpha = json(app.get(&format!("{AS}?q=alpha")), 200).await;
    let mut names: Vec<&str> = alpha
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Alpha One", "Alpha Two"]);
    let by_audience = json(app.get(&format!("{AS}?q=api%3A%2F%2Falphab")), 200).await;
    assert_eq!(by_audience.as_array().unwrap().len(), 1);
    assert_eq!(by_audience[0]["name"], "Gamma");
    let clamped = json(app.get(&format!("{AS}?limit=5000")), 200).await;
    assert_eq!(clamped.as_array().unwrap().len(), 5);
    app.finish().await;
}

async fn servers_replace_lifecycle_and_delete(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = create_server(&app, "Replace me").await;
    let id = s["id"].as_str().unwrap();
    let path = format!("{AS}/{id}");
    let put = json(
        app.put(
            &path,
            &json!({"name": "Replaced", "audiences": ["api://replaced"],
                    "credentials": {"signing": {"rotationMode": "MANUAL"}}}),
        ),
        200,
    )
    .await;
    assert_eq!(put["name"], "Replaced");
    assert_eq!(put["audiences"], json!(["api://replaced"]));
    assert_eq!(put["credentials"]["signing"]["rotationMode"], "MANUAL");
    assert!(put.get("description").is_none());
    let got = json(app.get(&path), 200).await;
    assert_eq!(got["credentials"]["signing"]["rotationMode"], "MANUAL");

    for bad in [
        json!({"audiences": ["api://x"]}),
        json!({"name": "x"}),
        json!({"name": "x", "audiences": ["api://a", "api://b"]}),
        json!({"name": "x", "audiences": ["1bad:uri"]}),
        json!({"name": "x", "audiences": ["api://x"], "issuerMode": "NOPE"}),
    ] {
        assert_okta_error(&json(app.put(&path, &bad), 400).await, "E0000001");
        assert_okta_error(&json(app.post(AS, &bad), 400).await, "E0000001");
    }
    create_server(&app, "Taken").await;
    let dup = json(
        app.put(&path, &json!({"name": "Taken", "audiences": ["api://x"]})),
        400,
    )
    .await;
    assert_okta_error(&dup, "E0000001");
    let dup = json(
        app.post(AS, &json!({"name": "Taken", "audiences": ["api://x"]})),
        400,
    )
    .await;
    assert_eq!(
        dup["errorCauses"][0]["errorSummary"],
        "name: An object with this field already exists in the current organization"
    );
    assert_okta_error(
        &json(app.post(AS, &json!({"name": 5})), 400).await,
        "E0000003",
    );

    assert_eq!(
        status(app.post(&format!("{path}/lifecycle/deactivate"), &json!({}))).await,
        204
    );
    let inactive = json(app.get(&path), 200).await;
    assert_eq!(inactive["status"], "INACTIVE");
    assert!(inactive["_links"]["activate"]["href"].is_string());
    assert_eq!(
        status(app.post(&format!("{path}/lifecycle/activate"), &json!({}))).await,
        204
    );
    assert_eq!(json(app.get(&path), 200).await["status"], "ACTIVE");

    assert_eq!(status(app.delete(&path)).await, 204);
    let gone = json(app.get(&path), 404).await;
    assert_eq!(
        assert_okta_error(&gone, "E0000007"),
        format!("Not found: Resource not found: {id} (AuthorizationServer)")
    );
    assert_okta_error(&json(app.delete(&path), 404).await, "E0000007");
    assert_okta_error(
        &json(app.get(&format!("{path}/scopes")), 404).await,
        "E0000007",
    );
    assert_eq!(
        events_for(&app, id).await,
        [
            "oauth2.as.created",
            "oauth2.as.updated",
            "oauth2.as.deactivated",
            "oauth2.as.activated",
            "oauth2.as.deleted"
        ]
    );
    app.finish().await;
}
