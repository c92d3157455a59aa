//! Create App Integration: each kind the form offers becomes the app the API would make from
//! an SDK's body; a web client's secret is shown once and works; refusals come back on the
//! form; a read-only admin cannot create.

use reqwest::Method;

use super::access::with_admin;
use super::{Browser, assert_all_events_by, location, log_mark};
use crate::backend_tests;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json, send};

backend_tests!(each_kind_is_created_as_the_api_creates_it);

const NEW: &str = "/admin/apps/new";

/// The apps the API lists with this label.
async fn by_label(app: &TestApp, label: &str) -> serde_json::Value {
    let listed = json(app.get(&format!("/api/v1/apps?q={label}")), 200).await;
    listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["label"] == label)
        .cloned()
        .unwrap()
}

async fn each_kind_is_created_as_the_api_creates_it(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let mark = log_mark(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let list = browser.get("/admin/apps").await.text().await.unwrap();
    assert!(list.contains("href=\"/admin/apps/new\">Create App Integration</a>"));
    let form = browser.get(NEW).await.text().await.unwrap();
    for label in [
        "OIDC - Web Application",
        "OIDC - Single-Page Application",
        "Bookmark App",
        "App integration name",
    ] {
        assert!(form.contains(label), "{label}");
    }

    let web = [
        ("kind", "web"),
        ("label", "Portal"),
        ("redirect_uris", "https://portal.example.com/cb\n"),
    ];
    let made = browser.submit(NEW, NEW, &web).await;
    assert_eq!(made.status(), 201);
    let html = made.text().await.unwrap();
    let needle = "id=\"new-secret\" readonly value=\"";
    let at = html.find(needle).unwrap() + needle.len();
    let secret = &html[at..at + html[at..].find('"').unwrap()];
    assert_eq!(secret.len(), 64);
    let portal = by_label(&app, "Portal").await;
    let oauth = &portal["settings"]["oauthClient"];
    assert_eq!(oauth["application_type"], "web");
    assert_eq!(
        oauth["redirect_uris"],
        serde_json::json!(["https://portal.example.com/cb"])
    );
    let client_id = portal["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap();
    let intro = app
        .anon(Method::POST, "/oauth2/v1/introspect")
        .basic_auth(client_id, Some(secret))
        .form(&[("token", "x")]);
    assert_eq!(send(intro).await.status(), 200, "the secret shown works");

    let spa = [
        ("kind", "browser"),
        ("label", "Dashboard"),
        ("redirect_uris", "http://localhost:3000/cb"),
    ];
    let made = browser.submit(NEW, NEW, &spa).await;
    assert_eq!(made.status(), 303);
    let dashboard = by_label(&app, "Dashboard").await;
    assert_eq!(
        location(&made),
        format!("/admin/apps/{}", dashboard["id"].as_str().unwrap())
    );
    assert_eq!(
        dashboard["credentials"]["oauthClient"]["token_endpoint_auth_method"],
        "none"
    );

    let bookmark = [
        ("kind", "bookmark"),
        ("label", "Handbook"),
        ("url", "https://example.com/handbook"),
    ];
    assert_eq!(browser.submit(NEW, NEW, &bookmark).await.status(), 303);
    let handbook = by_label(&app, "Handbook").await;
    assert_eq!(handbook["signOnMode"], "BOOKMARK");
    assert_eq!(
        handbook["settings"]["app"]["url"],
        "https://example.com/handbook"
    );

    let refused = browser
        .submit(NEW, NEW, &[("kind", "web"), ("label", "")])
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("role=\"alert\"") && html.contains("label"),
        "{html}"
    );

    let types = assert_all_events_by(&app, &mark, "ada@acme.com").await;
    assert!(
        types.iter().any(|t| t == "application.lifecycle.create"),
        "{types:?}"
    );
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let reader = Browser::signed_in(&app, "ro@acme.com").await;
    assert_eq!(reader.get(NEW).await.status(), 403);
    let denied = reader
        .submit(
            "/admin/apps",
            NEW,
            &[
                ("kind", "bookmark"),
                ("label", "No"),
                ("url", "https://example.com"),
            ],
        )
        .await;
    assert_eq!(denied.status(), 403);
    let none = json(app.get("/api/v1/apps?q=No"), 200).await;
    assert!(none.as_array().unwrap().iter().all(|a| a["label"] != "No"));
    app.finish().await;
}
