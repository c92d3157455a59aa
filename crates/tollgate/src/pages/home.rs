//! `GET /`: a short page for a person who opens the server in a browser (what this is, where
//! the discovery documents, keys, API and health checks are), and the same links as a small
//! JSON index for a program (`Accept: application/json`, `*/*` or no `Accept` at all).

use axum::Json;
use axum::extract::State;
use axum::http::header::{ACCEPT, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tollgate_core::negotiate::prefers_html;

use crate::http::ApiError;
use crate::pages::{document, escape, html_response};
use crate::state::AppState;

/// The links of the home page: a key for the JSON index, the path, and what a person reads.
const LINKS: [(&str, &str, &str); 7] = [
    (
        "openid-configuration",
        "/.well-known/openid-configuration",
        "the org authorization server's discovery document",
    ),
    (
        "default-openid-configuration",
        "/oauth2/default/.well-known/openid-configuration",
        "the default custom authorization server's discovery document",
    ),
    ("jwks", "/oauth2/v1/keys", "the org server's signing keys"),
    (
        "default-jwks",
        "/oauth2/default/v1/keys",
        "the default server's signing keys",
    ),
    ("login", "/login", "the hosted sign-in page"),
    ("health", "/healthz", "liveness: the process answers"),
    ("ready", "/readyz", "readiness: the database answers"),
];

/// `GET /`.
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let accept = headers.get(ACCEPT).and_then(|v| v.to_str().ok());
    let mut response = if prefers_html(accept) {
        let org = state.caches().org().await?;
        let metrics = state.metrics_on_main();
        html_response(StatusCode::OK, home_html(&org.company_name, metrics))
    } else {
        (StatusCode::OK, Json(home_json(&state))).into_response()
    };
    response
        .headers_mut()
        .insert(VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

fn home_json(state: &AppState) -> Value {
    let mut links = Map::new();
    for (key, path, _) in LINKS {
        links.insert(key.to_owned(), json!({"href": state.link(path)}));
    }
    // The management API needs an API token (`Authorization: SSWS ...`).
    links.insert("org".to_owned(), json!({"href": state.link("/api/v1/org")}));
    json!({
        "name": "Tollgate",
        "version": env!("CARGO_PKG_VERSION"),
        "_links": links,
    })
}

/// The page; `metrics` when `/metrics` is served on this listener.
fn home_html(company_name: &str, metrics: bool) -> String {
    let scrape = (
        "metrics",
        "/metrics",
        "counts and timings in Prometheus' text format",
    );
    let items: String = LINKS
        .iter()
        .chain(metrics.then_some(&scrape))
        .map(|(_, path, what)| {
            format!("<li><a href=\"{path}\"><code>{path}</code></a>: {what}</li>")
        })
        .collect();
    let body = format!(
        "<h1>Tollgate</h1><p class=\"org\">{org}</p>\
         <p>An identity server that speaks Okta's language: point an Okta SDK or token verifier at this server's URL.</p>\
         <h2>Endpoints</h2><ul class=\"links\">{items}</ul>\
         <h2>Management API</h2><p>Okta's management API is under <code>/api/v1/</code> (for example \
         <code>/api/v1/org</code>) and needs an API token: <code>Authorization: SSWS</code> followed by the token. \
         The project's README lists what it covers. Orgs are also managed as files with \
         <code>tollgate apply</code>.</p><h2>Admin Console</h2><p>Admins sign in to the \
         <a href=\"/admin\">Admin Console</a> at <code>/admin</code>: so far its Applications \
         (an app's profile and its Sign On tab's ID token groups claim).</p><p>Version {version}.</p>",
        org = escape(company_name),
        version = env!("CARGO_PKG_VERSION"),
    );
    document("Tollgate", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_links_every_endpoint_and_escapes_the_org_name() {
        let html = home_html("<Acme>", true);
        assert!(html.contains("&lt;Acme&gt;"));
        for (_, path, _) in LINKS {
            assert!(html.contains(&format!("<a href=\"{path}\">")), "{path}");
        }
        assert!(html.contains("<a href=\"/metrics\">"));
        assert!(!home_html("Acme", false).contains("/metrics"));
        assert!(html.contains("<a href=\"/admin\">Admin Console</a>"));
    }
}
