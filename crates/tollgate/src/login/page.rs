//! The hosted sign-in page: `GET /login?fromURI=...` shows a username and password form,
//! `POST /login` checks it. Server-rendered, no external assets, works without JavaScript (which
//! only adds the show-password button),
//! protected against cross-site request forgery with a double-submit token, and framed by no
//! one (`frame-ancestors 'none'`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tollgate_core::secret::Secret;

use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::login::password::{SignIn, check};
use crate::login::resolve::issue_session_token;
use crate::login::{cookie, csrf};
use crate::pages::{SHOW_PASSWORD_SCRIPT, document, escape, html_response};
use crate::state::AppState;

const CSRF_COOKIE: &str = "tollgate_csrf";

/// A page that explains an error, for requests that cannot be sent back to a client.
pub fn error_html(code: &str, description: &str) -> String {
    let body = format!(
        "<h1>Something is wrong with this sign-in link</h1><p class=\"error\" role=\"alert\"><strong>{}</strong>: {}</p>\
         <p>Ask the application's administrator to check its settings.</p>",
        escape(code),
        escape(description)
    );
    document("Sign-in error", &body)
}

/// Why the form is shown again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// The CSRF token was missing or wrong: nothing the person typed is at fault.
    Expired,
    /// The username and password did not sign in (whichever was wrong is not said).
    Credentials,
}

impl Problem {
    fn message(self) -> &'static str {
        match self {
            Self::Expired => "Your sign-in form expired. Please try again.",
            // The same words whatever went wrong, so the page never reveals whether a login exists.
            Self::Credentials => {
                "Unable to sign in. Check your username and password, or ask your administrator for help."
            }
        }
    }
}

/// The form. After a failed sign-in both fields are marked invalid and described by the error,
/// and the cursor waits in the password field. The show-password button stays hidden unless
/// the page's script runs; it sits between the password field and "Sign in" in the tab order.
fn form_html(
    org: &str,
    from_uri: &str,
    username: &str,
    csrf: &str,
    problem: Option<Problem>,
) -> String {
    let error = problem
        .map(|p| {
            format!(
                "<p class=\"error\" role=\"alert\" id=\"error\">{}</p>",
                p.message()
            )
        })
        .unwrap_or_default();
    let invalid = if problem == Some(Problem::Credentials) {
        " aria-invalid=\"true\" aria-describedby=\"error\""
    } else {
        ""
    };
    // The field to type into next gets the focus.
    let (focus_user, focus_password) = if username.is_empty() {
        (" autofocus", "")
    } else {
        ("", " autofocus")
    };
    let body = format!(
        "<h1>Sign in</h1><p class=\"org\">{org}</p>{error}\
         <form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"fromURI\" value=\"{from}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"username\">Username</label><input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" required{invalid}{focus_user} value=\"{user}\">\
         <label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required{invalid}{focus_password}>\
         <button type=\"button\" class=\"toggle\" id=\"show-password\" aria-controls=\"password\" aria-pressed=\"false\" hidden>Show password</button>\
         <button type=\"submit\" class=\"primary\">Sign in</button></form>\
         <p><a href=\"{forgot}\">Forgot password?</a></p><script>{SHOW_PASSWORD_SCRIPT}</script>",
        forgot = escape(&crate::login::forgot::page_path(from_uri)),
        org = escape(org),
        from = escape(from_uri),
        csrf = escape(csrf),
        user = escape(username),
    );
    document(&format!("Sign in - {org}"), &body)
}

/// Only our own authorize requests, SAML SSO, app links and the admin console may be continued
/// after sign-in: no open redirects.
pub(crate) fn safe_from_uri(raw: Option<&str>) -> Option<String> {
    let uri = raw?;
    let ours = ["/oauth2/", "/app/", "/home/"]
        .iter()
        .any(|p| uri.starts_with(p))
        || is_console(uri);
    (ours && !uri.contains("//") && !uri.contains('\\')).then(|| uri.to_owned())
}

/// A page of the admin console, which needs the session cookie only (no `sessionToken`).
fn is_console(uri: &str) -> bool {
    uri.strip_prefix("/admin")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
}

pub(crate) fn query_param(text: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(text.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

async fn render(
    state: &AppState,
    status: StatusCode,
    from_uri: &str,
    username: &str,
    problem: Option<Problem>,
) -> Result<Response, ApiError> {
    let org = state.caches().org().await?;
    let csrf = csrf::fresh(state, CSRF_COOKIE);
    let mut r = html_response(
        status,
        form_html(&org.company_name, from_uri, username, &csrf.value, problem),
    );
    if let Some(c) = csrf.set_cookie {
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
    if !csrf::verify(&headers, CSRF_COOKIE, &field(csrf::FIELD)) {
        let expired = Some(Problem::Expired);
        return render(&state, StatusCode::FORBIDDEN, &from, &username, expired).await;
    }
    match check(&state, &audit, &username, Secret::new(field("password"))).await? {
        SignIn::Success(user) => {
            let (_session, set) = cookie::start_session(&state, &audit, &user, true).await?;
            // Back at authorize, a one-time token proves this very sign-in, so `max_age` and
            // `prompt=login` are satisfied by it however long the way back takes.
            let target = if from.is_empty() {
                "/login/done".to_owned()
            } else if is_console(&from) {
                from
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
        SignIn::PasswordExpired(_) | SignIn::Failed => {
            let problem = Some(Problem::Credentials);
            render(&state, StatusCode::UNAUTHORIZED, &from, &username, problem).await
        }
    }
}

/// `GET /login/done`: where a sign-in without an application to return to ends.
pub async fn done(State(state): State<AppState>) -> Result<Response, ApiError> {
    let org = state.caches().org().await?;
    let body = format!(
        "<h1>You are signed in</h1><p class=\"org\">{}</p>",
        escape(&org.company_name)
    );
    let html = document("Signed in", &body);
    Ok(html_response(StatusCode::OK, html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_sign_in_marks_both_fields_and_points_them_at_the_error() {
        let marked = " aria-invalid=\"true\" aria-describedby=\"error\"";
        let cases = [
            (None, 0, false),
            (Some(Problem::Expired), 0, true),
            (Some(Problem::Credentials), 2, true),
        ];
        for (problem, fields, alert) in cases {
            let html = form_html("Acme", "", "annie", "t", problem);
            assert_eq!(html.matches(marked).count(), fields, "{problem:?}");
            assert_eq!(
                html.contains("role=\"alert\" id=\"error\""),
                alert,
                "{problem:?}"
            );
            assert!(html.contains(
                "id=\"show-password\" aria-controls=\"password\" aria-pressed=\"false\" hidden>"
            ));
        }
    }

    #[test]
    fn only_local_authorize_requests_are_continued() {
        assert_eq!(
            safe_from_uri(Some("/oauth2/default/v1/authorize?x=1")).as_deref(),
            Some("/oauth2/default/v1/authorize?x=1")
        );
        for console in ["/admin", "/admin/apps?q=x", "/admin?x=1"] {
            assert_eq!(safe_from_uri(Some(console)).as_deref(), Some(console));
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/oauth2/",
            "/oauth2//evil",
            "/administrator",
            "/admin//evil.example",
            "/oauth2/\\evil",
        ] {
            assert_eq!(safe_from_uri(Some(bad)), None, "{bad}");
        }
    }
}
