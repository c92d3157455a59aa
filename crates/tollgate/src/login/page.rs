//! The hosted sign-in page: `GET /login?fromURI=...` shows a username and password form,
//! `POST /login` checks it. Server-rendered, no external assets, works without JavaScript,
//! protected against cross-site request forgery with a double-submit token, and framed by no
//! one (`frame-ancestors 'none'`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, REFERRER_POLICY, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tollgate_core::secret::{Secret, constant_time_eq};

use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::login::cookie;
use crate::login::password::{SignIn, check};
use crate::login::resolve::issue_session_token;
use crate::state::AppState;

const CSRF_COOKIE: &str = "tollgate_csrf";

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

const STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;background:#f3f4f6;color:#111827}\
main{max-width:24rem;margin:8vh auto;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}\
h1{font-size:1.4rem;margin:0 0 .25rem}p.org{margin:0 0 1.5rem;color:#4b5563}label{display:block;font-weight:600;margin:1rem 0 .25rem}\
input{box-sizing:border-box;width:100%;padding:.6rem .75rem;font:inherit;border:1px solid #9ca3af;border-radius:.4rem}\
input:focus{outline:3px solid #93c5fd;border-color:#2563eb}button{margin-top:1.5rem;width:100%;padding:.7rem;font:inherit;font-weight:600;\
color:#fff;background:#1d4ed8;border:0;border-radius:.4rem;cursor:pointer}button:hover{background:#1e40af}button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}\
.error{margin:0 0 1rem;padding:.75rem;border-radius:.4rem;background:#fef2f2;color:#991b1b;border:1px solid #fecaca}\
@media (max-width:30rem){main{margin:0;min-height:100vh;border-radius:0;box-sizing:border-box}}\
@media (prefers-color-scheme:dark){body{background:#111827;color:#f9fafb}main{background:#1f2937}p.org{color:#d1d5db}\
input{background:#111827;color:#f9fafb}.error{background:#450a0a;color:#fecaca;border-color:#7f1d1d}}";

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
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"),
    );
    r
}

/// A page that explains an error, for requests that cannot be sent back to a client.
pub fn error_html(code: &str, description: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Sign-in error</title><style>{STYLE}</style></head><body><main><h1>Something is wrong with this sign-in link</h1>\
         <p class=\"error\" role=\"alert\"><strong>{}</strong>: {}</p><p>Ask the application's administrator to check its settings.</p></main></body></html>",
        escape(code),
        escape(description)
    )
}

fn form_html(org: &str, from_uri: &str, username: &str, csrf: &str, error: Option<&str>) -> String {
    let error = error
        .map(|e| {
            format!(
                "<p class=\"error\" role=\"alert\" id=\"error\">{}</p>",
                escape(e)
            )
        })
        .unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Sign in - {org}</title><style>{STYLE}</style></head><body><main><h1>Sign in</h1><p class=\"org\">{org}</p>{error}\
         <form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"fromURI\" value=\"{from}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"username\">Username</label><input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" required{focus_user} value=\"{user}\">\
         <label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required{focus_password}>\
         <button type=\"submit\">Sign in</button></form></main></body></html>",
        org = escape(org),
        from = escape(from_uri),
        csrf = escape(csrf),
        user = escape(username),
        // The field to type into next gets the focus.
        focus_user = if username.is_empty() {
            " autofocus"
        } else {
            ""
        },
        focus_password = if username.is_empty() {
            ""
        } else {
            " autofocus"
        },
    )
}

/// Only our own authorize requests may be continued after sign-in: no open redirects.
fn safe_from_uri(raw: Option<&str>) -> Option<String> {
    let uri = raw?;
    (uri.starts_with("/oauth2/") && !uri.contains("//") && !uri.contains('\\'))
        .then(|| uri.to_owned())
}

fn query_param(text: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(text.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

async fn render(
    state: &AppState,
    status: StatusCode,
    from_uri: &str,
    username: &str,
    error: Option<&str>,
) -> Result<Response, ApiError> {
    let org = state.store().org().await?;
    let csrf = Secret::generate(24);
    let mut r = html_response(
        status,
        form_html(&org.company_name, from_uri, username, csrf.expose(), error),
    );
    if let Some(c) = cookie::set(state, CSRF_COOKIE, csrf.expose(), 3600) {
        r.headers_mut().append(SET_COOKIE, c);
    }
    Ok(r)
}

/// `GET /login?fromURI=...&login_hint=...`.
pub async fn show(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let q = uri.query().unwrap_or_default();
    let from = safe_from_uri(query_param(q, "fromURI").as_deref()).unwrap_or_default();
    let hint = query_param(q, "login_hint").unwrap_or_default();
    render(&state, StatusCode::OK, &from, &hint, None).await
}

/// `POST /login`: checks the CSRF token and the password; on success starts the session and
/// continues the authorize request.
pub async fn submit(
    State(state): State<AppState>,
    audit: Anonymous,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = String::from_utf8_lossy(&body);
    let field = |name: &str| query_param(&form, name).unwrap_or_default();
    let from = safe_from_uri(Some(&field("fromURI"))).unwrap_or_default();
    let username = field("username");
    let sent = field("csrf");
    let expected = cookie::read(&headers, CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        let msg = "Your sign-in form expired. Please try again.";
        return render(&state, StatusCode::FORBIDDEN, &from, &username, Some(msg)).await;
    }
    match check(&state, &audit, &username, Secret::new(field("password"))).await? {
        SignIn::Success(user) => {
            let (_session, set) = cookie::start_session(&state, &audit, &user, true).await?;
            // Back at authorize, a one-time token proves this very sign-in, so `max_age` and
            // `prompt=login` are satisfied by it however long the way back takes.
            let target = if from.is_empty() {
                "/login/done".to_owned()
            } else {
                let (token, _) = issue_session_token(&state, &user, &[]).await?;
                let mut t = from;
                t.push_str(if t.contains('?') { "&" } else { "?" });
                t.push_str("sessionToken=");
                t.push_str(token.expose());
                t
            };
            let mut r = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&target) {
                r.headers_mut().insert(LOCATION, v);
            }
            if let Some(c) = set {
                r.headers_mut().append(SET_COOKIE, c);
            }
            Ok(r)
        }
        // The same words whatever went wrong, so the page never reveals whether a login exists.
        SignIn::PasswordExpired(_) | SignIn::Failed => {
            let msg = "Unable to sign in. Check your username and password, or ask your administrator for help.";
            render(
                &state,
                StatusCode::UNAUTHORIZED,
                &from,
                &username,
                Some(msg),
            )
            .await
        }
    }
}

/// `GET /login/done`: where a sign-in without an application to return to ends.
pub async fn done(State(state): State<AppState>) -> Result<Response, ApiError> {
    let org = state.store().org().await?;
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed in</title><style>{STYLE}</style></head>\
         <body><main><h1>You are signed in</h1><p class=\"org\">{}</p></main></body></html>",
        escape(&org.company_name)
    );
    Ok(html_response(StatusCode::OK, html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn only_local_authorize_requests_are_continued() {
        assert_eq!(
            safe_from_uri(Some("/oauth2/default/v1/authorize?x=1")).as_deref(),
            Some("/oauth2/default/v1/authorize?x=1")
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/oauth2/",
            "/oauth2//evil",
            "/admin",
            "/oauth2/\\evil",
        ] {
            assert_eq!(safe_from_uri(Some(bad)), None, "{bad}");
        }
    }
}
