//! Claims: the seed page's Step Three, expression checks, types, duplicates, system `sub`.

use serde_json::{Value, json};

use super::{AS, create_server, events_for, seed_claim_body, status};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(seed_step_three_claim, claims_crud_and_rules);

const SEED_EXPRESSION: &str = "getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)";

async fn seed_step_three_claim(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = create_server(&app, "Seed").await;
    for sid in [s["id"].as_str().unwrap(), "default"] {
        let created = json(
            app.post(&format!("{AS}/{sid}/claims"), &seed_claim_body()),
            201,
        )
        .await;
        let id = created["id"].as_str().unwrap();
        assert!(id.starts_with("ocl") && id.len() == 20);
        assert_eq!(created["value"], SEED_EXPRESSION);
        assert_eq!(created["claimType"], "IDENTITY");
        assert_eq!(created["status"], "ACTIVE");
        assert_eq!(created["alwaysIncludeInToken"], false);
        assert_eq!(created["conditions"], json!({"scopes": []}));
        assert_eq!(created["system"], false);
        let got = json(app.get(&format!("{AS}/{sid}/claims/{id}")), 200).await;
        assert_eq!(got["value"], SEED_EXPRESSION);
        assert_eq!(
            got["_links"]["self"]["href"],
            format!("{}{AS}/{sid}/claims/{id}", app.base)
        );
        let dup = json(
            app.post(&format!("{AS}/{sid}/claims"), &seed_claim_body()),
            400,
        )
        .await;
        assert_okta_error(&dup, "E0000001");
    }
    app.finish().await;
}

fn cause(body: &Value) -> String {
    body["errorCauses"][0]["errorSummary"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn claims_crud_and_rules(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = create_server(&app, "Claims").await;
    let sid = s["id"].as_str().unwrap();
    let base = format!("{AS}/{sid}/claims");
    let claim = |name: &str, extra: Value| {
        let mut body = json!({"name": name, "claimType": "RESOURCE", "valueType": "EXPRESSION",
                              "value": "user.login"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };

    let bad = json(
        app.post(&base, &claim("x", json!({"value": "user.login +"}))),
        400,
    )
    .await;
    assert_okta_error(&bad, "E0000001");
    let c = cause(&bad);
    assert!(c.starts_with("value: ") && c.contains('^'), "{c}");
    let limit = json(
        app.post(
            &base,
            &claim("g", json!({"value": "getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 100)"})),
        ),
        400,
    )
    .await;
    assert!(cause(&limit).contains("must be less than 100"), "{limit}");
    for reserved in ["sub", "iss", "aud", "scp"] {
        assert_okta_error(
            &json(app.post(&base, &claim(reserved, json!({}))), 400).await,
            "E0000001",
        );
    }
    for extra in [
        json!({"valueType": "SYSTEM"}),
        json!({"claimType": "BOTH"}),
        json!({"status": "MAYBE"}),
        json!({"valueType": "GROUPS", "value": "Sales"}),
        json!({"valueType": "GROUPS", "group_filter_type": "REGEX", "value": "(unclosed"}),
        json!({"conditions": {"scopes": ["nosuchscope"]}}),
    ] {
        let e = json(app.post(&base, &claim("c", extra.clone())), 400).await;
        assert_okta_error(&e, "E0000001");
    }

    let r = json(
        app.post(
            &base,
            &claim(
                "dept",
                json!({"alwaysIncludeInToken": false, "conditions": {"scopes": ["profile"]}}),
            ),
        ),
        201,
    )
    .await;
    assert_eq!(r["alwaysIncludeInToken"], true);
    assert_eq!(r["conditions"]["scopes"], json!(["profile"]));
    // Same name, other type: allowed. Same name and type: refused.
    json(
        app.post(&base, &claim("dept", json!({"claimType": "IDENTITY"}))),
        201,
    )
    .await;
    assert_okta_error(
        &json(app.post(&base, &claim("dept", json!({}))), 400).await,
        "E0000001",
    );

    let groups = json(
        app.post(
            &base,
            &claim("groups", json!({"claimType": "IDENTITY", "valueType": "GROUPS",
                                    "group_filter_type": "REGEX", "value": ".*", "status": "INACTIVE"})),
        ),
        201,
    )
    .await;
    assert_eq!(groups["group_filter_type"], "REGEX");
    assert_eq!(groups["valueType"], "GROUPS");
    assert_eq!(groups["status"], "INACTIVE");

    let id = r["id"].as_str().unwrap();
    let path = format!("{base}/{id}");
    let put = json(
        app.put(
            &path,
            &claim("department", json!({"value": "user.department"})),
        ),
        200,
    )
    .await;
    assert_eq!(put["name"], "department");
    assert_eq!(put["value"], "user.department");
    assert_eq!(put["conditions"]["scopes"], json!([]));
    let all = json(app.get(&base), 200).await;
    assert_eq!(all.as_array().unwrap().len(), 4, "sub + 3");
    assert_eq!(status(app.delete(&path)).await, 204);
    assert_okta_error(&json(app.get(&path), 404).await, "E0000007");
    assert_eq!(
        events_for(&app, id).await,
        [
            "oauth2.claim.created",
            "oauth2.claim.updated",
            "oauth2.claim.deleted"
        ]
    );

    let sub = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "sub")
        .unwrap();
    let sub_path = format!("{base}/{}", sub["id"].as_str().unwrap());
    assert_okta_error(&json(app.delete(&sub_path), 403).await, "E0000006");
    let edited = json(
        app.put(
            &sub_path,
            &json!({"name": "sub", "claimType": "RESOURCE", "valueType": "EXPRESSION",
                                   "value": "app.clientId"}),
        ),
        200,
    )
    .await;
    assert_eq!(edited["value"], "app.clientId");
    assert_eq!(edited["system"], true);
    app.finish().await;
}
