//! How `/authorize` answers the client once its redirect URI is trusted, in the response mode
//! the request chose: a redirect with the fields in the query or the fragment, an
//! auto-submitting form (`form_post`), or Okta's `okta_post_message` page. Every answer adds
//! `state` and the issuer (RFC 9207 `iss`), and none is cached or framed.
//!
//! Reference: OAuth 2.0 Multiple Response Type Encoding Practices; OAuth 2.0 Form Post
//! Response Mode; RFC 9207; `oauth-endpoints.md` section 3.3.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, PRAGMA, REFERRER_POLICY};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tollgate_core::oauth::authorize::{ReplyTo, ResponseMode};

use crate::pages::escape;

/// Sends `fields` (plus `state` and `iss`) to the client.
pub fn send(to: &ReplyTo, issuer: &str, fields: &[(&str, &str)]) -> Response {
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    if let Some(s) = &to.state {
        all.push(("state", s));
    }
    all.push(("iss", issuer));
    let mut resp = match to.mode {
        ResponseMode::PostMessage => post_message_page(&to.redirect_uri, &all),
        ResponseMode::FormPost => form_post_page(&to.redirect_uri, &all),
        ResponseMode::Query | ResponseMode::Fragment => redirect(to, &all),
    };
    let h = resp.headers_mut();
    // A response that may carry a code or tokens is never cached (RFC 6749 5.1, 10.3).
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    resp
}

fn encode(fields: &[(&str, &str)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        ser.append_pair(k, v);
    }
    ser.finish()
}

fn redirect(to: &ReplyTo, fields: &[(&str, &str)]) -> Response {
    let sep = match to.mode {
        ResponseMode::Fragment => "#",
        _ if to.redirect_uri.contains('?') => "&",
        _ => "?",
    };
    let target = format!("{}{sep}{}", to.redirect_uri, encode(fields));
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(&target) {
        r.headers_mut().insert(LOCATION, v);
    }
    r.headers_mut()
        .insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

/// The `form_post` page's response: HTML whose only script is the inline `onload` that submits
/// the form, never framed.
fn form_post_response(html: String) -> Response {
    let mut r = (StatusCode::OK, html).into_response();
    let h = r.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        HeaderName::from_static("x-frame-options"),
        HeaderValue::from_static("DENY"),
    );
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; form-action *; frame-ancestors 'none'",
        ),
    );
    r
}

fn form_post_page(redirect_uri: &str, fields: &[(&str, &str)]) -> Response {
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                escape(k),
                escape(v)
            )
        })
        .collect();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Submit</title></head>\
         <body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{}\">{inputs}\
         <noscript><button type=\"submit\">Continue</button></noscript></form></body></html>",
        escape(redirect_uri)
    );
    form_post_response(html)
}

/// The `okta_post_message` page: posts the response fields to `window.opener` (a popup) or
/// `window.parent` (an iframe, so this page may be framed), only to the origin of the
/// registered redirect URI.
fn post_message_page(redirect_uri: &str, fields: &[(&str, &str)]) -> Response {
    let target = url::Url::parse(redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let data: serde_json::Map<String, Value> = fields
        .iter()
        .map(|(k, v)| {
            let value = match (*k, v.parse::<i64>()) {
                ("expires_in", Ok(n)) => json!(n),
                _ => json!(v),
            };
            ((*k).to_owned(), value)
        })
        .collect();
    // JSON inside a script element: escape what could close it or start markup.
    let script_safe = |v: &Value| {
        v.to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Tollgate</title></head><body>\
         <script>(function () {{ var data = {}; var target = {}; \
         var w = window.opener || window.parent; if (w && w !== window) {{ w.postMessage(data, target); }} }})();</script>\
         </body></html>",
        script_safe(&Value::Object(data)),
        script_safe(&json!(target)),
    );
    let mut r = (StatusCode::OK, html).into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}
