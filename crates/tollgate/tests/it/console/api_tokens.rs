//! Security > API > Tokens: a token created in the console is shown once, works as its admin,
//! and stops working once revoked; who may do what follows `/api/v1/api-tokens`.

use reqwest::Response;

use super::access::with_admin;
use super::{Browser, assert_console_headers, csrf_of, location};
use crate::backend_tests;
use crate::oauth::last_event;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    a_token_is_shown_once_works_and_stops_working_when_revoked,
    an_org_admin_sees_tokens_but_creates_and_revokes_none,
    a_post_without_the_page_s_csrf_token_creates_no_token,
);

const PAGE: &str = "/admin/api-tokens";

/// `GET /api/v1/users` with `token`.
async fn users_with(app: &TestApp, token: &str) -> Response {
    send(
        app.client
            .get(format!("{}/api/v1/users", app.base))
            .header("authorization", format!("SSWS {token}")),
    )
    .await
}

/// The names of the org's tokens, as the API lists them.
async fn token_names(app: &TestApp) -> Vec<String> {
    let tokens = json(app.get("/api/v1/api-tokens"), 200).await;
    tokens
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

fn token_value(html: &str) -> String {
    let marker = "id=\"token-value\" value=\"";
    let start = html.find(marker).expect("the token value") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

async fn a_token_is_shown_once_works_and_stops_working_when_revoked(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let list = browser.get(PAGE).await;
    assert_console_headers(&list);
    let list = list.text().await.unwrap();
    assert!(list.contains("<a href=\"/admin/api-tokens\">Tokens</a>"));
    assert!(
        list.contains("<label for=\"f-name\">Name</label>"),
        "{list}"
    );

    let blank = browser.submit(PAGE, PAGE, &[("name", "  ")]).await;
    assert_eq!(blank.status(), 422);
    let blank = blank.text().await.unwrap();
    assert!(
        blank.contains("aria-describedby=\"f-name-error\""),
        "{blank}"
    );

    let created = browser.submit(PAGE, PAGE, &[("name", "CI token")]).await;
    assert_eq!(created.status(), 200);
    assert_console_headers(&created);
    let html = created.text().await.unwrap();
    assert!(html.contains("it will not be shown again"));
    let token = token_value(&html);
    assert!(token.starts_with("00") && token.len() > 20, "{token}");
    assert_eq!(users_with(&app, &token).await.status(), 200);
    // Never shown again.
    let again = browser.get(PAGE).await.text().await.unwrap();
    assert!(!again.contains(&token) && again.contains("<td>CI token</td>"));
    assert!(again.contains("<td>ada@acme.com</td>"));

    let tokens = json(app.get("/api/v1/api-tokens"), 200).await;
    let mine = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "CI token")
        .unwrap()
        .clone();
    let ada = json(app.get("/api/v1/users/ada@acme.com"), 200).await;
    assert_eq!(mine["userId"], ada["id"]);
    let event = last_event(&app, "system.api_token.create").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    assert_eq!(event["target"][0]["id"], mine["id"]);

    let id = mine["id"].as_str().unwrap();
    let revoked = browser
        .submit(PAGE, &format!("{PAGE}/{id}/revoke"), &[])
        .await;
    assert_eq!(revoked.status(), 303);
    assert_eq!(location(&revoked), "/admin/api-tokens?saved=revoked");
    assert_eq!(users_with(&app, &token).await.status(), 401);
    assert!(!token_names(&app).await.contains(&"CI token".to_owned()));
    let event = last_event(&app, "system.api_token.revoke").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    app.finish().await;
}

async fn an_org_admin_sees_tokens_but_creates_and_revokes_none(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let org = user(&app, "org@acme.com").await;
    assign(&app, "users", &org, "ORG_ADMIN").await;
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let before = token_names(&app).await;
    let tokens = json(app.get("/api/v1/api-tokens"), 200).await;
    let id = tokens[0]["id"].as_str().unwrap().to_owned();

    let browser = Browser::signed_in(&app, "org@acme.com").await;
    let html = browser.get(PAGE).await.text().await.unwrap();
    assert!(
        html.contains("class=\"primary\" disabled>Create Token</button>"),
        "{html}"
    );
    assert!(html.contains(" disabled>Revoke</button>"), "{html}");
    let create = browser.submit(PAGE, PAGE, &[("name", "Sneaky")]).await;
    assert_eq!(create.status(), 403);
    let revoke = browser
        .submit(PAGE, &format!("{PAGE}/{id}/revoke"), &[])
        .await;
    assert_eq!(revoke.status(), 403);
    assert_eq!(token_names(&app).await, before);

    // A read-only admin may not even read tokens, as the API decides.
    let ro = Browser::signed_in(&app, "ro@acme.com").await;
    assert_eq!(ro.get(PAGE).await.status(), 403);
    app.finish().await;
}

async fn a_post_without_the_page_s_csrf_token_creates_no_token(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let before = token_names(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let html = browser.get(PAGE).await.text().await.unwrap();
    let wrong = format!("{}x", csrf_of(&html));
    let resp = browser
        .post(PAGE, &[("csrf", wrong.as_str()), ("name", "Forged")])
        .await;
    assert_eq!(resp.status(), 403);
    let resp = browser.post(PAGE, &[("name", "Forged")]).await;
    assert_eq!(resp.status(), 403);
    assert_eq!(token_names(&app).await, before);
    app.finish().await;
}
