//! The session cookie `sid`: random, `HttpOnly`, `SameSite=None; Secure` when the public URL is
//! https (as Okta, so silent authentication in an iframe works), `SameSite=Lax` on plain http
//! (browsers refuse `None` without `Secure`). The database keeps only its digest.

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use tollgate_core::directory::User;
use tollgate_core::secret::Secret;
use tollgate_core::session::{ABSOLUTE_SECS, Session};

use crate::http::audit::Anonymous;
use crate::http::{ApiError, OktaCode};
use crate::login::password::success_event;
use crate::state::AppState;

/// The cookie's name, as Okta's.
pub const NAME: &str = "sid";

/// The value of cookie `name` in a request.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value for `name=value` living `max_age` seconds (0 deletes it).
pub fn set(state: &AppState, name: &str, value: &str, max_age: i64) -> Option<HeaderValue> {
    let attrs = if state.secure_cookies() {
        "Secure; SameSite=None"
    } else {
        "SameSite=Lax"
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; {attrs}; Max-Age={max_age}"
    ))
    .ok()
}

/// Starts a session for `user` and gives the `Set-Cookie` value. With `log_start`, the session's
/// `user.session.start` event is saved with it (a session made from a `sessionToken` was logged
/// when the token was issued).
pub async fn start_session(
    state: &AppState,
    audit: &Anonymous,
    user: &User,
    log_start: bool,
) -> Result<(Session, Option<HeaderValue>), ApiError> {
    let now = state.clock().now();
    let (session, secret) = Session::start(user.id.clone(), now);
    let events: Vec<_> = log_start
        .then(|| success_event(audit, user, Some(&session.id), now))
        .into_iter()
        .collect();
    // `NotFound`: the user was deactivated or suspended since signing in.
    match state
        .store()
        .create_session(&session, &secret.digest(), &events)
        .await
    {
        Err(tollgate_store::Error::NotFound) => return Err(ApiError::new(OktaCode::E0000004)),
        other => other?,
    }
    Ok((session, set(state, NAME, secret.expose(), ABSOLUTE_SECS)))
}

/// The live session named by the request's cookie, refreshed (its idle expiry pushed out; written
/// back at most once a minute, see [`tollgate_core::session::TOUCH_EVERY_SECS`]).
pub async fn current(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, ApiError> {
    let Some(value) = read(headers, NAME) else {
        return Ok(None);
    };
    let now = state.clock().now();
    let Some(mut session) = state
        .store()
        .find_session_by_cookie(&Secret::new(value).digest(), now)
        .await?
    else {
        return Ok(None);
    };
    if session.refresh_due(now) {
        state.store().touch_session(&session).await?;
    }
    Ok(Some(session))
}
