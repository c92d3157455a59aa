//! Who may use the console: a signed-in user (else the hosted sign-in page, and back) who holds
//! an admin role (else a 403 page). What each admin may do is the API's decision: every console
//! action names the `/api/v1` call it stands for, and [`authorize::permitted`] decides it as it
//! would for that call.

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tollgate_core::admin::Grant;
use tollgate_core::directory::User;
use tollgate_core::log::Entity;
use tollgate_core::session::Session;

pub use crate::console::action::ConsoleAction;
use crate::console::layout::{message_page, message_with_link, redirect};
use crate::http::audit::Audit;
use crate::http::authorize::{self, owner_may_call};
use crate::login::page::query_param;
use crate::login::{cookie, csrf};
use crate::state::AppState;

/// The cookie that carries the console's CSRF token.
pub const CSRF_COOKIE: &str = "tollgate_console_csrf";

/// A signed-in admin on a console page.
#[derive(Debug, Clone)]
pub struct ConsoleAdmin {
    /// The admin.
    pub user: User,
    /// The session the browser signed in with.
    pub session: Session,
    /// The admin's roles.
    pub grants: Vec<Grant>,
    /// Actor and client for the System Log: the admin, from this request.
    pub audit: Audit,
    /// The token every form of the page carries.
    pub csrf: csrf::Token,
}

impl FromRequestParts<AppState> for ConsoleAdmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(session) = cookie::current(state, &parts.headers)
            .await
            .map_err(IntoResponse::into_response)?
        else {
            return Err(to_sign_in(parts));
        };
        let user = state
            .store()
            .find_user(session.user_id.as_str())
            .await
            .map_err(|e| crate::http::ApiError::from(e).into_response())?;
        let Some(user) = user.filter(|u| owner_may_call(u.status)) else {
            return Err(to_sign_in(parts));
        };
        let grants = state
            .store()
            .grants_of_user(user.id.as_str())
            .await
            .map_err(|e| crate::http::ApiError::from(e).into_response())?;
        if grants.is_empty() {
            return Err(no_admin_role());
        }
        let audit = Audit::from_parts(parts, Entity::user(&user), None);
        let csrf = csrf::current_or_fresh(state, &parts.headers, CSRF_COOKIE);
        Ok(Self {
            user,
            session,
            grants,
            audit,
            csrf,
        })
    }
}

impl ConsoleAdmin {
    /// Whether this admin may do `action` to the app, user or group `id` (if any), as the API
    /// decides.
    pub async fn may(
        &self,
        state: &AppState,
        action: ConsoleAction,
        id: Option<&str>,
    ) -> Result<bool, Response> {
        let (method, template) = action.api_call();
        let params = action.params(id);
        authorize::permitted(state, &self.grants, method, template, &params)
            .await
            .map_err(IntoResponse::into_response)
    }

    /// A 403 page unless this admin may do `action`.
    pub async fn require(
        &self,
        state: &AppState,
        action: ConsoleAction,
        id: Option<&str>,
    ) -> Result<(), Response> {
        if self.may(state, action, id).await? {
            Ok(())
        } else {
            Err(message_page(
                StatusCode::FORBIDDEN,
                "Not allowed",
                "Your admin role does not allow this.",
            ))
        }
    }

    /// The posted form, once its CSRF token checks (else answer [`expired_form`]).
    pub fn form(&self, headers: &HeaderMap, body: &Bytes) -> Option<Form> {
        let form = Form(String::from_utf8_lossy(body).into_owned());
        csrf::verify(headers, CSRF_COOKIE, &form.get(csrf::FIELD)).then_some(form)
    }
}

/// The 403 page for a post whose CSRF token is missing or wrong.
pub fn expired_form() -> Response {
    message_page(
        StatusCode::FORBIDDEN,
        "Form expired",
        "This form expired or did not come from the console. Open the page again and retry.",
    )
}

/// A posted `application/x-www-form-urlencoded` body.
#[derive(Debug, Clone)]
pub struct Form(String);

impl Form {
    /// The value of field `name`, empty when absent.
    pub fn get(&self, name: &str) -> String {
        query_param(&self.0, name).unwrap_or_default()
    }

    /// Every value of field `name` (a multiple select), in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        url::form_urlencoded::parse(self.0.as_bytes())
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .collect()
    }

    /// A form posting `pairs`, for unit tests.
    #[cfg(test)]
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let mut body = url::form_urlencoded::Serializer::new(String::new());
        body.extend_pairs(pairs);
        Self(body.finish())
    }
}

/// `303` to the hosted sign-in page, which comes back to this page afterwards (to the console's
/// start after a post, which cannot be repeated by a redirect).
fn to_sign_in(parts: &Parts) -> Response {
    let page = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .filter(|p| parts.method == Method::GET && p.starts_with("/admin"));
    let back = page.unwrap_or("/admin");
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("fromURI", back)
        .finish();
    redirect(&format!("/login?{query}"))
}

fn no_admin_role() -> Response {
    message_with_link(
        StatusCode::FORBIDDEN,
        (
            "No access to the Admin Console",
            "You are signed in, but you do not hold an admin role. Ask an administrator for one.",
        ),
        ("/login?fromURI=%2Fadmin", "Sign in as another user"),
    )
}

#[cfg(test)]
mod tests;
