//! An app's Assignments tab: people (with the user name and password a password-keeping app
//! stores) and groups assigned and removed through the API's own functions, read back through
//! the API; the API's refusals on the form; the password never shown; what a read-only admin
//! and a forged post can do (nothing).

use serde_json::{Value, json};

use super::access::with_admin;
use super::{Browser, assert_console_headers, location};
use crate::backend_tests;
use crate::oauth::last_event;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};

backend_tests!(
    people_and_groups_are_assigned_and_removed_as_the_api_does,
    an_app_without_passwords_asks_for_none_and_sends_none,
    a_read_only_admin_sees_assignments_but_changes_nothing,
);

const PASSWORD: &str = "Never-Shown-Pass-42";

/// A Basic Authentication app, as an SDK creates it; its id.
async fn basic_app(app: &TestApp) -> String {
    let body = json!({"name": "template_basic_auth", "label": "Intranet", "signOnMode": "BASIC_AUTH",
                      "settings": {"app": {"url": "https://intranet.example.com/", "authURL": "https://intranet.example.com/login"}}});
    json(app.post("/api/v1/apps", &body), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The app's direct and group assignments, as the API lists them.
async fn assigned(app: &TestApp, id: &str) -> (Vec<Value>, Vec<Value>) {
    let users = json(app.get(&format!("/api/v1/apps/{id}/users")), 200).await;
    let groups = json(app.get(&format!("/api/v1/apps/{id}/groups")), 200).await;
    let users = users.as_array().unwrap().clone();
    (users, groups.as_array().unwrap().clone())
}

async fn people_and_groups_are_assigned_and_removed_as_the_api_does(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let id = basic_app(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let tab = format!("/admin/apps/{id}/assignments");
    let resp = browser.get(&tab).await;
    assert_console_headers(&resp);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("aria-current=\"page\">Assignments</a>"),
        "{html}"
    );
    for label in ["Username", "User Name", "Password", "Group name"] {
        assert!(html.contains(&format!("\">{label}</label>")), "{label}");
    }
    let people = format!("{tab}/people");
    let fields = [
        ("login", "annie.jackson@acme.com"),
        ("userName", "annie.j"),
        ("password", PASSWORD),
    ];
    let made = browser.submit(&tab, &people, &fields).await;
    assert_eq!(made.status(), 303);
    assert_eq!(location(&made), format!("{tab}?saved=person"));
    let au = json(app.get(&format!("/api/v1/apps/{id}/users/{}", s.user)), 200).await;
    assert_eq!(au["credentials"]["userName"], "annie.j");
    assert_eq!(au["scope"], "USER");
    assert!(!au.to_string().contains(PASSWORD));
    let event = last_event(&app, "application.user_membership.add").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    let html = browser.get(&location(&made)).await.text().await.unwrap();
    assert!(
        html.contains("Person assigned.") && html.contains(">annie.j</td>"),
        "{html}"
    );
    assert!(!html.contains(PASSWORD));

    // Assigning again is the API's second POST: the assignment's user name is replaced.
    let again = [("login", "annie.jackson@acme.com"), ("userName", "annie.k")];
    assert_eq!(browser.submit(&tab, &people, &again).await.status(), 303);
    let (users, _) = assigned(&app, &id).await;
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["credentials"]["userName"], "annie.k");

    let unknown = browser
        .submit(
            &tab,
            &people,
            &[("login", "nobody@acme.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(unknown.status(), 422);
    let html = unknown.text().await.unwrap();
    assert!(
        html.contains("id=\"f-login-error\">No person has this username.</p>"),
        "{html}"
    );
    assert!(html.contains("value=\"nobody@acme.com\"") && !html.contains(PASSWORD));

    let groups = format!("{tab}/groups");
    let added = browser
        .submit(&tab, &groups, &[("group", "engineering")])
        .await;
    assert_eq!(location(&added), format!("{tab}?saved=group"));
    let ag = json(
        app.get(&format!("/api/v1/apps/{id}/groups/{}", s.groups[1])),
        200,
    )
    .await;
    assert_eq!(ag["priority"], 0);
    let event = last_event(&app, "group.application_assignment.add").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    let html = browser.get(&tab).await.text().await.unwrap();
    assert!(html.contains(">Engineering</a></td><td>0</td>"), "{html}");
    assert!(html.contains(">Remove Engineering</button>"), "{html}");
    let none = browser.submit(&tab, &groups, &[("group", "Nobody")]).await;
    assert_eq!(none.status(), 422);
    assert!(
        none.text()
            .await
            .unwrap()
            .contains("id=\"f-group-error\">No group has this name.")
    );

    let drop_group = format!("{groups}/{}/remove", s.groups[1]);
    assert_eq!(browser.submit(&tab, &drop_group, &[]).await.status(), 303);
    let drop_person = format!("{people}/{}/remove", s.user);
    assert_eq!(browser.submit(&tab, &drop_person, &[]).await.status(), 303);
    let (users, groups_left) = assigned(&app, &id).await;
    assert!(
        users.is_empty() && groups_left.is_empty(),
        "{users:?} {groups_left:?}"
    );
    let event = last_event(&app, "application.user_membership.remove").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    // Removing what is gone is the API's 404.
    let twice = browser.submit(&tab, &drop_person, &[]).await;
    assert_eq!(twice.status(), 404);
    assert!(twice.text().await.unwrap().contains("Not found"));
    app.finish().await;
}

async fn an_app_without_passwords_asks_for_none_and_sends_none(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let tab = format!("/admin/apps/{}/assignments", s.app_id);
    let html = browser.get(&tab).await.text().await.unwrap();
    assert!(html.contains("\">User Name</label>") && !html.contains("\">Password</label>"));
    let before = assigned(&app, &s.app_id).await;
    let people = format!("{tab}/people");
    let ada = [("login", "ada@acme.com"), ("password", PASSWORD)];
    // The form has no Password field: a crafted one is sent, and only what the scheme takes is.
    assert_eq!(browser.submit(&tab, &people, &ada).await.status(), 303);
    let (users, _) = assigned(&app, &s.app_id).await;
    assert_eq!(users.len(), before.0.len() + 1);
    app.finish().await;
}

async fn a_read_only_admin_sees_assignments_but_changes_nothing(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let id = basic_app(&app).await;
    json(
        app.put(
            &format!("/api/v1/apps/{id}/groups/{}", s.groups[0]),
            &json!({}),
        ),
        200,
    )
    .await;
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let before = assigned(&app, &id).await;
    let reader = Browser::signed_in(&app, "ro@acme.com").await;
    let tab = format!("/admin/apps/{id}/assignments");
    let html = reader.get(&tab).await.text().await.unwrap();
    assert!(html.contains(">WestCoastDivision</a>"), "{html}");
    assert!(!html.contains("Assign person") && !html.contains("Remove WestCoastDivision"));
    let people = format!("{tab}/people");
    let fields = [("login", "ro@acme.com"), ("password", PASSWORD)];
    assert_eq!(reader.submit(&tab, &people, &fields).await.status(), 403);
    let drop_group = format!("{tab}/groups/{}/remove", s.groups[0]);
    assert_eq!(reader.submit(&tab, &drop_group, &[]).await.status(), 403);
    let groups = format!("{tab}/groups");
    assert_eq!(
        reader
            .submit(&tab, &groups, &[("group", "Engineering")])
            .await
            .status(),
        403
    );
    assert_eq!(assigned(&app, &id).await, before);

    let ada = Browser::signed_in(&app, "ada@acme.com").await;
    assert_eq!(ada.get(&tab).await.status(), 200);
    let forged = ada
        .post(&drop_group, &[("csrf", "forged-000000000000")])
        .await;
    assert_eq!(forged.status(), 403);
    let forged = ada.post(&people, &[("login", "ada@acme.com")]).await;
    assert_eq!(forged.status(), 403);
    assert_eq!(assigned(&app, &id).await, before);
    app.finish().await;
}
