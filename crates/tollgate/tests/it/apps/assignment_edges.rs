//! App assignments at their edges: unknown ids answer typed 404s, and the assignment lists page with `Link`s.

use serde_json::{Value, json};

use super::assignments::{create_group, create_user, new_app_id};
use super::{ids_of, link_values};
use crate::backend_tests;
use crate::directory::collect_pages;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    unknown_ids_answer_404_with_types,
    assignment_lists_page_with_links,
);

async fn unknown_ids_answer_404_with_types(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let app_id = new_app_id(&app, "Known").await;
    let user = create_user(&app, "gina@example.com").await;
    let group = create_group(&app, "Known group").await;
    let nope_app = "0oaunknownunknown000";
    let nope_user = "00uunknownunknown000";
    let nope_group = "00gunknownunknown000";
    let summary = |body: &Value| assert_okta_error(body, "E0000007");

    let cases = [
        (
            json(
                app.post(
                    &format!("/api/v1/apps/{nope_app}/users"),
                    &json!({"id": user}),
                ),
                404,
            )
            .await,
            nope_app,
            "AppInstance",
        ),
        (
            json(app.get(&format!("/api/v1/apps/{nope_app}/users")), 404).await,
            nope_app,
            "AppInstance",
        ),
        (
            json(app.get(&format!("/api/v1/apps/{nope_app}/groups")), 404).await,
            nope_app,
            "AppInstance",
        ),
        (
            json(
                app.put(
                    &format!("/api/v1/apps/{nope_app}/groups/{group}"),
                    &json!({}),
                ),
                404,
            )
            .await,
            nope_app,
            "AppInstance",
        ),
        (
            json(
                app.post(
                    &format!("/api/v1/apps/{app_id}/users"),
                    &json!({"id": nope_user}),
                ),
                404,
            )
            .await,
            nope_user,
            "User",
        ),
        (
            json(
                app.put(
                    &format!("/api/v1/apps/{app_id}/groups/{nope_group}"),
                    &json!({}),
                ),
                404,
            )
            .await,
            nope_group,
            "UserGroup",
        ),
        (
            json(app.get(&format!("/api/v1/groups/{nope_group}/apps")), 404).await,
            nope_group,
            "UserGroup",
        ),
        (
            json(app.get(&format!("/api/v1/users/{nope_user}/appLinks")), 404).await,
            nope_user,
            "User",
        ),
    ];
    for (body, id, kind) in cases {
        assert_eq!(
            summary(&body),
            format!("Not found: Resource not found: {id} ({kind})")
        );
    }
    app.finish().await;
}

async fn assignment_lists_page_with_links(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let app_id = new_app_id(&app, "Paged").await;
    let mut users = Vec::new();
    for i in 0..5 {
        let u = create_user(&app, &format!("paged{i}@example.com")).await;
        json(
            app.post(&format!("/api/v1/apps/{app_id}/users"), &json!({"id": u})),
            200,
        )
        .await;
        users.push(u);
    }
    users.sort();
    let mut groups = Vec::new();
    for i in 0..3 {
        let g = create_group(&app, &format!("Paged {i}")).await;
        json(
            app.put(&format!("/api/v1/apps/{app_id}/groups/{g}"), &json!({})),
            200,
        )
        .await;
        groups.push(g);
    }
    groups.sort();

    let (listed, pages) =
        collect_pages(&app, &format!("/api/v1/apps/{app_id}/users?limit=2")).await;
    assert_eq!(pages, 3);
    let ids: Vec<_> = ids_of(&listed);
    assert_eq!(ids, users);

    let resp = send(app.get(&format!("/api/v1/apps/{app_id}/groups?limit=2"))).await;
    let links = link_values(&resp);
    assert_eq!(links.len(), 2, "{links:?}");
    assert_eq!(
        links[1],
        format!(
            "<{}/api/v1/apps/{app_id}/groups?limit=2&after={}>; rel=\"next\"",
            app.base, groups[1]
        )
    );
    let (listed, pages) =
        collect_pages(&app, &format!("/api/v1/apps/{app_id}/groups?limit=2")).await;
    assert_eq!(pages, 2);
    let ids: Vec<_> = ids_of(&listed);
    assert_eq!(ids, groups);

    let (group_apps, pages) =
        collect_pages(&app, &format!("/api/v1/groups/{}/apps?limit=1", groups[0])).await;
    assert_eq!((group_apps.len(), pages), (1, 1));

    // `q` narrows by user name or group name; `expand` embeds the user or the group.
    let (found, _) = collect_pages(
        &app,
        &format!("/api/v1/apps/{app_id}/users?q=PAGED3&expand=user&limit=1"),
    )
    .await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["credentials"]["userName"], "paged3@example.com");
    assert_eq!(
        found[0]["_embedded"]["user"]["profile"]["login"],
        "paged3@example.com"
    );
    assert_eq!(found[0]["_embedded"]["user"]["id"], found[0]["id"]);
    let (found, _) = collect_pages(
        &app,
        &format!("/api/v1/apps/{app_id}/groups?q=paged%201&expand=group"),
    )
    .await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["_embedded"]["group"]["profile"]["name"], "Paged 1");
    let (plain, _) = collect_pages(&app, &format!("/api/v1/apps/{app_id}/groups?q=paged")).await;
    assert_eq!(plain.len(), 3);
    assert!(plain.iter().all(|g| g.get("_embedded").is_none()));
    app.finish().await;
}
