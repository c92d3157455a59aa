//! App assignments: users directly and through groups, `Everyone`, app links, a group's apps.

use serde_json::{Value, json};

use super::{create_app, ids_of};
use crate::backend_tests;
use crate::directory::collect_pages;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    users_assigned_directly,
    groups_assigned_and_derived_users,
    everyone_covers_all_users_and_app_links,
);

pub(super) async fn create_user(app: &TestApp, login: &str) -> String {
    let body =
        json!({"profile": {"firstName": "Ann", "lastName": "Lee", "email": login, "login": login}});
    let user = json(app.post("/api/v1/users?activate=true", &body), 200).await;
    user["id"].as_str().unwrap().to_owned()
}

pub(super) async fn create_group(app: &TestApp, name: &str) -> String {
    let group = json(
        app.post("/api/v1/groups", &json!({"profile": {"name": name}})),
        200,
    )
    .await;
    group["id"].as_str().unwrap().to_owned()
}

pub(super) async fn add_member(app: &TestApp, group: &str, user: &str) {
    let resp = send(app.put(&format!("/api/v1/groups/{group}/users/{user}"), &json!({}))).await;
    assert_eq!(resp.status(), 204);
}

/// Adds custom properties to an app's app user schema (profiles are checked against it):
/// `{"name": "type"}`; `n` is an array of its type.
async fn define_app_user_properties(app: &TestApp, app_id: &str, props: Value) {
    let defs: serde_json::Map<String, Value> = props
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, t)| {
            let def = match k.as_str() {
                "n" => json!({"title": k, "type": "array", "items": {"type": t}}),
                _ => json!({"title": k, "type": t}),
            };
            (k.clone(), def)
        })
        .collect();
    let body = json!({"definitions": {"custom": {"properties": defs}}});
    json(
        app.post(
            &format!("/api/v1/meta/schemas/apps/{app_id}/default"),
            &body,
        ),
        200,
    )
    .await;
}

pub(super) async fn new_app_id(app: &TestApp, label: &str) -> String {
    create_app(app, label).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn users_assigned_directly(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let app_id = new_app_id(&app, "Direct").await;
    define_app_user_properties(&app, &app_id, json!({"role": "string", "n": "integer"})).await;
    let alice = create_user(&app, "Alice.Doe@example.com").await;
    let bob = create_user(&app, "bob@example.com").await;
    let users = format!("/api/v1/apps/{app_id}/users");

    let au = json(
        app.post(&users, &json!({"id": alice, "scope": "USER"})),
        200,
    )
    .await;
    assert_eq!(au["id"], alice.as_str());
    assert_eq!(au["scope"], "USER");
    assert_eq!(au["status"], "ACTIVE");
    assert_eq!(au["syncState"], "DISABLED");
    assert_eq!(au["externalId"], Value::Null);
    assert_eq!(au["credentials"]["userName"], "Alice.Doe@example.com");
    assert_eq!(au["profile"], json!({}));
    assert_eq!(
        au["_links"]["app"]["href"],
        format!("{}/api/v1/apps/{app_id}", app.base)
    );
    assert_eq!(
        au["_links"]["user"]["href"],
        format!("{}/api/v1/users/{alice}", app.base)
    );

    let custom = json!({"id": bob, "scope": "USER", "credentials": {"userName": "bobby"}, "profile": {"role": "admin", "n": [1]}});
    let au = json(app.post(&users, &custom), 200).await;
    assert_eq!(au["credentials"]["userName"], "bobby");
    assert_eq!(au["profile"], json!({"role": "admin", "n": [1]}));

    let one = json(app.get(&format!("{users}/{bob}")), 200).await;
    assert_eq!(one, au);
    let updated = json(
        app.post(
            &format!("{users}/{bob}"),
            &json!({"profile": {"role": "viewer"}}),
        ),
        200,
    )
    .await;
    assert_eq!(updated["credentials"]["userName"], "bobby");
    assert_eq!(updated["profile"], json!({"role": "viewer"}));
    assert_eq!(updated["created"], au["created"]);

    let (listed, _) = collect_pages(&app, &users).await;
    let mut ids: Vec<_> = ids_of(&listed);
    let mut expected = vec![alice.clone(), bob.clone()];
    ids.sort();
    expected.sort();
    assert_eq!(ids, expected);

    let (apps, _) = collect_pages(
        &app,
        &format!("/api/v1/apps?filter=user.id+eq+%22{alice}%22&expand=user/{alice}"),
    )
    .await;
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["id"], app_id.as_str());
    let embedded = &apps[0]["_embedded"]["user"];
    assert_eq!(embedded["id"], alice.as_str());
    assert_eq!(embedded["credentials"]["userName"], "Alice.Doe@example.com");

    let err = json(app.post(&users, &json!({"scope": "USER"})), 400).await;
    assert_eq!(
        err["errorCauses"][0]["errorSummary"],
        "id: The field cannot be left blank"
    );
    let err = json(
        app.post(
            &users,
            &json!({"id": alice, "credentials": {"userName": ""}}),
        ),
        400,
    )
    .await;
    assert_okta_error(&err, "E0000001");

    let resp = send(app.delete(&format!("{users}/{alice}"))).await;
    assert_eq!(resp.status(), 204);
    let gone = json(app.get(&format!("{users}/{alice}")), 404).await;
    assert_eq!(
        assert_okta_error(&gone, "E0000007"),
        format!("Not found: Resource not found: {alice} (AppUser)")
    );
    assert_okta_error(
        &json(app.delete(&format!("{users}/{alice}")), 404).await,
        "E0000007",
    );
    assert_okta_error(
        &json(app.post(&format!("{users}/{alice}"), &json!({})), 404).await,
        "E0000007",
    );

    // Deleting a user (twice: deprovision, then delete) removes the assignment.
    for _ in 0..2 {
        let resp = send(app.delete(&format!("/api/v1/users/{bob}"))).await;
        assert_eq!(resp.status(), 204);
    }
    let (listed, _) = collect_pages(&app, &users).await;
    assert!(listed.is_empty(), "{listed:?}");
    app.finish().await;
}

async fn groups_assigned_and_derived_users(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let app_id = new_app_id(&app, "Via group").await;
    define_app_user_properties(&app, &app_id, json!({"x": "integer", "tier": "string"})).await;
    let other_app = new_app_id(&app, "Unrelated").await;
    let carol = create_user(&app, "carol@example.com").await;
    let dave = create_user(&app, "dave@example.com").await;
    let staff = create_group(&app, "Staff").await;
    let sales = create_group(&app, "Sales").await;
    add_member(&app, &staff, &carol).await;
    let groups = format!("/api/v1/apps/{app_id}/groups");

    let ag = json(app.put(&format!("{groups}/{staff}"), &json!({})), 200).await;
    assert_eq!(ag["id"], staff.as_str());
    assert_eq!(ag["priority"], 0);
    assert_eq!(ag["profile"], json!({}));
    assert_eq!(
        ag["_links"]["group"]["href"],
        format!("{}/api/v1/groups/{staff}", app.base)
    );
    assert_eq!(
        ag["_links"]["self"]["href"],
        format!("{}/api/v1/apps/{app_id}/groups/{staff}", app.base)
    );
    assert_eq!(
        ag["_links"]["app"]["href"],
        format!("{}/api/v1/apps/{app_id}", app.base)
    );
    let empty = send(app.req(reqwest::Method::PUT, &format!("{groups}/{sales}"))).await;
    assert_eq!(empty.status(), 200);
    assert_eq!(empty.json::<Value>().await.unwrap()["priority"], 1);
    let changed = json(
        app.put(
            &format!("{groups}/{sales}"),
            &json!({"priority": 5, "profile": {"tier": "gold"}}),
        ),
        200,
    )
    .await;
    assert_eq!(
        (changed["priority"].clone(), changed["profile"].clone()),
        (json!(5), json!({"tier": "gold"}))
    );
    assert_eq!(
        json(app.get(&format!("{groups}/{sales}")), 200).await,
        changed
    );
    let bad = json(
        app.put(&format!("{groups}/{sales}"), &json!({"priority": -1})),
        400,
    )
    .await;
    assert_eq!(
        bad["errorCauses"][0]["errorSummary"],
        "priority: must be a non-negative integer"
    );

    let (assigned, _) = collect_pages(&app, &groups).await;
    assert_eq!(assigned.len(), 2);

    // Carol is assigned through Staff; Dave is not assigned at all.
    let users = format!("/api/v1/apps/{app_id}/users");
    let via = json(app.get(&format!("{users}/{carol}")), 200).await;
    assert_eq!(via["scope"], "GROUP");
    assert_eq!(via["credentials"]["userName"], "carol@example.com");
    assert_okta_error(
        &json(app.get(&format!("{users}/{dave}")), 404).await,
        "E0000007",
    );
    json(app.post(&users, &json!({"id": dave})), 200).await;
    let (listed, _) = collect_pages(&app, &users).await;
    let scopes: Vec<_> = listed
        .iter()
        .map(|u| (u["id"].as_str().unwrap().to_owned(), u["scope"].clone()))
        .collect();
    assert!(
        scopes.contains(&(carol.clone(), json!("GROUP"))),
        "{scopes:?}"
    );
    assert!(
        scopes.contains(&(dave.clone(), json!("USER"))),
        "{scopes:?}"
    );
    assert_eq!(scopes.len(), 2);

    // Updating a group-derived user gives the user a direct assignment.
    let direct = json(
        app.post(&format!("{users}/{carol}"), &json!({"profile": {"x": 1}})),
        200,
    )
    .await;
    assert_eq!(direct["scope"], "USER");
    assert_eq!(direct["credentials"]["userName"], "carol@example.com");
    send(app.delete(&format!("{users}/{carol}"))).await;
    assert_eq!(
        json(app.get(&format!("{users}/{carol}")), 200).await["scope"],
        "GROUP"
    );

    // The group's apps, the user's app links and the group.id filter agree.
    let (group_apps, _) = collect_pages(&app, &format!("/api/v1/groups/{staff}/apps")).await;
    assert_eq!(group_apps.len(), 1);
    assert_eq!(group_apps[0]["id"], app_id.as_str());
    let (filtered, _) = collect_pages(
        &app,
        &format!("/api/v1/apps?filter=group.id%20eq%20%22{staff}%22"),
    )
    .await;
    assert_eq!(filtered.len(), 1);
    let links = json(app.get(&format!("/api/v1/users/{carol}/appLinks")), 200).await;
    assert_eq!(links.as_array().unwrap().len(), 1);
    let link = &links[0];
    assert_eq!(link["appInstanceId"], app_id.as_str());
    assert_eq!(link["appName"], "oidc_client");
    assert_eq!(link["label"], "Via group");
    assert!(
        link["linkUrl"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/home/oidc_client/{app_id}/aln", app.base))
    );
    assert!(!links.to_string().contains(&other_app));

    let resp = send(app.delete(&format!("{groups}/{staff}"))).await;
    assert_eq!(resp.status(), 204);
    assert_okta_error(
        &json(app.get(&format!("{users}/{carol}")), 404).await,
        "E0000007",
    );
    let gone = json(app.get(&format!("{groups}/{staff}")), 404).await;
    assert_eq!(
        assert_okta_error(&gone, "E0000007"),
        format!("Not found: Resource not found: {staff} (AppGroup)")
    );
    assert_okta_error(
        &json(app.delete(&format!("{groups}/{staff}")), 404).await,
        "E0000007",
    );
    assert_eq!(
        json(app.get(&format!("/api/v1/users/{carol}/appLinks")), 200).await,
        json!([])
    );
    app.finish().await;
}

async fn everyone_covers_all_users_and_app_links(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let app_id = new_app_id(&app, "For everyone").await;
    let erin = create_user(&app, "erin@example.com").await;
    let frank = create_user(&app, "frank@example.com").await;
    let (everyone, _) = collect_pages(&app, "/api/v1/groups?q=Everyone").await;
    let everyone = everyone[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        json(app.get(&format!("/api/v1/users/{erin}/appLinks")), 200).await,
        json!([])
    );

    json(
        app.put(
            &format!("/api/v1/apps/{app_id}/groups/{everyone}"),
            &json!({}),
        ),
        200,
    )
    .await;
    let (listed, _) = collect_pages(&app, &format!("/api/v1/apps/{app_id}/users")).await;
    let ids: Vec<_> = listed.iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&erin.as_str()) && ids.contains(&frank.as_str()),
        "{ids:?}"
    );
    assert!(listed.iter().all(|u| u["scope"] == "GROUP"));
    let links = json(app.get(&format!("/api/v1/users/{frank}/appLinks")), 200).await;
    assert_eq!(links[0]["appInstanceId"], app_id.as_str());

    // Inactive apps have no link.
    json(
        app.post(
            &format!("/api/v1/apps/{app_id}/lifecycle/deactivate"),
            &json!({}),
        ),
        200,
    )
    .await;
    assert_eq!(
        json(app.get(&format!("/api/v1/users/{frank}/appLinks")), 200).await,
        json!([])
    );

    let store = app.open_store().await;
    assert!(store.is_user_assigned(&app_id, &erin).await.unwrap());
    store.close().await;
    app.finish().await;
}
