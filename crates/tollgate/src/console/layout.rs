//! The console's page shell (header, navigation, Sign out), its messages and redirects, and the
//! headers every console response carries.

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, LOCATION, REFERRER_POLICY, SET_COOKIE, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::console::guard::ConsoleAdmin;
use crate::http::{ApiError, OktaCode};
use crate::login::csrf;
use crate::pages::escape;
use crate::state::AppState;

/// Only our own stylesheet and script (`console.js`), no inline code of any kind, never framed,
/// forms post only to us.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the console's headers to every response under `/admin`.
pub async fn console_headers(req: Request, next: Next) -> Response {
    let console = is_console_path(req.uri().path());
    let mut r = next.run(req).await;
    if !console {
        return r;
    }
    let h = r.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    r
}

fn is_console_path(path: &str) -> bool {
    path.strip_prefix("/admin")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A whole document: `title` is text, `header` and `main` are markup.
fn document(title: &str, header: &str, main: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} - Admin Console</title><link rel=\"stylesheet\" href=\"/admin/console.css\">\
         <script src=\"/admin/console.js\" defer></script></head>\
         <body><a class=\"skip\" href=\"#main\">Skip to content</a>{header}\
         <main id=\"main\">{main}</main></body></html>",
        escape(title)
    )
}

/// An HTML response.
pub fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// The hidden field that carries `admin`'s CSRF token.
pub fn csrf_field(admin: &ConsoleAdmin) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        csrf::FIELD,
        escape(&admin.csrf.value)
    )
}

/// A console page for `admin`: the org's name, the navigation and Sign out, then `main`.
pub async fn page(
    state: &AppState,
    admin: &ConsoleAdmin,
    status: StatusCode,
    title: &str,
    main: &str,
) -> Result<Response, Response> {
    let org = state
        .caches()
        .org()
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    let header = format!(
        "<header><p class=\"brand\">{org} <span>Admin Console</span></p>\
         <nav aria-label=\"Main\"><ul><li>Directory<ul><li><a href=\"/admin/people\">People</a></li><li><a href=\"/admin/groups\">Groups</a></li></ul></li><li>Applications<ul><li><a href=\"/admin/apps\">Applications</a></li></ul></li>\
         <li>Security<ul><li><a href=\"/admin/authorization-servers\">API</a></li><li><a href=\"/admin/api-tokens\">Tokens</a></li><li><a href=\"/admin/trusted-origins\">Trusted Origins</a></li></ul></li><li>Reports<ul><li><a href=\"/admin/system-log\">System Log</a></li></ul></li></ul></nav>\
         <p class=\"who\">{who}</p>\
         <form method=\"post\" action=\"/admin/signout\">{csrf}<button type=\"submit\">Sign out</button></form></header>",
        org = escape(&org.company_name),
        who = escape(admin.user.login()),
        csrf = csrf_field(admin),
    );
    let mut r = html(status, document(title, &header, main));
    if let Some(c) = admin.csrf.set_cookie.clone() {
        r.headers_mut().append(SET_COOKIE, c);
    }
    Ok(r)
}

/// A page that only says something (a refusal, an expired form): no navigation, since the
/// person may not be an admin at all.
pub fn message_page(status: StatusCode, title: &str, message: &str) -> Response {
    message_with_link(status, (title, message), ("/admin", "Admin Console"))
}

/// A message page whose one link (`href`, words) leads on.
pub fn message_with_link(
    status: StatusCode,
    (title, message): (&str, &str),
    (href, words): (&str, &str),
) -> Response {
    let main = format!(
        "<h1>{}</h1><p role=\"alert\" class=\"error\">{}</p><p><a href=\"{}\">{}</a></p>",
        escape(title),
        escape(message),
        escape(href),
        escape(words)
    );
    html(status, document(title, "", &main))
}

/// A `303 See Other` to a path of ours.
pub fn redirect(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(LOCATION, v);
    }
    r
}

/// An API error as a console page; internal errors keep the API's response, which the header
/// middleware logs.
pub fn error_page(e: ApiError) -> Response {
    match e.code {
        OktaCode::E0000009 => e.into_response(),
        code => {
            // A validation failure's causes say what to change; its summary only names a field.
            let detail = if e.causes.is_empty() {
                e.summary.clone()
            } else {
                e.causes.join(" ")
            };
            message_page(code.status(), "Something went wrong", &detail)
        }
    }
}
