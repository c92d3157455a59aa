//! Directory > Groups: the list and its search, Add group, a group's members (added by username,
//! removed) and applications; what each admin role may do there.

use serde_json::Value;

use super::access::with_admin;
use super::{Browser, assert_console_headers, location};
use crate::backend_tests;
use crate::oauth::last_event;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};

backend_tests!(
    the_list_searches_and_add_group_creates_through_the_api,
    members_are_added_by_username_and_removed_as_the_api_does,
    a_read_only_admin_sees_members_but_changes_nothing,
    a_group_membership_admin_changes_members_but_adds_no_group,
);

/// The logins of the group's members, as `GET /api/v1/groups/{id}/users` reads them.
async fn members(app: &TestApp, group: &str) -> Vec<String> {
    let users = json(app.get(&format!("/api/v1/groups/{group}/users")), 200).await;
    users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["profile"]["login"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_list_searches_and_add_group_creates_through_the_api(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let all = browser.get("/admin/groups").await;
    assert_console_headers(&all);
    let all = all.text().await.unwrap();
    let west = format!(
        "<a href=\"/admin/groups/{}\">WestCoastDivision</a>",
        s.groups[0]
    );
    assert!(all.contains(&west), "{all}");
    assert!(all.contains("<a href=\"/admin/groups\">Groups</a>"));
    let hit = browser
        .get("/admin/groups?q=west")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        hit.contains(&west) && !hit.contains(">Engineering</a>"),
        "{hit}"
    );
    let miss = browser
        .get("/admin/groups?q=zzz")
        .await
        .text()
        .await
        .unwrap();
    assert!(miss.contains("No groups found."));

    let fields = [("name", "Designers"), ("description", "People who design")];
    let added = browser
        .submit("/admin/groups/new", "/admin/groups", &fields)
        .await;
    assert_eq!(added.status(), 303);
    let found = json(app.get("/api/v1/groups?q=Designers"), 200).await;
    let id = found[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(found[0]["profile"]["description"], "People who design");
    assert_eq!(
        location(&added),
        format!("/admin/groups/{id}?saved=created")
    );
    let event = last_event(&app, "group.lifecycle.create").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    assert_eq!(event["target"][0]["id"], Value::String(id));

    let again = browser
        .submit("/admin/groups/new", "/admin/groups", &fields)
        .await;
    assert_eq!(again.status(), 422);
    let html = again.text().await.unwrap();
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"f-name-error\""),
        "{html}"
    );
    app.finish().await;
}

async fn members_are_added_by_username_and_removed_as_the_api_does(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let group = &s.groups[0];
    let page = format!("/admin/groups/{group}");
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(html.contains(">Annie Jackson</a>"), "{html}");
    assert!(html.contains(">Remove Annie Jackson</button>"), "{html}");
    assert!(html.contains("<label for=\"f-login\">Username</label>"));
    let apps = json(app.get(&format!("/api/v1/groups/{group}/apps")), 200).await;
    for a in apps.as_array().unwrap() {
        let label = a["label"].as_str().unwrap();
        assert!(html.contains(&format!(">{label}</a></li>")), "{label}");
    }
    assert!(html.contains("<h2>Applications</h2>"));

    let added = browser
        .submit(
            &page,
            &format!("{page}/members"),
            &[("login", "ada@acme.com")],
        )
        .await;
    assert_eq!(added.status(), 303);
    assert_eq!(location(&added), format!("{page}?saved=added"));
    assert!(
        members(&app, group)
            .await
            .contains(&"ada@acme.com".to_owned())
    );
    let event = last_event(&app, "group.user_membership.add").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    assert_eq!(event["target"][0]["alternateId"], "ada@acme.com");

    let unknown = browser
        .submit(
            &page,
            &format!("{page}/members"),
            &[("login", "nobody@acme.com")],
        )
        .await;
    assert_eq!(unknown.status(), 422);
    let html = unknown.text().await.unwrap();
    assert!(
        html.contains("<p class=\"error\" id=\"f-login-error\">No person has this username.</p>"),
        "{html}"
    );
    assert!(html.contains("value=\"nobody@acme.com\""));

    let remove = format!("{page}/members/{}/remove", s.user);
    let removed = browser.submit(&page, &remove, &[]).await;
    assert_eq!(removed.status(), 303);
    let now = members(&app, group).await;
    assert!(
        !now.contains(&"annie.jackson@acme.com".to_owned()),
        "{now:?}"
    );
    let event = last_event(&app, "group.user_membership.remove").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    app.finish().await;
}

async fn a_read_only_admin_sees_members_but_changes_nothing(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let group = &s.groups[0];
    let before = members(&app, group).await;
    let browser = Browser::signed_in(&app, "ro@acme.com").await;
    let list = browser.get("/admin/groups").await.text().await.unwrap();
    assert!(list.contains(">WestCoastDivision</a>") && !list.contains("Add group"));
    assert_eq!(browser.get("/admin/groups/new").await.status(), 403);
    let page = format!("/admin/groups/{group}");
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(html.contains(">Annie Jackson</a>"), "{html}");
    assert!(!html.contains("Remove Annie Jackson") && !html.contains("f-login"));
    let add = browser
        .submit(
            &page,
            &format!("{page}/members"),
            &[("login", "ro@acme.com")],
        )
        .await;
    assert_eq!(add.status(), 403);
    let remove = format!("{page}/members/{}/remove", s.user);
    assert_eq!(browser.submit(&page, &remove, &[]).await.status(), 403);
    let create = browser
        .submit(&page, "/admin/groups", &[("name", "Nope")])
        .await;
    assert_eq!(create.status(), 403);
    assert_eq!(members(&app, group).await, before);
    let nope = json(app.get("/api/v1/groups?q=Nope"), 200).await;
    assert_eq!(nope.as_array().unwrap().len(), 0);

    // A super admin's post without the page's token changes nothing either.
    let ada = Browser::signed_in(&app, "ada@acme.com").await;
    assert_eq!(ada.get(&page).await.status(), 200);
    let forged = ada.post(&remove, &[("csrf", "forged-000000000000")]).await;
    assert_eq!(forged.status(), 403);
    assert_eq!(members(&app, group).await, before);
    app.finish().await;
}

async fn a_group_membership_admin_changes_members_but_adds_no_group(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let gm = user(&app, "gm@acme.com").await;
    assign(&app, "users", &gm, "GROUP_MEMBERSHIP_ADMIN").await;
    let browser = Browser::signed_in(&app, "gm@acme.com").await;
    assert_eq!(browser.get("/admin/groups/new").await.status(), 403);
    let group = &s.groups[1];
    let page = format!("/admin/groups/{group}");
    let added = browser
        .submit(
            &page,
            &format!("{page}/members"),
            &[("login", "ada@acme.com")],
        )
        .await;
    assert_eq!(added.status(), 303);
    assert!(
        members(&app, group)
            .await
            .contains(&"ada@acme.com".to_owned())
    );
    let event = last_event(&app, "group.user_membership.add").await;
    assert_eq!(event["actor"]["alternateId"], "gm@acme.com");
    app.finish().await;
}
