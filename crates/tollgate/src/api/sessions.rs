//! Sessions: `POST /api/v1/sessions` (exchange a `sessionToken`, anonymous),
//! `GET|DELETE /api/v1/sessions/{id}`, `POST /api/v1/sessions/{id}/lifecycle/refresh` (SSWS),
//! `GET|DELETE /api/v1/sessions/me` and `POST /api/v1/sessions/me/lifecycle/refresh` (cookie),
//! `DELETE /api/v1/users/{id}/sessions` (SSWS).
//!
//! Okta reference: Sessions API; Tollgate reference `management-api.md` section 7.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::log::Entity;
use tollgate_core::secret::Secret;
use tollgate_core::session::{Session, TokenKind};

use crate::api::users::load_user;
use crate::http::audit::Anonymous;
use crate::http::auth::Admin;
use crate::http::body::StrictJson;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::login::cookie;
use crate::state::AppState;

/// A session in Okta's shape.
async fn session_json(state: &AppState, s: &Session) -> ApiResult<Value> {
    let org = state.store().org().await?;
    let user = state.store().find_user(s.user_id.as_str()).await?;
    let (login, name) = match &user {
        Some(u) => (u.login().to_owned(), Entity::user(u).display_name),
        None => (String::new(), String::new()),
    };
    let id = &s.id;
    Ok(json!({
        "id": id,
        "login": login,
        "userId": s.user_id,
        "status": "ACTIVE",
        "createdAt": s.created,
        "expiresAt": s.expires_at,
        "lastPasswordVerification": s.auth_time,
        "lastFactorVerification": null,
        "amr": s.amr,
        "idp": {"id": org.id, "type": "OKTA"},
        "mfaActive": false,
        "_links": {
            "self": {"href": state.link(&format!("/api/v1/sessions/{id}")), "hints": {"allow": ["GET", "DELETE"]}},
            "refresh": {"href": state.link(&format!("/api/v1/sessions/{id}/lifecycle/refresh")), "hints": {"allow": ["POST"]}},
            "user": {"name": name, "href": state.link(&format!("/api/v1/users/{}", s.user_id)), "hints": {"allow": ["GET"]}},
        },
    }))
}

/// `{"sessionToken": "..."}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateBody {
    session_token: Option<String>,
}

/// `POST /api/v1/sessions`: exchanges a one-time `sessionToken` for a session and its cookie.
/// The body must be declared JSON: a cross-site form could otherwise sign a browser in to
/// an attacker's account (login CSRF).
pub async fn create_session(
    State(state): State<AppState>,
    audit: Anonymous,
    StrictJson(body): StrictJson<CreateBody>,
) -> ApiResult<Response> {
    let token = Secret::new(body.session_token.unwrap_or_default());
    let now = state.clock().now();
    let user_id = state
        .store()
        .redeem_one_time_token(&token.digest(), TokenKind::Session, now)
        .await?
        .ok_or_else(|| ApiError::new(OktaCode::E0000004))?;
    let user = load_user(&state, &user_id).await?;
    let (session, set_cookie) = cookie::start_session(&state, &audit, &user, false).await?;
    let mut response = Json(session_json(&state, &session).await?).into_response();
    if let Some(c) = set_cookie {
        response.headers_mut().insert(SET_COOKIE, c);
    }
    Ok(response)
}

async fn load_session(state: &AppState, id: &str) -> ApiResult<Session> {
    state
        .store()
        .find_session(id, state.clock().now())
        .await?
        .ok_or_else(|| ApiError::not_found(id, "Session"))
}

/// `GET /api/v1/sessions/{id}`.
pub async fn get_session(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let s = load_session(&state, &id).await?;
    Ok(Json(session_json(&state, &s).await?))
}

/// `POST /api/v1/sessions/{id}/lifecycle/refresh`.
pub async fn refresh_session(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut s = load_session(&state, &id).await?;
    s.refresh(state.clock().now());
    state.store().touch_session(&s).await?;
    Ok(Json(session_json(&state, &s).await?))
}

/// `DELETE /api/v1/sessions/{id}`.
pub async fn delete_session(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let s = load_session(&state, &id).await?;
    let event = admin.audit.session_end(&s, state.clock().now());
    state.store().delete_session(&id, &[event]).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/users/{id}/sessions`: ends every session of the user.
pub async fn delete_user_sessions(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let user = load_user(&state, &id).await?;
    let event = admin
        .event(
            "user.session.clear",
            "Clear user sessions",
            state.clock().now(),
        )
        .target(Entity::user(&user));
    state
        .store()
        .delete_user_sessions(user.id.as_str(), &[event])
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn my_session(state: &AppState, headers: &HeaderMap) -> ApiResult<Session> {
    cookie::current(state, headers)
        .await?
        .ok_or_else(|| ApiError::not_found("me", "Session"))
}

/// `GET /api/v1/sessions/me` (cookie).
pub async fn get_my_session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let s = my_session(&state, &headers).await?;
    Ok(Json(session_json(&state, &s).await?))
}

/// `POST /api/v1/sessions/me/lifecycle/refresh` (cookie).
pub async fn refresh_my_session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let s = my_session(&state, &headers).await?;
    Ok(Json(session_json(&state, &s).await?))
}

/// `DELETE /api/v1/sessions/me` (cookie): signs out and clears the cookie.
pub async fn delete_my_session(
    State(state): State<AppState>,
    audit: Anonymous,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let s = my_session(&state, &headers).await?;
    let mut event = audit.0.session_end(&s, state.clock().now());
    if let Some(user) = state.store().find_user(s.user_id.as_str()).await? {
        event.actor = Entity::user(&user);
    }
    state.store().delete_session(&s.id, &[event]).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(c) = cookie::set(&state, cookie::NAME, "", 0) {
        response.headers_mut().insert(SET_COOKIE, c);
    }
    Ok(response)
}
