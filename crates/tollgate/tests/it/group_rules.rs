//! Group rules through the management API: Okta's shapes, the lifecycle, and the memberships an
//! active rule makes and removes (user create and update, activation, deactivation, deletion,
//! exclusions, manual removal).

use serde_json::{Value, json};

use crate::authz::{events_for, status};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

mod evaluation;
mod orgfile;
mod tokens;

backend_tests!(crud_shapes_and_paging, replace_rules, bad_rules_refused,);

pub(crate) const RULES: &str = "/api/v1/groups/rules";
pub(crate) const ENG: &str = r#"user.department == "Engineering""#;

pub(crate) async fn group(app: &TestApp, name: &str) -> String {
    let g = json(
        app.post("/api/v1/groups", &json!({"profile": {"name": name}})),
        200,
    )
    .await;
    g["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn user(app: &TestApp, login: &str, department: &str) -> String {
    let body = json!({"profile": {
        "firstName": "Test", "lastName": login, "email": format!("{login}@example.com"),
        "login": format!("{login}@example.com"), "department": department,
    }});
    let u = json(app.post("/api/v1/users?activate=false", &body), 200).await;
    u["id"].as_str().unwrap().to_owned()
}

pub(crate) fn rule_body(name: &str, expression: &str, groups: &[&str], exclude: &[&str]) -> Value {
    let mut body = json!({
        "type": "group_rule",
        "name": name,
        "conditions": {"expression": {"value": expression, "type": "urn:okta:expression:1.0"}},
        "actions": {"assignUserToGroups": {"groupIds": groups}},
    });
    if !exclude.is_empty() {
        body["conditions"]["people"] = json!({"users": {"exclude": exclude}});
    }
    body
}

pub(crate) async fn rule(app: &TestApp, name: &str, expression: &str, groups: &[&str]) -> String {
    let r = json(
        app.post(RULES, &rule_body(name, expression, groups, &[])),
        200,
    )
    .await;
    r["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn lifecycle(app: &TestApp, id: &str, op: &str) {
    let path = format!("{RULES}/{id}/lifecycle/{op}");
    assert_eq!(status(app.post(&path, &json!({}))).await, 204, "{op}");
}

pub(crate) async fn members(app: &TestApp, group: &str) -> Vec<String> {
    let list = json(app.get(&format!("/api/v1/groups/{group}/users")), 200).await;
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

pub(crate) fn sorted(ids: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

pub(crate) async fn set_department(app: &TestApp, user: &str, department: &str) {
    let body = json!({"profile": {"department": department}});
    json(app.post(&format!("/api/v1/users/{user}"), &body), 200).await;
}

async fn crud_shapes_and_paging(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let g = group(&app, "Engineering").await;
    let created = json(
        app.post(RULES, &rule_body("Eng rule", ENG, &[&g], &[])),
        200,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("0pr") && id.len() == 20, "{id}");
    let keys: Vec<&str> = created
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "type",
            "id",
            "status",
            "name",
            "created",
            "lastUpdated",
            "conditions",
            "actions"
        ]
    );
    assert_eq!(created["type"], "group_rule");
    assert_eq!(created["status"], "INACTIVE");
    assert_eq!(
        created["conditions"],
        json!({"expression": {"value": ENG, "type": "urn:okta:expression:1.0"}})
    );
    assert_eq!(
        created["actions"],
        json!({"assignUserToGroups": {"groupIds": [g]}})
    );
    assert_eq!(json(app.get(&format!("{RULES}/{id}")), 200).await, created);

    let expanded = json(
        app.get(&format!("{RULES}/{id}?expand=groupIdToGroupNameMap")),
        200,
    )
    .await;
    assert_eq!(
        expanded["_embedded"],
        json!({"groupIdToGroupNameMap": {g.clone(): "Engineering"}})
    );

    rule(&app, "Sales rule", r#"user.department == "Sales""#, &[&g]).await;
    rule(&app, "Other", "true", &[&g]).await;
    // Creation order (rules made in the same millisecond are ordered by id).
    let all = json(app.get(RULES), 200).await;
    let ids_of = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Eng rule", "Other", "Sales rule"]);
    let found = json(app.get(&format!("{RULES}?search=rule")), 200).await;
    assert_eq!(found.as_array().unwrap().len(), 2);
    let resp = app.get(&format!("{RULES}?limit=2")).send().await.unwrap();
    let links = crate::apps::link_values(&resp);
    let page1 = ids_of(&resp.json::<Value>().await.unwrap());
    assert_eq!(page1.len(), 2);
    let last = &page1[1];
    assert!(
        links
            .iter()
            .any(|l| l.contains(&format!("after={last}")) && l.contains("rel=\"next\"")),
        "{links:?}"
    );
    let page2 = ids_of(&json(app.get(&format!("{RULES}?limit=2&after={last}")), 200).await);
    assert_eq!([page1, page2].concat(), ids_of(&all));

    lifecycle(&app, &id, "activate").await;
    assert_eq!(
        json(app.get(&format!("{RULES}/{id}")), 200).await["status"],
        "ACTIVE"
    );
    let deleted = app.delete(&format!("{RULES}/{id}")).send().await.unwrap();
    assert_eq!(deleted.status().as_u16(), 202);
    assert_eq!(deleted.json::<Value>().await.unwrap(), json!({}));
    let missing = json(app.get(&format!("{RULES}/{id}")), 404).await;
    assert_okta_error(&missing, "E0000007");
    let events = events_for(&app, &id).await;
    assert_eq!(
        events,
        [
            "group.rule.create",
            "group.user_membership.rule.trigger",
            "group.rule.delete"
        ],
    );
}

async fn replace_rules(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let g = group(&app, "G").await;
    let other = group(&app, "Other").await;
    let id = rule(&app, "R", ENG, &[&g]).await;
    let body = rule_body("R updated", r#"user.department == "Sales""#, &[&g], &[]);
    let replaced = json(app.put(&format!("{RULES}/{id}"), &body), 200).await;
    assert_eq!(replaced["name"], "R updated");
    assert_eq!(replaced["status"], "INACTIVE");
    assert_eq!(
        replaced["conditions"]["expression"]["value"],
        r#"user.department == "Sales""#
    );
    // The actions cannot change.
    let err = json(
        app.put(
            &format!("{RULES}/{id}"),
            &rule_body("R", ENG, &[&other], &[]),
        ),
        400,
    )
    .await;
    assert_okta_error(&err, "E0000001");
    // An active rule cannot be updated.
    lifecycle(&app, &id, "activate").await;
    let err = json(app.put(&format!("{RULES}/{id}"), &body), 400).await;
    assert_okta_error(&err, "E0000001");
    assert!(
        err["errorCauses"][0]["errorSummary"]
            .as_str()
            .unwrap()
            .contains("deactivate"),
        "{err}"
    );
    lifecycle(&app, &id, "deactivate").await;
    json(app.put(&format!("{RULES}/{id}"), &body), 200).await;
    assert_eq!(
        status(app.put(&format!("{RULES}/0prNOPE"), &body)).await,
        404
    );
    // Deleting a target group makes the rule INVALID: it can then only be read or deleted.
    assert_eq!(
        status(app.delete(&format!("/api/v1/groups/{g}"))).await,
        204
    );
    let invalid = json(app.get(&format!("{RULES}/{id}")), 200).await;
    assert_eq!(invalid["status"], "INVALID");
    let err = json(
        app.post(&format!("{RULES}/{id}/lifecycle/activate"), &json!({})),
        400,
    )
    .await;
    assert_okta_error(&err, "E0000001");
    json(app.put(&format!("{RULES}/{id}"), &body), 400).await;
    assert_eq!(status(app.delete(&format!("{RULES}/{id}"))).await, 202);
}

async fn bad_rules_refused(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let g = group(&app, "G").await;
    let err = json(
        app.post(RULES, &rule_body("R", "user.department ==", &[&g], &[])),
        400,
    )
    .await;
    assert_okta_error(&err, "E0000001");
    let cause = err["errorCauses"][0]["errorSummary"].as_str().unwrap();
    assert!(
        cause.starts_with("conditions.expression.value: Invalid expression"),
        "{cause}"
    );
    let err = json(
        app.post(RULES, &rule_body("R", "nope(user.login)", &[&g], &[])),
        400,
    )
    .await;
    assert_okta_error(&err, "E0000001");
    let err = json(
        app.post(RULES, &rule_body("R", ENG, &["00gMISSING"], &[])),
        400,
    )
    .await;
    assert!(
        err["errorCauses"][0]["errorSummary"]
            .as_str()
            .unwrap()
            .contains("does not exist"),
        "{err}"
    );
    let mut wrong_type = rule_body("R", ENG, &[&g], &[]);
    wrong_type["conditions"]["expression"]["type"] = json!("urn:okta:other");
    json(app.post(RULES, &wrong_type), 400).await;
    json(app.post(RULES, &rule_body("", ENG, &[&g], &[])), 400).await;
    let everyone = json(app.get("/api/v1/groups?q=Everyone"), 200).await;
    let everyone = everyone[0]["id"].as_str().unwrap();
    json(app.post(RULES, &rule_body("R", ENG, &[everyone], &[])), 400).await;
    assert_eq!(json(app.get(RULES), 200).await, json!([]));
    assert_eq!(
        status(app.post(&format!("{RULES}/0prNOPE/lifecycle/activate"), &json!({}))).await,
        404
    );
}
