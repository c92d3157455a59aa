//! The admin console under `/admin`, driven as a browser would (cookies, forms, redirects):
//! who gets in, CSRF, headers, the profile editor and the Sign On tab's groups claim.

mod access;
mod api_tokens;
mod apps;
mod assignments;
mod authz;
mod authz_edit;
mod authz_tabs;
mod create_app;
mod create_kinds;
mod create_templates;
mod expressions;
mod general_settings;
mod groups;
mod list_properties;
mod origins;
mod people;
mod pickers;
mod rules;
mod secrets;
mod system_log;
mod token_preview;

use reqwest::Response;
use reqwest::redirect::Policy;

use crate::oauth::PASSWORD;
use crate::support::{TestApp, send};

/// A browser: a cookie jar, and redirects left to the test.
pub struct Browser {
    client: reqwest::Client,
    base: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        Self {
            client,
            base: app.base.clone(),
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        send(self.client.get(format!("{}{path}", self.base))).await
    }

    /// Posts a form as it is; `fields` are sent as given (the test chooses the CSRF field).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        send(
            self.client
                .post(format!("{}{path}", self.base))
                .form(fields),
        )
        .await
    }

    /// Posts JSON as the console's script does, with `csrf` in the `X-CSRF-Token` header.
    pub async fn post_json(
        &self,
        path: &str,
        csrf: Option<&str>,
        body: &serde_json::Value,
    ) -> Response {
        let mut req = self.client.post(format!("{}{path}", self.base)).json(body);
        if let Some(token) = csrf {
            req = req.header("x-csrf-token", token);
        }
        send(req).await
    }

    /// The CSRF token of the console page at `page`.
    pub async fn token_of(&self, page: &str) -> String {
        csrf_of(&self.get(page).await.text().await.unwrap())
    }

    /// Opens `page` and posts `fields` to `path` with the page's own CSRF token.
    pub async fn submit(&self, page: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let html = self.get(page).await.text().await.unwrap();
        let token = csrf_of(&html);
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all).await
    }

    /// Signs in through the hosted page, coming back to `from` (a console path).
    pub async fn sign_in(&self, login: &str, from: &str) -> Response {
        let html = self.get("/login").await.text().await.unwrap();
        let token = csrf_of(&html);
        self.post(
            "/login",
            &[
                ("csrf", &token),
                ("fromURI", from),
                ("username", login),
                ("password", PASSWORD),
            ],
        )
        .await
    }

    /// Signs in and checks the sign-in page sends the browser back to `/admin`.
    pub async fn signed_in(app: &TestApp, login: &str) -> Self {
        let b = Self::new(app);
        let resp = b.sign_in(login, "/admin").await;
        assert_eq!(resp.status(), 303);
        assert_eq!(location(&resp), "/admin");
        b
    }
}

/// The value of the first hidden `csrf` field of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    let rest = &html[start..];
    rest[..rest.find('"').unwrap()].to_owned()
}

pub fn location(resp: &Response) -> String {
    resp.headers()["location"].to_str().unwrap().to_owned()
}

/// The headers every console response carries.
pub fn assert_console_headers(resp: &Response) {
    let h = resp.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "script-src 'self'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["x-frame-options"], "DENY");
}

/// The newest System Log event's `published` and `uuid`: where [`events_since`] starts.
pub async fn log_mark(app: &TestApp) -> (String, String) {
    let newest =
        crate::support::json(app.get("/api/v1/logs?sortOrder=DESCENDING&limit=1"), 200).await;
    let e = &newest[0];
    (
        e["published"].as_str().unwrap().to_owned(),
        e["uuid"].as_str().unwrap().to_owned(),
    )
}

/// Asserts that every System Log event after `mark` that a client app did not cause (token
/// grants are the client's) has `login` as its actor: a console change is logged as the
/// admin's. The event types, in order.
pub async fn assert_all_events_by(
    app: &TestApp,
    mark: &(String, String),
    login: &str,
) -> Vec<String> {
    let (since, seen) = mark;
    let path = format!("/api/v1/logs?since={since}&limit=1000");
    let events = crate::support::json(app.get(&path), 200).await;
    let mut types = Vec::new();
    // `since` takes the mark's whole millisecond: what is not after the mark is left out.
    let events = events.as_array().unwrap();
    let at = events.iter().position(|e| e["uuid"] == seen.as_str());
    let after = &events[at.expect("the mark is among the events") + 1..];
    let by_person = |e: &&serde_json::Value| e["actor"]["type"] != "PublicClientApp";
    for e in after.iter().filter(by_person) {
        let kind = e["eventType"].as_str().unwrap().to_owned();
        assert_eq!(e["actor"]["alternateId"], login, "the actor of {kind}: {e}");
        types.push(kind);
    }
    types
}
