//! What an active rule does to memberships: user create and update, activation, deactivation,
//! deletion with `removeUsers`, exclusions and manual removal.

use serde_json::json;

use super::{ENG, RULES, group, lifecycle, members, rule, rule_body, set_department, sorted, user};
use crate::authz::{events_for, status};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json};

backend_tests!(
    evaluation_on_users_and_lifecycle,
    exclusions_and_manual_removal,
);

async fn evaluation_on_users_and_lifecycle(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let g = group(&app, "Engineers").await;
    let before = user(&app, "before", "Engineering").await;
    let sales = user(&app, "sales", "Sales").await;
    let manual = user(&app, "manual", "Sales").await;
    assert_eq!(
        status(app.put(&format!("/api/v1/groups/{g}/users/{manual}"), &json!({}))).await,
        204
    );
    let id = rule(&app, "Eng", ENG, &[&g]).await;
    assert_eq!(
        members(&app, &g).await,
        sorted(&[&manual]),
        "an inactive rule does nothing"
    );

    lifecycle(&app, &id, "activate").await;
    assert_eq!(
        members(&app, &g).await,
        sorted(&[&manual, &before]),
        "activation evaluates existing users"
    );
    let created = user(&app, "created", "Engineering").await;
    assert_eq!(
        members(&app, &g).await,
        sorted(&[&manual, &before, &created]),
        "user create"
    );
    set_department(&app, &sales, "Engineering").await;
    set_department(&app, &before, "Sales").await;
    set_department(&app, &manual, "Support").await;
    assert_eq!(
        members(&app, &g).await,
        sorted(&[&manual, &created, &sales]),
        "user update"
    );
    let events = events_for(&app, &before).await;
    assert!(
        events.contains(&"group.user_membership.add".to_owned()),
        "{events:?}"
    );
    assert!(
        events.contains(&"group.user_membership.remove".to_owned()),
        "{events:?}"
    );
    let groups = json(app.get(&format!("/api/v1/users/{created}/groups")), 200).await;
    assert!(
        groups
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == g.as_str())
    );

    // Deactivation keeps the memberships; an inactive rule ignores changes.
    lifecycle(&app, &id, "deactivate").await;
    set_department(&app, &created, "Sales").await;
    assert_eq!(
        members(&app, &g).await,
        sorted(&[&manual, &created, &sales]),
        "deactivated"
    );
    // Reactivation evaluates again: `created` no longer matches.
    lifecycle(&app, &id, "activate").await;
    assert_eq!(
        members(&app, &g).await,
        sorted(&[&manual, &sales]),
        "reactivated"
    );
    // Deleting with removeUsers removes what the rule made, not the manual membership.
    let resp = app
        .delete(&format!("{RULES}/{id}?removeUsers=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    assert_eq!(
        members(&app, &g).await,
        sorted(&[&manual]),
        "deleted with removeUsers"
    );
}

async fn exclusions_and_manual_removal(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let g = group(&app, "Engineers").await;
    let excluded = user(&app, "excluded", "Engineering").await;
    let other = user(&app, "other", "Engineering").await;
    let r = json(
        app.post(RULES, &rule_body("Eng", ENG, &[&g], &[&excluded])),
        200,
    )
    .await;
    let id = r["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r["conditions"]["people"],
        json!({"users": {"exclude": [excluded]}, "groups": {"exclude": []}})
    );
    lifecycle(&app, &id, "activate").await;
    assert_eq!(members(&app, &g).await, sorted(&[&other]));

    // Removing a rule-made membership by hand excludes the user from the rule.
    assert_eq!(
        status(app.delete(&format!("/api/v1/groups/{g}/users/{other}"))).await,
        204
    );
    let after = json(app.get(&format!("{RULES}/{id}")), 200).await;
    assert_eq!(
        after["conditions"]["people"]["users"]["exclude"],
        json!([excluded, other])
    );
    set_department(&app, &other, "Engineering").await;
    assert!(members(&app, &g).await.is_empty(), "not added back");
    let events = events_for(&app, &id).await;
    assert!(
        events.contains(&"group.user_membership.rule.add_exclusion".to_owned()),
        "{events:?}"
    );
}
