//! Groups through the management API: their shape and rules, listing with `q`, `filter`,
//! `search` and paging.

use reqwest::Method;
use serde_json::{Value, json};

use super::{collect_pages, create_group};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    groups_have_okta_shape_and_rules,
    groups_list_with_q_filter_search_and_paging,
);

async fn groups_have_okta_shape_and_rules(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let g = create_group(&app, "WestCoastDivision").await;
    let id = g["id"].as_str().unwrap();
    assert!(id.starts_with("00g") && id.len() == 20);
    assert_eq!(g["type"], "OKTA_GROUP");
    assert_eq!(g["objectClass"], json!(["okta:user_group"]));
    assert_eq!(
        g["profile"],
        json!({"name": "WestCoastDivision", "description": "Employees West of the Rockies"})
    );
    assert_eq!(
        g["_links"]["users"]["href"],
        format!("{}/api/v1/groups/{id}/users", app.base)
    );
    assert_eq!(
        g["_links"]["apps"]["href"],
        format!("{}/api/v1/groups/{id}/apps", app.base)
    );
    assert_eq!(g["_links"]["logo"].as_array().unwrap().len(), 2);
    for key in ["created", "lastUpdated", "lastMembershipUpdated"] {
        assert!(g[key].as_str().unwrap().ends_with('Z'), "{key}");
    }

    // The seed page's request: lower-case header, list holds the group.
    let seed = app
        .anon(Method::GET, "/api/v1/groups")
        .header("authorization", format!("SSWS {}", app.token))
        .header("accept", "application/json");
    let list = json(seed, 200).await;
    assert!(list.as_array().unwrap().iter().any(|x| x["id"] == id));

    let dup = json(
        app.post(
            "/api/v1/groups",
            &json!({"profile": {"name": "westcoastdivision"}}),
        ),
        400,
    )
    .await;
    assert_okta_error(&dup, "E0000001");
    assert_eq!(
        dup["errorCauses"][0]["errorSummary"],
        "name: An object with this field already exists in the current organization"
    );
    assert_okta_error(
        &json(app.post("/api/v1/groups", &json!({"profile": {}})), 400).await,
        "E0000001",
    );

    let missing = json(app.get("/api/v1/groups/00gnotthere000000000"), 404).await;
    assert_eq!(
        assert_okta_error(&missing, "E0000007"),
        "Not found: Resource not found: 00gnotthere000000000 (UserGroup)"
    );

    // Custom group properties are defined in the group schema first.
    let extra = json!({"extra": {"title": "Extra", "type": "array", "items": {"type": "integer"}}});
    let schema = json!({"definitions": {"custom": {"properties": extra}}});
    json(app.post("/api/v1/meta/schemas/group/default", &schema), 200).await;
    let renamed = json(
        app.put(
            &format!("/api/v1/groups/{id}"),
            &json!({"profile": {"name": "West", "extra": [1, 2]}}),
        ),
        200,
    )
    .await;
    assert_eq!(renamed["profile"], json!({"name": "West", "extra": [1, 2]}));

    let everyone = json(app.get("/api/v1/groups?q=Everyone"), 200).await;
    let everyone = &everyone[0];
    assert_eq!(everyone["type"], "BUILT_IN");
    let eid = everyone["id"].as_str().unwrap();
    assert_okta_error(
        &json(
            app.put(
                &format!("/api/v1/groups/{eid}"),
                &json!({"profile": {"name": "x"}}),
            ),
            403,
        )
        .await,
        "E0000006",
    );
    assert_okta_error(
        &json(app.delete(&format!("/api/v1/groups/{eid}")), 403).await,
        "E0000006",
    );

    assert_eq!(
        send(app.delete(&format!("/api/v1/groups/{id}")))
            .await
            .status(),
        204
    );
    json(app.get(&format!("/api/v1/groups/{id}")), 404).await;
    app.finish().await;
}

async fn groups_list_with_q_filter_search_and_paging(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for name in [
        "West Coast Users",
        "West Coast Admins",
        "WestCoastDivision",
        "East Coast",
        "Engineering_50%",
    ] {
        create_group(&app, name).await;
    }
    let names = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g["profile"]["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&json(app.get("/api/v1/groups?q=west"), 200).await).len(),
        3
    );
    assert_eq!(
        names(&json(app.get("/api/v1/groups?q=Engineering_5"), 200).await),
        ["Engineering_50%"]
    );
    assert_eq!(
        names(&json(app.get("/api/v1/groups?q=Engineering%255"), 200).await).len(),
        0,
        "% is literal"
    );
    let okta = json(
        app.get("/api/v1/groups?filter=type%20eq%20%22OKTA_GROUP%22"),
        200,
    )
    .await;
    assert_eq!(okta.as_array().unwrap().len(), 5);
    let builtin = json(
        app.get("/api/v1/groups?filter=type%20eq%20%22BUILT_IN%22"),
        200,
    )
    .await;
    assert_eq!(names(&builtin), ["Everyone"]);
    let search = json(app.get("/api/v1/groups?search=profile.name%20sw%20%22West%20Coast%22%20and%20type%20eq%20%22OKTA_GROUP%22"), 200).await;
    assert_eq!(names(&search).len(), 2);
    let bad = json(app.get("/api/v1/groups?filter=bogus%20zz%201"), 400).await;
    assert_eq!(
        assert_okta_error(&bad, "E0000031"),
        "Invalid search criteria."
    );
    let bad_attr = json(
        app.get("/api/v1/groups?search=_links.x%20eq%20%221%22"),
        400,
    )
    .await;
    assert_okta_error(&bad_attr, "E0000031");

    let (all, pages) = collect_pages(&app, "/api/v1/groups?limit=2").await;
    assert_eq!(all.len(), 6, "five groups and Everyone");
    assert_eq!(pages, 3);
    let mut ids: Vec<_> = all
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_owned())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 6);
    app.finish().await;
}
