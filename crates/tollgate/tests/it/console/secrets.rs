//! The General tab's client secrets: generate (shown once), then rotate out the old secret,
//! each step checked at the OAuth endpoints; a read-only admin sees the buttons disabled and
//! is refused.

use reqwest::Method;

use super::access::with_admin;
use super::{Browser, assert_all_events_by, log_mark};
use crate::backend_tests;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json, send};

backend_tests!(a_secret_is_rotated_from_the_general_tab);

/// The status `/oauth2/v1/introspect` answers the seed's client (`client_secret_post`)
/// authenticating with `secret`.
async fn auth_status(app: &TestApp, client_id: &str, secret: &str) -> u16 {
    let form = [
        ("token", "not-a-token"),
        ("client_id", client_id),
        ("client_secret", secret),
    ];
    let req = app.anon(Method::POST, "/oauth2/v1/introspect").form(&form);
    send(req).await.status().as_u16()
}

/// The value of the page's read-only "Client secret" box.
fn shown_secret(html: &str) -> String {
    let at = html
        .find("id=\"new-secret\"")
        .expect("the new secret is shown");
    let rest = &html[at..];
    let start = rest.find("value=\"").unwrap() + 7;
    let end = rest[start..].find('"').unwrap();
    rest[start..start + end].to_owned()
}

async fn a_secret_is_rotated_from_the_general_tab(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let general = format!("/admin/apps/{}", s.app_id);
    let action = format!("{general}/secrets");
    let mark = log_mark(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let page = browser.get(&general).await.text().await.unwrap();
    assert!(page.contains("<h3>Client secrets</h3>"), "{page}");
    assert!(
        !page.contains(&s.secret),
        "the stored secret is never shown"
    );

    let made = browser
        .submit(&general, &action, &[("op", "generate")])
        .await;
    assert_eq!(made.status(), 201);
    let new_secret = shown_secret(&made.text().await.unwrap());
    assert_eq!(new_secret.len(), 64);
    assert_eq!(auth_status(&app, &s.client_id, &new_secret).await, 200);
    assert_eq!(
        auth_status(&app, &s.client_id, &s.secret).await,
        200,
        "both work"
    );

    let listed = json(
        app.get(&format!("/api/v1/apps/{}/credentials/secrets", s.app_id)),
        200,
    )
    .await;
    let old_id = listed[0]["id"].as_str().unwrap().to_owned();
    let fields = [("op", "deactivate"), ("secret", old_id.as_str())];
    assert_eq!(
        browser.submit(&general, &action, &fields).await.status(),
        303
    );
    assert_eq!(
        auth_status(&app, &s.client_id, &s.secret).await,
        401,
        "the old one is off"
    );
    let fields = [("op", "delete"), ("secret", old_id.as_str())];
    assert_eq!(
        browser.submit(&general, &action, &fields).await.status(),
        303
    );
    let listed = json(
        app.get(&format!("/api/v1/apps/{}/credentials/secrets", s.app_id)),
        200,
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(auth_status(&app, &s.client_id, &new_secret).await, 200);

    // The only active secret cannot be switched off: the API's words, nothing changes.
    let only = listed[0]["id"].as_str().unwrap().to_owned();
    let fields = [("op", "deactivate"), ("secret", only.as_str())];
    let refused = browser.submit(&general, &action, &fields).await;
    assert_eq!(refused.status(), 400);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("the only active client secret")
    );
    assert_eq!(auth_status(&app, &s.client_id, &new_secret).await, 200);

    let types = assert_all_events_by(&app, &mark, "ada@acme.com").await;
    let updates = types
        .iter()
        .filter(|t| *t == "application.lifecycle.update");
    assert!(updates.count() >= 2, "generate and deactivate: {types:?}");
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let reader = Browser::signed_in(&app, "ro@acme.com").await;
    let page = reader.get(&general).await.text().await.unwrap();
    assert!(
        page.contains("<button type=\"submit\" disabled>Generate new secret</button>"),
        "{page}"
    );
    let denied = reader
        .submit(&general, &action, &[("op", "generate")])
        .await;
    assert_eq!(denied.status(), 403);
    let listed = json(
        app.get(&format!("/api/v1/apps/{}/credentials/secrets", s.app_id)),
        200,
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "nothing made");
    app.finish().await;
}
