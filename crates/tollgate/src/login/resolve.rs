//! Who is signed in for an authorize request: a `sessionToken` (which starts a session) wins,
//! then the session cookie, subject to `prompt=login` and `max_age`. The OAuth endpoints take
//! `auth_time` and `amr` for their tokens from the session this gives.

use axum::http::{HeaderMap, HeaderValue};
use tollgate_core::Timestamp;
use tollgate_core::directory::User;
use tollgate_core::directory::sign_in::may_start_session;
use tollgate_core::log::LogEvent;
use tollgate_core::secret::Secret;
use tollgate_core::session::{SESSION_TOKEN_SECS, Session, TokenKind};

use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::login::cookie;
use crate::state::AppState;

/// What the authorize request asks of authentication.
#[derive(Debug, Clone, Copy, Default)]
pub struct Demands<'a> {
    /// The `sessionToken` parameter.
    pub session_token: Option<&'a str>,
    /// `prompt` contains `login`: an existing session does not count.
    pub force_login: bool,
    /// `max_age`, in seconds.
    pub max_age: Option<i64>,
}

/// A signed-in user and the session that proves it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The user.
    pub user: User,
    /// The session: `auth_time` and `amr` for the tokens.
    pub session: Session,
    /// A `Set-Cookie` for a session this request started (from a `sessionToken`).
    pub set_cookie: Option<HeaderValue>,
}

/// Issues a one-time `sessionToken` for `user`, saved with `events`: proof of a sign-in just
/// made, redeemable once within [`SESSION_TOKEN_SECS`]. Gives the token and its expiry.
pub async fn issue_session_token(
    state: &AppState,
    user: &User,
    events: &[LogEvent],
) -> Result<(Secret, Timestamp), ApiError> {
    let now = state.clock().now();
    let token = Secret::generate(30);
    let expires = now.plus_seconds(SESSION_TOKEN_SECS);
    state
        .store()
        .create_one_time_token(
            &token.digest(),
            TokenKind::Session,
            user.id.as_str(),
            now,
            expires,
            events,
        )
        .await?;
    Ok((token, expires))
}

/// The signed-in user for this request, or `None` when the user must (re)authenticate.
pub async fn signed_in_user(
    state: &AppState,
    audit: &Anonymous,
    headers: &HeaderMap,
    demands: Demands<'_>,
) -> Result<Option<SignedIn>, ApiError> {
    let now = state.clock().now();
    if let Some(token) = demands.session_token {
        let redeemed = state
            .store()
            .redeem_one_time_token(&Secret::new(token).digest(), TokenKind::Session, now)
            .await?;
        let Some(user_id) = redeemed else {
            return Ok(None);
        };
        let Some(user) = state.store().find_user(&user_id).await? else {
            return Ok(None);
        };
        if !may_start_session(user.status) {
            return Ok(None);
        }
        // The sign-in page started a session with the same sign-in the token proves: use it.
        if let Some(session) = cookie::current(state, headers)
            .await?
            .filter(|s| s.proven_by_fresh_token(&user_id, now))
        {
            return Ok(Some(SignedIn {
                user,
                session,
                set_cookie: None,
            }));
        }
        let (session, set_cookie) = cookie::start_session(state, audit, &user, false).await?;
        return Ok(Some(SignedIn {
            user,
            session,
            set_cookie,
        }));
    }
    let Some(session) = cookie::current(state, headers).await? else {
        return Ok(None);
    };
    if demands.force_login
        || demands
            .max_age
            .is_some_and(|m| !session.satisfies_max_age(m, now))
    {
        return Ok(None);
    }
    Ok(state
        .store()
        .find_user(session.user_id.as_str())
        .await?
        .map(|user| SignedIn {
            user,
            session,
            set_cookie: None,
        }))
}
