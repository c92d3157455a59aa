//! Security > API > Authorization Servers: the list, Add Authorization Server, and a server's
//! Settings, Scopes and Keys tabs, each saved through the API's own functions; what a read-only
//! admin may do on every tab.

use serde_json::Value;

use super::access::with_admin;
use super::{Browser, assert_console_headers, location};
use crate::backend_tests;
use crate::oauth::last_event;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};

backend_tests!(
    servers_are_listed_added_edited_and_deactivated_through_the_api,
    scopes_and_keys_change_as_the_api_changes_them,
    a_read_only_admin_sees_every_tab_and_changes_nothing,
);

pub const BASE: &str = "/admin/authorization-servers";

/// Adds a server through the console; its id.
pub async fn add_server(app: &TestApp, browser: &Browser, name: &str) -> String {
    let fields = [
        ("name", name),
        ("audience", "api://orders"),
        ("description", "Orders API"),
    ];
    let added = browser.submit(&format!("{BASE}/new"), BASE, &fields).await;
    assert_eq!(added.status(), 303);
    let found = json(
        app.get(&format!("/api/v1/authorizationServers?q={name}")),
        200,
    )
    .await;
    let id = found[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(location(&added), format!("{BASE}/{id}?saved=created"));
    id
}

async fn servers_are_listed_added_edited_and_deactivated_through_the_api(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let list = browser.get(BASE).await;
    assert_console_headers(&list);
    let html = list.text().await.unwrap();
    assert!(
        html.contains(&format!("<a href=\"{BASE}/default\">default</a>")),
        "{html}"
    );
    assert!(html.contains("<a href=\"/admin/authorization-servers\">API</a>"));
    assert!(html.contains("Add Authorization Server"));

    let id = add_server(&app, &browser, "Orders").await;
    let server = json(app.get(&format!("/api/v1/authorizationServers/{id}")), 200).await;
    assert_eq!(server["audiences"], serde_json::json!(["api://orders"]));
    assert_eq!(server["description"], "Orders API");
    let event = last_event(&app, "oauth2.as.created").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");

    let page = format!("{BASE}/{id}");
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("<nav aria-label=\"Authorization server\">"),
        "{html}"
    );
    assert!(html.contains(&format!("{page}/token-preview\">Token Preview</a>")));
    assert!(html.contains(&format!("/oauth2/{id}</code>")), "{html}");
    let edit = browser
        .get(&format!("{page}?edit=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        edit.contains("<label for=\"f-audience\">Audience</label>"),
        "{edit}"
    );
    let fields = [
        ("name", "Orders v2"),
        ("audience", "api://billing"),
        ("description", ""),
    ];
    let saved = browser.submit(&page, &page, &fields).await;
    assert_eq!(saved.status(), 303);
    let server = json(app.get(&format!("/api/v1/authorizationServers/{id}")), 200).await;
    assert_eq!(server["name"], "Orders v2");
    assert_eq!(server["audiences"], serde_json::json!(["api://billing"]));
    assert_eq!(server.get("description"), None);

    let two = "api://orders api://billing";
    let blank = [
        ("name", "Orders v2"),
        ("audience", two),
        ("description", ""),
    ];
    let refused = browser.submit(&page, &page, &blank).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("aria-describedby=\"f-audience-error\""),
        "{html}"
    );
    assert!(html.contains("Exactly one audience is supported"), "{html}");

    let off = browser
        .submit(&page, &format!("{page}/lifecycle/deactivate"), &[])
        .await;
    assert_eq!(location(&off), format!("{page}?saved=deactivated"));
    let server = json(app.get(&format!("/api/v1/authorizationServers/{id}")), 200).await;
    assert_eq!(server["status"], "INACTIVE");
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(html.contains(">Activate</button>"), "{html}");
    app.finish().await;
}

async fn scopes_and_keys_change_as_the_api_changes_them(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let id = add_server(&app, &browser, "Orders").await;
    let page = format!("{BASE}/{id}/scopes");
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("<code>openid</code>") && !html.contains("Delete openid"),
        "{html}"
    );
    let fields = [
        ("name", "orders:read"),
        ("displayName", "Read your orders"),
        ("description", "Lets the app read orders"),
        ("default", "on"),
        ("consent", "on"),
    ];
    let added = browser.submit(&page, &page, &fields).await;
    assert_eq!(added.status(), 303);
    let scopes = json(
        app.get(&format!(
            "/api/v1/authorizationServers/{id}/scopes?q=orders"
        )),
        200,
    )
    .await;
    let scope = &scopes[0];
    assert_eq!(
        (&scope["displayName"], &scope["default"], &scope["consent"]),
        (
            &Value::from("Read your orders"),
            &Value::from(true),
            &Value::from("REQUIRED")
        )
    );
    let again = browser.submit(&page, &page, &fields).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("id=\"f-name-error\""));
    let scope_id = scope["id"].as_str().unwrap();
    let deleted = browser
        .submit(&page, &format!("{page}/{scope_id}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), 303);
    let scopes = json(
        app.get(&format!(
            "/api/v1/authorizationServers/{id}/scopes?q=orders"
        )),
        200,
    )
    .await;
    assert_eq!(scopes.as_array().unwrap().len(), 0);

    let keys_page = format!("{BASE}/{id}/keys");
    let before = json(
        app.get(&format!(
            "/api/v1/authorizationServers/{id}/credentials/keys"
        )),
        200,
    )
    .await;
    let active = |keys: &Value| {
        keys.as_array()
            .unwrap()
            .iter()
            .find(|k| k["status"] == "ACTIVE")
            .unwrap()["kid"]
            .clone()
    };
    let html = browser.get(&keys_page).await.text().await.unwrap();
    assert!(html.contains(active(&before).as_str().unwrap()), "{html}");
    let rotated = browser
        .submit(&keys_page, &format!("{keys_page}/rotate"), &[])
        .await;
    assert_eq!(location(&rotated), format!("{keys_page}?rotated=1"));
    let after = json(
        app.get(&format!(
            "/api/v1/authorizationServers/{id}/credentials/keys"
        )),
        200,
    )
    .await;
    assert_ne!(active(&before), active(&after));
    let event = last_event(&app, "app.oauth2.as.key.rollover").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    app.finish().await;
}

async fn a_read_only_admin_sees_every_tab_and_changes_nothing(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let server = format!("{BASE}/default");
    let api = "/api/v1/authorizationServers/default";
    let before = (
        json(app.get(api), 200).await["name"].clone(),
        json(app.get(&format!("{api}/scopes")), 200).await,
        json(app.get(&format!("{api}/claims")), 200).await,
        json(app.get(&format!("{api}/policies")), 200).await,
    );
    let browser = Browser::signed_in(&app, "ro@acme.com").await;
    let list = browser.get(BASE).await.text().await.unwrap();
    assert!(
        list.contains(">default</a>") && !list.contains("Add Authorization Server"),
        "{list}"
    );
    for tab in ["", "/scopes", "/claims", "/policies", "/keys"] {
        let resp = browser.get(&format!("{server}{tab}")).await;
        assert_eq!(resp.status(), 200, "{tab}");
        let html = resp.text().await.unwrap();
        assert!(!html.contains(">Delete "), "{tab}: {html}");
    }
    let settings = browser.get(&server).await.text().await.unwrap();
    assert!(
        settings.contains("<button type=\"submit\" disabled>Edit</button>"),
        "{settings}"
    );
    let keys = browser
        .get(&format!("{server}/keys"))
        .await
        .text()
        .await
        .unwrap();
    assert!(keys.contains(" disabled>Rotate Keys</button>"), "{keys}");
    for page in [
        format!("{BASE}/new"),
        format!("{server}/claims/new"),
        format!("{server}/policies/new"),
    ] {
        assert_eq!(browser.get(&page).await.status(), 403, "{page}");
    }
    let posts = [
        (
            BASE.to_owned(),
            vec![("name", "Nope"), ("audience", "api://nope")],
        ),
        (
            server.clone(),
            vec![("name", "Nope"), ("audience", "api://nope")],
        ),
        (format!("{server}/lifecycle/deactivate"), vec![]),
        (format!("{server}/scopes"), vec![("name", "nope")]),
        (
            format!("{server}/claims"),
            vec![
                ("name", "nope"),
                ("valueType", "EXPRESSION"),
                ("value", "1"),
            ],
        ),
        (
            format!("{server}/policies"),
            vec![("name", "Nope"), ("description", "Nope")],
        ),
        (format!("{server}/keys/rotate"), vec![]),
    ];
    for (path, fields) in &posts {
        let resp = browser.submit(&server, path, fields).await;
        assert_eq!(resp.status(), 403, "{path}");
    }
    let after = (
        json(app.get(api), 200).await["name"].clone(),
        json(app.get(&format!("{api}/scopes")), 200).await,
        json(app.get(&format!("{api}/claims")), 200).await,
        json(app.get(&format!("{api}/policies")), 200).await,
    );
    assert_eq!(before, after);
    let servers = json(app.get("/api/v1/authorizationServers?q=Nope"), 200).await;
    assert_eq!(servers.as_array().unwrap().len(), 0);

    // A super admin's post without the page's token changes nothing either.
    let ada = Browser::signed_in(&app, "ada@acme.com").await;
    assert_eq!(ada.get(&server).await.status(), 200);
    let forged = ada
        .post(
            &server,
            &[
                ("csrf", "forged-000000000000"),
                ("name", "Forged"),
                ("audience", "api://x"),
            ],
        )
        .await;
    assert_eq!(forged.status(), 403);
    assert_eq!(json(app.get(api), 200).await["name"], before.0);
    app.finish().await;
}
