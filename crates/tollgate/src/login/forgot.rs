//! The hosted "Forgot password?" page: `GET /signin/forgot-password` asks for the username,
//! `POST` starts the same recovery as `/api/v1/authn/recovery/password` (an e-mailed link to the
//! reset page) and says the e-mail is on its way, whether or not the username exists, so the
//! page reveals no accounts. CSRF-protected like the sign-in page; `fromURI` is carried so
//! "Back to sign in" returns to the application's sign-in.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

use crate::api::authn_recovery::start_recovery;
use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::login::csrf;
use crate::login::page::{query_param, safe_from_uri};
use crate::pages::{document, escape, html_response};
use crate::state::AppState;

const CSRF_COOKIE: &str = "tollgate_forgot_csrf";
const PATH: &str = "/signin/forgot-password";

/// `GET` and `POST /signin/forgot-password`.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(PATH, axum::routing::get(show).post(submit))
}

/// The page's address, carrying the sign-in's `fromURI` when there is one.
pub fn page_path(from_uri: &str) -> String {
    with_from(PATH, from_uri)
}

fn with_from(path: &str, from_uri: &str) -> String {
    if from_uri.is_empty() {
        return path.to_owned();
    }
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("fromURI", from_uri)
        .finish();
    format!("{path}?{query}")
}

fn form_html(org: &str, from_uri: &str, csrf: &str, expired: bool) -> String {
    let error = if expired {
        "<p class=\"error\" role=\"alert\" id=\"error\">Your form expired. Please try again.</p>"
    } else {
        ""
    };
    let body = format!(
        "<h1>Reset password</h1><p class=\"org\">{org}</p>{error}\
         <p>Enter your username. If it belongs to an account, we e-mail a link to choose a new password.</p>\
         <form method=\"post\" action=\"{PATH}\"><input type=\"hidden\" name=\"fromURI\" value=\"{from}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"username\">Username</label><input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" required autofocus>\
         <button type=\"submit\" class=\"primary\">Reset via email</button></form>\
         <p><a href=\"{back}\">Back to sign in</a></p>",
        org = escape(org),
        from = escape(from_uri),
        csrf = escape(csrf),
        back = escape(&with_from("/login", from_uri)),
    );
    document(&format!("Reset password - {org}"), &body)
}

async fn render(
    state: &AppState,
    status: StatusCode,
    from_uri: &str,
    expired: bool,
) -> Result<Response, ApiError> {
    let org = state.caches().org().await?;
    let csrf = csrf::fresh(state, CSRF_COOKIE);
    let html = form_html(&org.company_name, from_uri, &csrf.value, expired);
    let mut r = html_response(status, html);
    if let Some(c) = csrf.set_cookie {
        r.headers_mut().append(SET_COOKIE, c);
    }
    Ok(r)
}

/// `GET /signin/forgot-password?fromURI=...`.
pub async fn show(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let q = uri.query().unwrap_or_default();
    let from = safe_from_uri(query_param(q, "fromURI").as_deref()).unwrap_or_default();
    render(&state, StatusCode::OK, &from, false).await
}

/// `POST /signin/forgot-password`: starts the recovery and says the e-mail is on its way.
pub async fn submit(
    State(state): State<AppState>,
    audit: Anonymous,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = String::from_utf8_lossy(&body);
    let field = |name: &str| query_param(&form, name).unwrap_or_default();
    let from = safe_from_uri(Some(&field("fromURI"))).unwrap_or_default();
    if !csrf::verify(&headers, CSRF_COOKIE, &field(csrf::FIELD)) {
        return render(&state, StatusCode::FORBIDDEN, &from, true).await;
    }
    let username = field("username");
    if !username.trim().is_empty() {
        start_recovery(&state, &audit, &username).await?;
    }
    let body = format!(
        "<h1>Email sent!</h1><p role=\"status\">If {} belongs to an account, an e-mail with a link to reset the password is on its way. The link works once, for one hour.</p>\
         <p><a href=\"{}\">Back to sign in</a></p>",
        escape(username.trim()),
        escape(&with_from("/login", &from)),
    );
    Ok(html_response(StatusCode::OK, document("Email sent", &body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_carries_the_sign_in_it_came_from() {
        assert_eq!(page_path(""), "/signin/forgot-password");
        assert_eq!(
            page_path("/oauth2/default/v1/authorize?a=1&b=2"),
            "/signin/forgot-password?fromURI=%2Foauth2%2Fdefault%2Fv1%2Fauthorize%3Fa%3D1%26b%3D2"
        );
        let html = form_html("Acme", "/oauth2/x?y=1", "t", true);
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("href=\"/login?fromURI=%2Foauth2%2Fx%3Fy%3D1\""));
    }
}
