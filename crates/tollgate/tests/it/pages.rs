//! The server's HTML pages: the home page at `/` for people and programs, and the document
//! shell every rendered page shares (language, viewport). Layout, contrast and the accessibility
//! check run in a real browser in the interop suite.

use reqwest::redirect::Policy;
use serde_json::json;

use crate::support::{Backend, TestApp, json, send};

/// What Chromium sends for a navigation.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8";
const VIEWPORT: &str = r#"<meta name="viewport" content="width=device-width,initial-scale=1">"#;
const PASSWORD: &str = "Tollgate-2026";

/// A browser-like client: keeps cookies, follows no redirects, asks for HTML.
fn browser() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "accept",
        reqwest::header::HeaderValue::from_static(BROWSER_ACCEPT),
    );
    reqwest::Client::builder()
        .redirect(Policy::none())
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap()
}

/// The body of an HTML page, after checking it is one and has the shared shell.
async fn page(resp: reqwest::Response, status: u16) -> String {
    let url = resp.url().clone();
    assert_eq!(resp.status(), status, "{url}");
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(content_type, "text/html; charset=utf-8", "{url}");
    let html = resp.text().await.unwrap();
    assert!(
        html.starts_with("<!doctype html><html lang=\"en\">"),
        "{url}: {html}"
    );
    assert!(html.contains(VIEWPORT), "{url} has no viewport: {html}");
    html
}

pub(crate) fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_answers_people_in_html_and_programs_in_json() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    json(
        app.post("/api/v1/org", &json!({"companyName": "Acme & Co"})),
        200,
    )
    .await;
    let url = format!("{}/", app.base);

    let resp = send(browser().get(&url)).await;
    assert_eq!(resp.headers()["vary"], "Accept");
    let html = page(resp, 200).await;
    assert!(html.contains("<h1>Tollgate</h1>"), "{html}");
    assert!(html.contains("Acme &amp; Co"), "{html}");
    for path in [
        "/.well-known/openid-configuration",
        "/oauth2/default/.well-known/openid-configuration",
        "/oauth2/v1/keys",
        "/oauth2/default/v1/keys",
        "/healthz",
    ] {
        assert!(html.contains(&format!("<a href=\"{path}\">")), "{path}");
    }

    // Programs get a JSON index of absolute links: on request, with `*/*`, and with no Accept.
    let client = reqwest::Client::new();
    let index = json(client.get(&url).header("accept", "application/json"), 200).await;
    assert_eq!(index["name"], "Tollgate");
    assert_eq!(
        index["_links"]["openid-configuration"]["href"],
        format!("{}/.well-known/openid-configuration", app.base)
    );
    assert_eq!(
        index["_links"]["default-jwks"]["href"],
        format!("{}/oauth2/default/v1/keys", app.base)
    );
    assert_eq!(
        index["_links"]["org"]["href"],
        format!("{}/api/v1/org", app.base)
    );
    for accept in [Some("application/json"), Some("*/*"), None] {
        let mut req = client.get(&url);
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        let resp = send(req).await;
        assert_eq!(resp.status(), 200, "{accept:?}");
        assert_eq!(resp.headers()["vary"], "Accept", "{accept:?}");
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body, index, "{accept:?}");
    }
    // The discovery link leads where it says.
    let discovery = json(
        client.get(format!("{}/.well-known/openid-configuration", app.base)),
        200,
    )
    .await;
    assert_eq!(discovery["issuer"], app.base);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rendered_page_has_a_language_and_a_viewport() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    let login = "annie@acme.com";
    json(
        app.post(
            "/api/v1/users?activate=true",
            &json!({"profile": {"firstName": "Annie", "lastName": "Jackson", "email": login, "login": login},
                    "credentials": {"password": {"value": PASSWORD}}}),
        ),
        200,
    )
    .await;
    let b = browser();
    let url = |p: &str| format!("{}{p}", app.base);

    page(send(b.get(url("/"))).await, 200).await;
    let form = page(send(b.get(url("/login"))).await, 200).await;
    assert!(
        !form.contains(r#"aria-invalid="true""#),
        "nothing is invalid before a try"
    );

    // A wrong password: the page again, with both fields marked and pointed at the error.
    let wrong = send(b.post(url("/login")).form(&[
        ("username", login),
        ("password", "Wrong-Pass-1"),
        ("fromURI", ""),
        ("csrf", &csrf_of(&form)),
    ]))
    .await;
    let wrong = page(wrong, 401).await;
    assert_eq!(
        wrong
            .matches(r#" aria-invalid="true" aria-describedby="error""#)
            .count(),
        2,
        "{wrong}"
    );
    assert!(wrong.contains(r#"<p class="error" role="alert" id="error">Unable to sign in."#));

    // The right one, with no application to go back to: the "signed in" page.
    let ok = send(b.post(url("/login")).form(&[
        ("username", login),
        ("password", PASSWORD),
        ("fromURI", ""),
        ("csrf", &csrf_of(&wrong)),
    ]))
    .await;
    assert_eq!(ok.status(), 303);
    assert_eq!(ok.headers()["location"], "/login/done");
    let done = page(send(b.get(url("/login/done"))).await, 200).await;
    assert!(done.contains("<h1>You are signed in</h1>"), "{done}");

    // An authorize request that cannot be sent back to a client explains itself on a page.
    let bad = send(b.get(url("/oauth2/default/v1/authorize?response_type=code"))).await;
    let bad = page(bad, 400).await;
    assert!(bad.contains("role=\"alert\""), "{bad}");
    app.finish().await;
}
