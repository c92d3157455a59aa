//! The server's own HTML: one document shell (language, viewport, the shared stylesheet), the
//! headers every page carries, and the home page at `/`. The sign-in page lives in
//! [`crate::login::page`].
//!
//! Pages load nothing from elsewhere: the stylesheet is inline, and the only script (the
//! show-password toggle) is allowed by its hash in the Content-Security-Policy, so no other
//! inline script can run. Colours meet WCAG 2.2 AA in both colour schemes: text at least 4.5:1,
//! field borders and focus rings at least 3:1 against what surrounds them.

pub mod home;
pub mod launch;

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, REFERRER_POLICY};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Below 30rem the card fills the screen edge to edge (no card width of its own, so no strip
/// of the page background beside it); above, it is a centred card.
const STYLE: &str = "*,*::before,*::after{box-sizing:border-box}[hidden]{display:none!important}\
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;background:#f3f4f6;color:#111827}\
main{max-width:28rem;margin:8vh auto;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}\
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}p.org{margin:0 0 1.5rem;color:#4b5563}\
label{display:block;font-weight:600;margin:1rem 0 .25rem}\
input{width:100%;padding:.6rem .75rem;font:inherit;color:inherit;background:#fff;border:1px solid #6b7280;border-radius:.4rem}\
input[aria-invalid=true]{border-color:#b91c1c}:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}\
input:focus{outline:3px solid #1d4ed8;outline-offset:1px;border-color:#1d4ed8}\
button{font:inherit;font-weight:600;border-radius:.4rem;cursor:pointer}\
button.primary{display:block;margin-top:1.5rem;width:100%;padding:.7rem;color:#fff;background:#1d4ed8;border:0}\
button.primary:hover{background:#1e40af}\
button.toggle{display:block;margin:.5rem 0 0 auto;min-height:2.75rem;padding:.4rem .9rem;color:#1d4ed8;background:transparent;border:1px solid #6b7280}\
.error{margin:0 0 1rem;padding:.75rem;border-radius:.4rem;background:#fef2f2;color:#991b1b;border:1px solid #fecaca}\
a{color:#1d4ed8}ul.links{padding-left:1.2rem}ul.links li{margin:.35rem 0}code{overflow-wrap:anywhere;font-size:.9em}\
@media (max-width:30rem){main{max-width:none;margin:0;min-height:100vh;border-radius:0;box-shadow:none}}\
@media (prefers-color-scheme:dark){body{background:#111827;color:#f9fafb}main{background:#1f2937}p.org{color:#d1d5db}\
input{background:#111827;border-color:#9ca3af}input[aria-invalid=true]{border-color:#f87171}\
:focus-visible,input:focus{outline-color:#93c5fd}input:focus{border-color:#93c5fd}\
button.toggle{color:#93c5fd;border-color:#9ca3af}a{color:#93c5fd}.error{background:#450a0a;color:#fecaca;border-color:#7f1d1d}}";

/// The sign-in page's only script: it reveals the show-password button (hidden without
/// JavaScript, where the form works as before) and switches the field between hidden and shown
/// text; the field is hidden again when the form is sent, so the browser never stores it as
/// plain text.
pub const SHOW_PASSWORD_SCRIPT: &str = "(function(){var b=document.getElementById(\"show-password\"),p=document.getElementById(\"password\");\
if(!b||!p||!p.form){return;}b.hidden=false;b.addEventListener(\"click\",function(){var show=p.type===\"password\";\
p.type=show?\"text\":\"password\";b.setAttribute(\"aria-pressed\",show?\"true\":\"false\");});\
p.form.addEventListener(\"submit\",function(){p.type=\"password\";b.setAttribute(\"aria-pressed\",\"false\");});})();";

/// What the Content-Security-Policy allows: inline styles, [`SHOW_PASSWORD_SCRIPT`] by its
/// SHA-256 (a unit test keeps the two in step), nothing loaded, never framed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
script-src 'sha256-L2uKGF9ehNujjNYfL4U8rUcZeRJVkbzfg5r9g3Sfcd0='; frame-ancestors 'none'; base-uri 'none'";

/// A whole HTML document: `title` (escaped here) and `body` (markup, already escaped).
pub fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        escape(title)
    )
}

/// An HTML response with the headers every page of ours carries.
pub fn html_response(status: StatusCode, html: String) -> Response {
    let mut r = (status, html).into_response();
    let h = r.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    r
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_policy_allows_exactly_the_show_password_script() {
        let digest =
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, SHOW_PASSWORD_SCRIPT.as_bytes());
        let hash = base64::engine::general_purpose::STANDARD.encode(digest.as_ref());
        assert!(
            CONTENT_SECURITY_POLICY.contains(&format!("script-src 'sha256-{hash}'")),
            "update the policy's script hash to sha256-{hash}"
        );
    }

    #[test]
    fn every_document_has_a_language_and_a_viewport() {
        let html = document("A & B", "<h1>x</h1>");
        assert!(html.starts_with("<!doctype html><html lang=\"en\">"));
        assert!(
            html.contains(
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            )
        );
        assert!(html.contains("<title>A &amp; B</title>"));
    }
}
