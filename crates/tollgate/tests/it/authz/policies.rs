//! Policies and rules: shape, validation, priorities, lifecycle, cascade delete.

use serde_json::{Value, json};

use super::{AS, create_server, events_for, status};
use crate::apps::create_app;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(
    policies_crud_priorities_and_lifecycle,
    rules_crud_validation_and_cascade
);

fn policy(name: &str, priority: i64) -> Value {
    json!({"type": "OAUTH_AUTHORIZATION_POLICY", "name": name, "description": "For tests",
           "priority": priority, "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}})
}

fn rule(name: &str, priority: i64) -> Value {
    json!({"type": "RESOURCE_ACCESS", "name": name, "priority": priority,
           "conditions": {"people": {"groups": {"include": ["EVERYONE"]}},
                          "grantTypes": {"include": ["authorization_code", "client_credentials"]},
                          "scopes": {"include": ["*"]}},
           "actions": {"token": {"accessTokenLifetimeMinutes": 60, "refreshTokenLifetimeMinutes": 0,
                                 "refreshTokenWindowMinutes": 10080}}})
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}:{}", p["name"].as_str().unwrap(), p["priority"]))
        .collect()
}

async fn policies_crud_priorities_and_lifecycle(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = create_server(&app, "Policies").await;
    let base = format!("{AS}/{}/policies", s["id"].as_str().unwrap());
    let p1 = json(app.post(&base, &policy("P1", 1)), 201).await;
    let id = p1["id"].as_str().unwrap();
    assert!(id.starts_with("00p") && id.len() == 20);
    assert_eq!(p1["type"], "OAUTH_AUTHORIZATION_POLICY");
    assert_eq!(p1["status"], "ACTIVE");
    assert_eq!(p1["system"], false);
    assert_eq!(p1["priority"], 1);
    assert_eq!(
        p1["conditions"]["clients"]["include"],
        json!(["ALL_CLIENTS"])
    );
    assert_eq!(
        p1["_links"]["self"]["href"],
        format!("{}{base}/{id}", app.base)
    );
    assert_eq!(
        p1["_links"]["rules"]["href"],
        format!("{}{base}/{id}/rules", app.base)
    );
    assert!(p1["_links"]["deactivate"]["href"].is_string());

    // Inserting at a taken priority shifts the others down; past the end means last.
    json(app.post(&base, &policy("P0", 1)), 201).await;
    let last = json(app.post(&base, &policy("P9", 99)), 201).await;
    assert_eq!(last["priority"], 3);
    assert_eq!(
        names(&json(app.get(&base), 200).await),
        ["P0:1", "P1:2", "P9:3"]
    );
    let moved = json(
        app.put(
            &format!("{base}/{}", last["id"].as_str().unwrap()),
            &policy("P9", 1),
        ),
        200,
    )
    .await;
    assert_eq!(moved["priority"], 1);
    assert_eq!(
        names(&json(app.get(&base), 200).await),
        ["P9:1", "P0:2", "P1:3"]
    );

    let app_client = create_app(&app, "Policy client").await;
    let client_id = app_client["id"].as_str().unwrap();
    let mut only = policy("Only", 1);
    only["conditions"]["clients"]["include"] = json!([client_id]);
    let only = json(app.post(&base, &only), 201).await;
    assert_eq!(only["conditions"]["clients"]["include"], json!([client_id]));

    // Okta (2026) takes a policy without conditions, or with none included: it applies to no
    // client until one is added.
    for sent in [
        json!({"type": "OAUTH_AUTHORIZATION_POLICY", "name": "Bare", "description": "d", "priority": 1}),
        json!({"name": "Empty", "description": "d", "conditions": {"clients": {"include": []}}}),
    ] {
        let bare = json(app.post(&base, &sent), 201).await;
        assert_eq!(bare["conditions"], json!({"clients": {"include": []}}));
        let path = format!("{base}/{}", bare["id"].as_str().unwrap());
        assert_eq!(status(app.delete(&path)).await, 204);
    }

    let mut unknown = policy("Unknown", 1);
    unknown["conditions"]["clients"]["include"] = json!(["0oanothere0000000000"]);
    for bad in [
        unknown,
        json!({"name": "x", "description": "d", "conditions": {"clients": {"include": [" "]}}}),
        json!({"name": "", "description": "d", "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}}),
        json!({"name": "x".repeat(101), "description": "d", "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}}),
        json!({"name": "x", "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}}),
        json!({"name": "x", "description": "d".repeat(256), "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}}),
        json!({"name": "x", "description": "d", "priority": 0, "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}}),
        json!({"type": "OKTA_SIGN_ON", "name": "x", "description": "d", "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}}),
    ] {
        assert_okta_error(&json(app.post(&base, &bad), 400).await, "E0000001");
    }

    let path = format!("{base}/{id}");
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
    assert_eq!(status(app.delete(&path)).await, 204);
    assert_eq!(
        assert_okta_error(&json(app.get(&path), 404).await, "E0000007"),
        format!("Not found: Resource not found: {id} (Policy)")
    );
    // The gap closes.
    assert_eq!(
        names(&json(app.get(&base), 200).await),
        ["Only:1", "P9:2", "P0:3"]
    );
    assert_eq!(
        events_for(&app, id).await,
        [
            "policy.lifecycle.create",
            "policy.lifecycle.deactivate",
            "policy.lifecycle.activate",
            "policy.lifecycle.delete"
        ]
    );
    let _ = only;
    app.finish().await;
}

async fn rules_crud_validation_and_cascade(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = create_server(&app, "Rules").await;
    let policies = format!("{AS}/{}/policies", s["id"].as_str().unwrap());
    let p = json(app.post(&policies, &policy("P", 1)), 201).await;
    let base = format!("{policies}/{}/rules", p["id"].as_str().unwrap());
    let r1 = json(app.post(&base, &rule("R1", 1)), 201).await;
    let id = r1["id"].as_str().unwrap();
    assert!(id.starts_with("0pr") && id.len() == 20);
    assert_eq!(r1["type"], "RESOURCE_ACCESS");
    assert_eq!(r1["status"], "ACTIVE");
    assert_eq!(r1["system"], false);
    assert_eq!(
        r1["conditions"]["people"]["groups"]["include"],
        json!(["EVERYONE"])
    );
    assert_eq!(
        r1["conditions"]["people"]["users"],
        json!({"include": [], "exclude": []})
    );
    assert_eq!(
        r1["conditions"]["grantTypes"]["include"],
        json!(["authorization_code", "client_credentials"])
    );
    assert_eq!(r1["actions"]["token"]["refreshTokenWindowMinutes"], 10080);
    assert_eq!(
        r1["_links"]["self"]["href"],
        format!("{}{base}/{id}", app.base)
    );

    json(app.post(&base, &rule("R0", 1)), 201).await;
    assert_eq!(names(&json(app.get(&base), 200).await), ["R0:1", "R1:2"]);

    let group = json(
        app.post("/api/v1/groups", &json!({"profile": {"name": "Vendors"}})),
        200,
    )
    .await;
    let mut with_group = rule("Vendors only", 1);
    with_group["conditions"]["people"] =
        json!({"groups": {"include": [group["id"]]}, "users": {"exclude": []}});
    let g = json(app.post(&base, &with_group), 201).await;
    assert_eq!(
        g["conditions"]["people"]["groups"]["include"],
        json!([group["id"]])
    );

    let variants: &[fn(&mut Value)] = &[
        |r| r["conditions"]["people"]["groups"]["include"] = json!(["00gnothere0000000000"]),
        |r| r["conditions"]["people"] = json!({"users": {"include": ["00unothere0000000000"]}}),
        |r| r["conditions"]["grantTypes"]["include"] = json!(["refresh_token"]),
        |r| r["conditions"]["grantTypes"]["include"] = json!([]),
        |r| r["conditions"]["scopes"]["include"] = json!([]),
        |r| r["actions"]["token"]["accessTokenLifetimeMinutes"] = json!(4),
        |r| r["actions"]["token"]["accessTokenLifetimeMinutes"] = json!(1441),
        |r| r["actions"]["token"]["refreshTokenLifetimeMinutes"] = json!(30),
        |r| r["actions"]["token"]["refreshTokenWindowMinutes"] = json!(5),
        |r| r["actions"]["token"]["refreshTokenWindowMinutes"] = json!(2_628_001),
        |r| {
            r.as_object_mut().unwrap().remove("conditions");
        },
        |r| r["name"] = json!(""),
    ];
    for (n, change) in variants.iter().enumerate() {
        let mut bad = rule("bad", 1);
        change(&mut bad);
        let e = json(app.post(&base, &bad), 400).await;
        assert_eq!(e["errorCode"], "E0000001", "variant {n}: {e}");
    }

    let path = format!("{base}/{id}");
    let mut renamed = rule("R1 renamed", 1);
    renamed["actions"]["token"]["refreshTokenLifetimeMinutes"] = json!(120);
    let put = json(app.put(&path, &renamed), 200).await;
    assert_eq!(put["name"], "R1 renamed");
    assert_eq!(put["priority"], 1);
    assert_eq!(put["actions"]["token"]["refreshTokenLifetimeMinutes"], 120);
    assert_eq!(
        status(app.post(&format!("{path}/lifecycle/deactivate"), &json!({}))).await,
        204
    );
    assert_eq!(json(app.get(&path), 200).await["status"], "INACTIVE");
    assert_eq!(
        status(app.post(&format!("{path}/lifecycle/activate"), &json!({}))).await,
        204
    );
    assert_eq!(json(app.get(&path), 200).await["status"], "ACTIVE");
    assert_eq!(status(app.delete(&path)).await, 204);
    assert_eq!(
        assert_okta_error(&json(app.get(&path), 404).await, "E0000007"),
        format!("Not found: Resource not found: {id} (PolicyRule)")
    );
    assert_eq!(
        events_for(&app, id).await,
        [
            "policy.rule.add",
            "policy.rule.update",
            "policy.rule.deactivate",
            "policy.rule.activate",
            "policy.rule.delete"
        ]
    );

    // Deleting the policy deletes its rules.
    let remaining = json(app.get(&base), 200).await;
    let other = remaining[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        status(app.delete(&format!("{policies}/{}", p["id"].as_str().unwrap()))).await,
        204
    );
    assert_okta_error(
        &json(app.get(&format!("{base}/{other}")), 404).await,
        "E0000007",
    );
    let store = app.open_store().await;
    let config = store
        .server_config(s["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(config.policies.is_empty());
    store.close().await;
    app.finish().await;
}
