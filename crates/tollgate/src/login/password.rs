//! Primary authentication: checks a username and password, applies Okta's lockout policy and
//! records the outcome in the System Log. The caller never learns more than "it failed" unless
//! the password was right.

use tollgate_core::directory::{User, UserStatus};
use tollgate_core::log::{Entity, LogEvent, Result as Outcome};
use tollgate_core::secret::Secret;

use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::state::AppState;

/// What a sign-in attempt came to.
#[derive(Debug)]
pub enum SignIn {
    /// Right password, active user.
    Success(User),
    /// Right password, but it must be changed first.
    PasswordExpired(User),
    /// Anything else; the reason goes only to the System Log.
    Failed,
}

/// A stand-in hash verified when the login is unknown or has no password, so that answering
/// "no such user" takes as long as a wrong password and timing reveals nothing.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| tollgate_core::password::hash(&Secret::generate(16)).unwrap_or_default())
}

/// Verifies off the async workers (argon2id costs tens of milliseconds); `None` checks against
/// the stand-in hash and always fails.
async fn verify(password: Secret, hash: Option<String>) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => tollgate_core::password::verify(&password, &h),
        None => {
            tollgate_core::password::verify(&password, dummy_hash());
            false
        }
    })
    .await
    .map_err(ApiError::internal)
}

/// Checks `username` and `password`, updates failure counts and lockout, and writes
/// `user.session.start` (failures) and `user.account.lock` events. A success event is written
/// by whoever starts the session, in the same transaction.
pub async fn check(
    state: &AppState,
    audit: &Anonymous,
    username: &str,
    password: Secret,
) -> Result<SignIn, ApiError> {
    let now = state.clock().now();
    let (max_attempts, unlock_minutes) = state.lockout();
    let Some(mut user) = state.store().find_user(username.trim()).await? else {
        verify(password, None).await?;
        let actor = Entity::new("unknown", "User", username.trim(), "unknown");
        let event = failure(
            audit,
            actor,
            "VERIFICATION_ERROR",
            "No user with that login",
            now,
        );
        state.store().append_events(&[event]).await?;
        return Ok(SignIn::Failed);
    };
    let unlocked = user.auto_unlock(i64::from(unlock_minutes) * 60, now);
    let right = verify(password, user.password_hash.clone()).await?;
    let actor = Entity::user(&user);
    let mut events = Vec::new();
    if unlocked {
        events.push(
            audit
                .event(
                    actor.clone(),
                    "user.account.unlock",
                    "Unlock user account",
                    now,
                )
                .debug("reason", "lockout period ended"),
        );
    }
    let outcome = match (right, user.status) {
        (true, UserStatus::Active) => {
            user.record_login(now);
            SignIn::Success(user.clone())
        }
        (true, UserStatus::PasswordExpired) => SignIn::PasswordExpired(user.clone()),
        (true, status) => {
            events.push(failure(
                audit,
                actor.clone(),
                "INVALID_CREDENTIALS",
                &format!("The user is {}", status.as_str()),
                now,
            ));
            SignIn::Failed
        }
        (false, _) => {
            let locked = user.record_failed_login(i64::from(max_attempts), now);
            events.push(failure(
                audit,
                actor.clone(),
                "INVALID_CREDENTIALS",
                "Wrong password",
                now,
            ));
            if locked {
                events.push(
                    audit
                        .event(
                            actor.clone(),
                            "user.account.lock",
                            "Max sign in attempts exceeded",
                            now,
                        )
                        .target(actor.clone())
                        .outcome(
                            Outcome::Success,
                            Some(format!("{max_attempts} failed sign-in attempts in a row")),
                        )
                        .debug("failedAttempts", user.failed_logins),
                );
            }
            SignIn::Failed
        }
    };
    state.store().update_user(&user, &events).await?;
    Ok(outcome)
}

fn failure(
    audit: &Anonymous,
    actor: Entity,
    reason: &str,
    detail: &str,
    now: tollgate_core::Timestamp,
) -> LogEvent {
    audit
        .event(
            actor.clone(),
            "user.session.start",
            "User login to Okta",
            now,
        )
        .target(actor)
        .outcome(Outcome::Failure, Some(reason.to_owned()))
        .debug("detail", detail)
}

/// The `user.session.start` success event.
pub fn success_event(
    audit: &Anonymous,
    user: &User,
    session_id: Option<&str>,
    now: tollgate_core::Timestamp,
) -> LogEvent {
    let mut e = audit
        .event(
            Entity::user(user),
            "user.session.start",
            "User login to Okta",
            now,
        )
        .target(Entity::user(user))
        .debug("authnMethod", "pwd");
    e.session_id = session_id.map(str::to_owned);
    e
}
