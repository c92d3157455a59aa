//! Security > API > Trusted Origins: an origin added, edited, deactivated or deleted in the
//! console changes CORS at once, reads back through `/api/v1/trustedOrigins`, and is in the
//! System Log with the admin as actor; refusals sit next to their field; who may do what
//! follows `/api/v1/trustedOrigins`.

use serde_json::{Value, json};

use super::access::with_admin;
use super::{Browser, assert_console_headers, csrf_of, location};
use crate::backend_tests;
use crate::oauth::last_event;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};
use crate::trusted_origins::cors::preflight;

backend_tests!(
    an_origin_added_in_the_console_grants_cors_until_deactivated_or_deleted,
    the_api_s_refusals_are_shown_next_to_their_field,
    a_read_only_admin_sees_origins_but_changes_none,
    a_post_without_the_page_s_csrf_token_changes_no_origin,
);

const PAGE: &str = "/admin/trusted-origins";
const SPA: &str = "https://spa.example.com";
const KEYS: &str = "/oauth2/v1/keys";

/// The org's trusted origins, as the API lists them.
async fn origins(app: &TestApp) -> Value {
    json(app.get("/api/v1/trustedOrigins"), 200).await
}

/// The origin named `name`, as the API reads it.
async fn origin_named(app: &TestApp, name: &str) -> Value {
    let all = origins(app).await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("no origin {name} in {all}"))
        .clone()
}

fn types(o: &Value) -> Vec<&str> {
    o["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].as_str().unwrap())
        .collect()
}

/// The SPA's origin, trusted for CORS through the API; its id.
async fn api_origin(app: &TestApp) -> String {
    let body = json!({"name": "My SPA", "origin": SPA, "scopes": [{"type": "CORS"}]});
    json(app.post("/api/v1/trustedOrigins", &body), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The status of a CORS preflight from the SPA to the org server's keys.
async fn preflight_status(app: &TestApp) -> u16 {
    preflight(app, KEYS, SPA).await.status().as_u16()
}

/// Posts `op` for origin `id` from the list page; checks the redirect to the notice.
async fn change(browser: &Browser, id: &str, op: &str) {
    let resp = browser
        .submit(PAGE, &format!("{PAGE}/{id}/{op}"), &[])
        .await;
    assert_eq!(resp.status(), 303, "{op}");
    assert_eq!(location(&resp), format!("{PAGE}?saved={op}"));
}

/// The last event of `event_type` was by Ada, about origin `id`.
async fn logged_by_ada(app: &TestApp, event_type: &str, id: &str) {
    let event = last_event(app, event_type).await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com", "{event}");
    assert_eq!(event["target"][0]["id"], id, "{event}");
    assert_eq!(event["target"][0]["type"], "TrustedOrigin", "{event}");
}

async fn add_and_check(app: &TestApp, browser: &Browser) -> String {
    let list = browser.get(PAGE).await;
    assert_console_headers(&list);
    let list = list.text().await.unwrap();
    assert!(list.contains("<a href=\"/admin/trusted-origins\">Trusted Origins</a>"));
    assert!(list.contains(">Add Origin</button>"), "{list}");
    let form = browser
        .get(&format!("{PAGE}/new"))
        .await
        .text()
        .await
        .unwrap();
    for label in [
        "<label for=\"f-name\">Name</label>",
        "<label for=\"f-origin\">Origin URL</label>",
        "<legend>Type</legend>",
        "value=\"CORS\">CORS</label>",
        "value=\"REDIRECT\">Redirect</label>",
        "value=\"IFRAME_EMBED\">iFrame embed</label>",
    ] {
        assert!(form.contains(label), "{label} in {form}");
    }
    let fields = [
        ("name", "My SPA"),
        ("origin", SPA),
        ("scopes", "CORS"),
        ("scopes", "REDIRECT"),
    ];
    let added = browser.submit(&format!("{PAGE}/new"), PAGE, &fields).await;
    assert_eq!(added.status(), 303);
    assert_eq!(location(&added), format!("{PAGE}?saved=created"));
    let o = origin_named(app, "My SPA").await;
    assert_eq!(
        (o["origin"].as_str(), o["status"].as_str()),
        (Some(SPA), Some("ACTIVE"))
    );
    assert_eq!(types(&o), ["CORS", "REDIRECT"]);
    let ada = json(app.get("/api/v1/users/ada@acme.com"), 200).await;
    assert_eq!(o["createdBy"], ada["id"]);
    let id = o["id"].as_str().unwrap().to_owned();
    logged_by_ada(app, "security.trusted_origin.create", &id).await;
    let list = browser.get(PAGE).await.text().await.unwrap();
    assert!(
        list.contains(&format!(
            "<td>My SPA</td><td>{SPA}</td><td>CORS, Redirect</td><td>Active</td>"
        )),
        "{list}"
    );
    id
}

async fn an_origin_added_in_the_console_grants_cors_until_deactivated_or_deleted(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    // Asked once before it exists, so a cached "no" must be forgotten when it is added.
    assert_eq!(preflight_status(&app).await, 403);
    let id = add_and_check(&app, &browser).await;
    assert_eq!(preflight_status(&app).await, 204);

    let edit = format!("{PAGE}/{id}");
    let html = browser.get(&edit).await.text().await.unwrap();
    assert!(
        html.contains("value=\"CORS\" checked>CORS</label>"),
        "{html}"
    );
    let fields = [
        ("name", "My SPA (redirects)"),
        ("origin", SPA),
        ("scopes", "REDIRECT"),
    ];
    let saved = browser.submit(&edit, &edit, &fields).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(location(&saved), format!("{PAGE}?saved=updated"));
    assert_eq!(preflight_status(&app).await, 403);
    let o = json(app.get(&format!("/api/v1/trustedOrigins/{id}")), 200).await;
    assert_eq!(
        (o["name"].as_str(), types(&o)),
        (Some("My SPA (redirects)"), vec!["REDIRECT"])
    );
    logged_by_ada(&app, "security.trusted_origin.update", &id).await;

    let fields = [("name", "My SPA"), ("origin", SPA), ("scopes", "CORS")];
    assert_eq!(browser.submit(&edit, &edit, &fields).await.status(), 303);
    assert_eq!(preflight_status(&app).await, 204);

    change(&browser, &id, "deactivate").await;
    assert_eq!(preflight_status(&app).await, 403);
    let o = json(app.get(&format!("/api/v1/trustedOrigins/{id}")), 200).await;
    assert_eq!(o["status"], "INACTIVE");
    logged_by_ada(&app, "security.trusted_origin.deactivate", &id).await;
    let list = browser.get(PAGE).await.text().await.unwrap();
    assert!(list.contains("<td>Inactive</td>"), "{list}");
    assert!(list.contains("aria-label=\"Activate My SPA\""), "{list}");

    change(&browser, &id, "activate").await;
    assert_eq!(preflight_status(&app).await, 204);
    logged_by_ada(&app, "security.trusted_origin.activate", &id).await;

    change(&browser, &id, "delete").await;
    assert_eq!(preflight_status(&app).await, 403);
    let gone = app
        .get(&format!("/api/v1/trustedOrigins/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
    logged_by_ada(&app, "security.trusted_origin.delete", &id).await;
    app.finish().await;
}

async fn the_api_s_refusals_are_shown_next_to_their_field(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let body = json!({"name": "Taken", "origin": SPA, "scopes": [{"type": "CORS"}]});
    json(app.post("/api/v1/trustedOrigins", &body), 200).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let new = format!("{PAGE}/new");

    let bad = [("name", " "), ("origin", "https://app.example.com/path")];
    let resp = browser.submit(&new, PAGE, &bad).await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    for field in ["f-name", "f-origin", "f-scopes"] {
        assert!(
            html.contains(&format!("aria-describedby=\"{field}-error\"")),
            "{field} in {html}"
        );
    }
    assert!(
        html.contains("value=\"https://app.example.com/path\""),
        "{html}"
    );
    assert!(html.contains("At least one scope"), "{html}");

    let taken = [("name", "Again"), ("origin", SPA), ("scopes", "REDIRECT")];
    let resp = browser.submit(&new, PAGE, &taken).await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains(
            "<p class=\"error\" id=\"f-origin-error\">An object with this field already exists"
        ),
        "{html}"
    );
    assert!(
        html.contains("value=\"REDIRECT\" checked>Redirect</label>"),
        "{html}"
    );
    assert_eq!(origins(&app).await.as_array().unwrap().len(), 1);
    app.finish().await;
}

async fn a_read_only_admin_sees_origins_but_changes_none(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let id = api_origin(&app).await;
    let before = origins(&app).await;

    let browser = Browser::signed_in(&app, "ro@acme.com").await;
    let list = browser.get(PAGE).await;
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    for control in [
        "class=\"primary\" disabled>Add Origin</button>",
        " disabled>Deactivate</button>",
        " disabled>Delete</button>",
    ] {
        assert!(list.contains(control), "{control} in {list}");
    }
    let edit = format!("{PAGE}/{id}");
    let form = browser.get(&edit).await;
    assert_eq!(form.status(), 200);
    let form = form.text().await.unwrap();
    assert!(
        form.contains("class=\"primary\" disabled>Save</button>"),
        "{form}"
    );

    let fields = [
        ("name", "Sneaky"),
        ("origin", "https://evil.example.com"),
        ("scopes", "CORS"),
    ];
    assert_eq!(browser.submit(PAGE, PAGE, &fields).await.status(), 403);
    assert_eq!(browser.submit(&edit, &edit, &fields).await.status(), 403);
    for op in ["deactivate", "delete"] {
        let resp = browser.submit(PAGE, &format!("{edit}/{op}"), &[]).await;
        assert_eq!(resp.status(), 403, "{op}");
    }
    assert_eq!(origins(&app).await, before);
    assert_eq!(preflight_status(&app).await, 204);
    app.finish().await;
}

async fn a_post_without_the_page_s_csrf_token_changes_no_origin(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let id = api_origin(&app).await;
    let before = origins(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let html = browser.get(PAGE).await.text().await.unwrap();
    let wrong = format!("{}x", csrf_of(&html));
    let forged = [
        ("csrf", wrong.as_str()),
        ("name", "Forged"),
        ("origin", "https://evil.example.com"),
        ("scopes", "CORS"),
    ];
    assert_eq!(browser.post(PAGE, &forged).await.status(), 403);
    assert_eq!(browser.post(PAGE, &forged[1..]).await.status(), 403);
    let delete = format!("{PAGE}/{id}/delete");
    assert_eq!(
        browser.post(&delete, &[("csrf", &wrong)]).await.status(),
        403
    );
    assert_eq!(browser.post(&delete, &[]).await.status(), 403);
    assert_eq!(origins(&app).await, before);
    assert_eq!(preflight_status(&app).await, 204);
    app.finish().await;
}
