//! The pages SSO answers with: the form that posts the `SAMLResponse` to the ACS URL (sent by
//! a script the Content-Security-Policy allows by its nonce, or by its button without
//! JavaScript), and Okta-like error pages.

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use tollgate_core::id::random_base62;

use crate::pages::{document, escape, html_response};

/// The page that posts `SAMLResponse` (and `RelayState`) to `acs_url`.
pub fn post_form(acs_url: &str, saml_response: &str, relay_state: Option<&str>) -> Response {
    let nonce = random_base62(24);
    let mut inputs = hidden("SAMLResponse", saml_response);
    if let Some(rs) = relay_state {
        inputs.push_str(&hidden("RelayState", rs));
    }
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Signing in</title></head>\
         <body><form id=\"saml\" method=\"post\" action=\"{}\">{inputs}\
         <noscript><p>Continue to the application.</p><button type=\"submit\">Continue</button></noscript></form>\
         <script nonce=\"{nonce}\">document.getElementById(\"saml\").submit();</script></body></html>",
        escape(acs_url)
    );
    let csp = format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; form-action {}; frame-ancestors 'none'; base-uri 'none'",
        form_action(acs_url)
    );
    // The shared page headers, with a policy that lets this page's one script run and its
    // form go to the SP.
    let mut r = html_response(StatusCode::OK, html);
    if let Ok(v) = HeaderValue::from_str(&csp) {
        r.headers_mut().insert("content-security-policy", v);
    }
    r
}

fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        escape(name),
        escape(value)
    )
}

/// The CSP source of the ACS URL's origin (`*` when it has none we can name).
fn form_action(acs_url: &str) -> String {
    url::Url::parse(acs_url)
        .ok()
        .map(|u| u.origin().ascii_serialization())
        .filter(|o| o != "null" && !o.contains(['\'', ';', ' ']))
        .unwrap_or_else(|| "*".to_owned())
}

/// An error page, as Okta shows instead of posting to the SP.
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<h1>{}</h1><p class=\"error\" role=\"alert\">{}</p>",
        escape(title),
        escape(message)
    );
    html_response(status, document(title, &body))
}
