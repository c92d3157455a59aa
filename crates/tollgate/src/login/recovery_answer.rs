//! The recovery question as a step of password recovery, shared by the authn API
//! (`/api/v1/authn/recovery/answer`) and the hosted reset page: a user who has a question must
//! answer it before choosing a new password. Wrong answers are throttled like wrong passwords
//! (per client address and per username, then `429`), and every answer is in the System Log
//! (`user.authentication.verify`, a wrong one as a failure).

use tollgate_core::directory::User;
use tollgate_core::directory::user::credentials::answer_key;
use tollgate_core::log::{Entity, LogEvent, Result as Outcome};

use crate::api::users::credentials::matches;
use crate::http::audit::Anonymous;
use crate::http::{ApiError, OktaCode};
use crate::state::AppState;

/// How an answer went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Right (or the user has no question).
    Right,
    /// Wrong.
    Wrong,
    /// Too many wrong answers lately: not checked.
    Throttled,
}

/// Checks `given` against `user`'s recovery answer.
pub async fn check(
    state: &AppState,
    audit: &Anonymous,
    user: &User,
    given: &str,
) -> Result<Answer, ApiError> {
    if user.recovery_question.is_none() {
        return Ok(Answer::Right);
    }
    let now = state.clock().now().unix_seconds();
    let ip = audit.0.client.ip.clone();
    let throttle = state.sign_in_throttle();
    match throttle.check(ip.as_deref(), user.login(), now) {
        Err(e) if e.code == OktaCode::E0000047 => return Ok(Answer::Throttled),
        other => other?,
    }
    let hash = user.recovery_answer_hash.as_deref();
    let right = matches(state, answer_key(given), hash).await?;
    let failure = (!right).then_some("INVALID_RECOVERY_ANSWER");
    let event = verify_event(state, audit, user, "recovery question", failure);
    state.store().append_events(&[event]).await?;
    if right {
        return Ok(Answer::Right);
    }
    throttle.record_failure(ip.as_deref(), user.login(), now);
    Ok(Answer::Wrong)
}

/// `user.authentication.verify` for a recovery step: proof by `what`, failed for `failure`.
pub fn verify_event(
    state: &AppState,
    audit: &Anonymous,
    user: &User,
    what: &str,
    failure: Option<&str>,
) -> LogEvent {
    let event = audit
        .event(
            Entity::user(user),
            "user.authentication.verify",
            "Verify user identity for password recovery",
            state.clock().now(),
        )
        .target(Entity::user(user))
        .debug("factor", what);
    match failure {
        Some(reason) => event.outcome(Outcome::Failure, Some(reason.to_owned())),
        None => event,
    }
}
