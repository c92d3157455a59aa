//! Assigning, listing, reading and unassigning roles of users and groups, and their targets.

use reqwest::Method;
use serde_json::json;

use super::{assign, group, user};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(user_and_group_roles, group_and_app_targets);

async fn user_and_group_roles(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let uid = user(&app, "ua@acme.com").await;
    let roles = format!("/api/v1/users/{uid}/roles");
    let ua = assign(&app, "users", &uid, "USER_ADMIN").await;
    assert_eq!(ua["id"], "KVJUKUS7IFCE2SKO");
    assert_eq!(ua["label"], "User Administrator");
    assert_eq!(ua["type"], "USER_ADMIN");
    assert_eq!(ua["status"], "ACTIVE");
    assert_eq!(ua["assignmentType"], "USER");
    assert!(ua["created"].as_str().unwrap().ends_with('Z'));
    assert_eq!(ua["lastUpdated"], ua["created"]);
    assert_eq!(
        ua["_links"],
        json!({"assignee": {"href": format!("{}/api/v1/users/{uid}", app.base)}})
    );
    let again = json(app.post(&roles, &json!({"type": "USER_ADMIN"})), 409).await;
    assert_okta_error(&again, "E0000090");
    for bad in [json!({"type": "NOT_A_ROLE"}), json!({})] {
        assert_okta_error(&json(app.post(&roles, &bad), 400).await, "E0000001");
    }
    assert_eq!(json(app.get(&roles), 200).await, json!([ua.clone()]));
    assert_eq!(
        json(app.get(&format!("{roles}/KVJUKUS7IFCE2SKO")), 200).await,
        ua
    );
    let missing = json(app.get(&format!("{roles}/IFIFAX2BIRGUSTQ")), 404).await;
    assert_okta_error(&missing, "E0000007");
    let nobody = json(
        app.post(
            "/api/v1/users/00unope/roles",
            &json!({"type": "USER_ADMIN"}),
        ),
        404,
    )
    .await;
    assert_okta_error(&nobody, "E0000007");

    let gid = group(&app, "Admins").await;
    let user_admin = assign(&app, "groups", &gid, "USER_ADMIN").await;
    let app_admin = assign(&app, "groups", &gid, "APP_ADMIN").await;
    assert_eq!(app_admin["id"], "IFIFAX2BIRGUSTQ");
    assert_eq!(app_admin["label"], "Application Administrator");
    assert_eq!(app_admin["assignmentType"], "GROUP");
    assert_eq!(
        app_admin["_links"]["assignee"]["href"],
        format!("{}/api/v1/groups/{gid}", app.base)
    );
    let group_roles = format!("/api/v1/groups/{gid}/roles");
    assert_eq!(
        json(app.get(&group_roles), 200).await,
        json!([app_admin.clone(), user_admin.clone()])
    );
    let gone = send(app.delete(&format!("{group_roles}/KVJUKUS7IFCE2SKO"))).await;
    assert_eq!(gone.status(), 204);
    assert_eq!(json(app.get(&group_roles), 200).await, json!([app_admin]));

    let gone = send(app.delete(&format!("{roles}/KVJUKUS7IFCE2SKO"))).await;
    assert_eq!(gone.status(), 204);
    assert_eq!(json(app.get(&roles), 200).await, json!([]));
    let twice = json(app.delete(&format!("{roles}/KVJUKUS7IFCE2SKO")), 404).await;
    assert_okta_error(&twice, "E0000007");

    // Assigning and revoking are in the System Log.
    let logs = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22user.account.privilege.grant%22"),
        200,
    )
    .await;
    assert_eq!(logs[0]["target"][0]["id"], uid.as_str());
    app.finish().await;
}

async fn group_and_app_targets(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let uid = user(&app, "ua@acme.com").await;
    let (g1, g2) = (group(&app, "West").await, group(&app, "East").await);
    assign(&app, "users", &uid, "USER_ADMIN").await;
    let targets = format!("/api/v1/users/{uid}/roles/KVJUKUS7IFCE2SKO/targets/groups");
    for g in [&g1, &g2] {
        let put = send(app.req(Method::PUT, &format!("{targets}/{g}"))).await;
        assert_eq!(put.status(), 204);
    }
    let listed = json(app.get(&targets), 200).await;
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [g1.as_str(), g2.as_str()]);
    assert_eq!(listed[0]["profile"]["name"], "West");
    assert_eq!(listed[0]["type"], "OKTA_GROUP");
    assert!(listed[0]["_links"]["users"]["href"].is_string());
    let removed = send(app.delete(&format!("{targets}/{g1}"))).await;
    assert_eq!(removed.status(), 204);
    let last = json(app.delete(&format!("{targets}/{g2}")), 400).await;
    assert_okta_error(&last, "E0000001");
    let not_one = json(app.delete(&format!("{targets}/{g1}")), 404).await;
    assert_okta_error(&not_one, "E0000007");
    let no_group = json(app.req(Method::PUT, &format!("{targets}/00gnope")), 404).await;
    assert_okta_error(&no_group, "E0000007");

    // A role without targets refuses them.
    assign(&app, "users", &uid, "REPORT_ADMIN").await;
    let report = format!(
        "/api/v1/users/{uid}/roles/{}/targets/groups/{g1}",
        "KJCVAT2SKRPUCRCNJFHA"
    );
    let refused = json(app.req(Method::PUT, &report), 400).await;
    assert_okta_error(&refused, "E0000001");

    // App admins are narrowed to catalog apps (or instances) on a group assignment too.
    let gid = group(&app, "App admins").await;
    assign(&app, "groups", &gid, "APP_ADMIN").await;
    let apps = format!("/api/v1/groups/{gid}/roles/IFIFAX2BIRGUSTQ/targets/catalog/apps");
    assert_eq!(json(app.get(&apps), 200).await, json!([]));
    let put = send(app.req(Method::PUT, &format!("{apps}/oidc_client"))).await;
    assert_eq!(put.status(), 204);
    let listed = json(app.get(&apps), 200).await;
    assert_eq!(listed[0]["name"], "oidc_client");
    assert!(listed[0].get("id").is_none());
    let unknown = json(app.req(Method::PUT, &format!("{apps}/salesforce")), 404).await;
    assert_okta_error(&unknown, "E0000007");
    let no_app = json(
        app.req(Method::PUT, &format!("{apps}/oidc_client/0oanope")),
        404,
    )
    .await;
    assert_okta_error(&no_app, "E0000007");
    app.finish().await;
}
