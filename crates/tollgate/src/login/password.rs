//! Primary authentication: checks a username and password, applies Okta's lockout policy and
//! records the outcome in the System Log. The caller never learns more than "it failed" unless
//! the password was right.

use tollgate_core::Timestamp;
use tollgate_core::directory::sign_in::{
    Gate, LockoutPolicy, RightPassword, gate, locks, on_right_password,
};
use tollgate_core::directory::{User, UserStatus};
use tollgate_core::log::{Entity, LogEvent, Result as Outcome};
use tollgate_core::password::Verdict;
use tollgate_core::secret::Secret;
use tollgate_store::Attempt;

use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::state::AppState;
use crate::telemetry::record::{self, SignInOutcome};

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

/// Verifies in a bounded hashing slot, off the async workers (argon2id costs tens of
/// milliseconds and about 19 MiB); `None` checks against the stand-in hash and always fails.
/// `429` when no slot frees up in time.
pub async fn verify(
    state: &AppState,
    password: Secret,
    hash: Option<String>,
) -> Result<bool, ApiError> {
    Ok(verdict(state, password, hash).await? != Verdict::Wrong)
}

/// Like [`verify`]; a right password against an imported hash also brings the argon2id hash
/// to store in its place.
async fn verdict(
    state: &AppState,
    password: Secret,
    hash: Option<String>,
) -> Result<Verdict, ApiError> {
    let now = state.clock().now().unix_seconds();
    state
        .hasher()
        .run(now, move |memory| match hash {
            Some(h) => tollgate_core::password::verify_upgrading_in(memory, &password, &h),
            None => {
                tollgate_core::password::verify_in(memory, &password, dummy_hash());
                Verdict::Wrong
            }
        })
        .await
}

fn policy(state: &AppState) -> LockoutPolicy {
    let (max_attempts, unlock_minutes) = state.lockout();
    LockoutPolicy {
        max_attempts: i64::from(max_attempts),
        unlock_after_secs: i64::from(unlock_minutes) * 60,
    }
}

/// Checks `username` and `password`, updates failure counts and lockout, and writes
/// `user.session.start` (failures) and `user.account.lock` events. A success event is written
/// by whoever starts the session, in the same transaction. Failures are throttled per client
/// address and per username (`429 E0000047` before any password is verified).
pub async fn check(
    state: &AppState,
    audit: &Anonymous,
    username: &str,
    password: Secret,
) -> Result<SignIn, ApiError> {
    let now = state.clock().now();
    let ip = audit.0.client.ip.clone();
    let username = username.trim();
    let throttle = state.sign_in_throttle();
    throttle
        .check(ip.as_deref(), username, now.unix_seconds())
        .inspect_err(|_| record::sign_in(SignInOutcome::Throttled))?;
    let outcome = attempt(state, audit, username, password, now).await?;
    if matches!(outcome, SignIn::Failed) {
        throttle.record_failure(ip.as_deref(), username, now.unix_seconds());
    }
    Ok(outcome)
}

/// One attempt. Every write is conditional (see `tollgate_store::Store::count_sign_in_attempt`),
/// so it never undoes an admin's change, and an attempt is counted before its password is
/// verified, so parallel guesses verify at most the policy's number of passwords.
async fn attempt(
    state: &AppState,
    audit: &Anonymous,
    username: &str,
    password: Secret,
    now: Timestamp,
) -> Result<SignIn, ApiError> {
    let store = state.store();
    let Some(user) = store.find_user(username).await? else {
        verify(state, password, None).await?;
        let actor = Entity::new("unknown", "User", username, "unknown");
        let event = failure(
            audit,
            actor,
            "VERIFICATION_ERROR",
            "No user with that login",
            now,
        );
        store.append_events(&[event]).await?;
        record::sign_in(SignInOutcome::UnknownUser);
        return Ok(SignIn::Failed);
    };
    let actor = Entity::user(&user);
    let fail = |reason: &str, detail: &str| failure(audit, actor.clone(), reason, detail, now);
    let (seen, verdict) = match prove(state, audit, &user, password, now, &fail).await? {
        Proof::Right { seen, verdict } => (seen, verdict),
        Proof::Locked => {
            record::sign_in(SignInOutcome::LockedOut);
            return Ok(SignIn::Failed);
        }
        Proof::Wrong => {
            record::sign_in(SignInOutcome::BadPassword);
            return Ok(SignIn::Failed);
        }
    };
    let id = user.id.as_str();
    let right = on_right_password(seen.status);
    let last_login = (right == RightPassword::SignIn).then_some(now);
    let rehash = match &verdict {
        Verdict::RightUpgraded(h) => Some(h.as_str()),
        Verdict::Right | Verdict::Wrong => None,
    };
    let unchanged = store
        .record_sign_in(id, &seen, last_login, rehash, now, &[])
        .await?;
    let reason = match (unchanged, right) {
        (false, _) => "The user changed during sign-in".to_owned(),
        (true, RightPassword::Refused) => format!("The user is {}", seen.status.as_str()),
        (true, _) => {
            let Some(fresh) = store.find_user(id).await? else {
                return Ok(SignIn::Failed);
            };
            return Ok(if right == RightPassword::SignIn {
                record::sign_in(SignInOutcome::Success);
                SignIn::Success(fresh)
            } else {
                record::sign_in(SignInOutcome::PasswordExpired);
                SignIn::PasswordExpired(fresh)
            });
        }
    };
    let event = failure(audit, actor, "INVALID_CREDENTIALS", &reason, now);
    store.append_events(&[event]).await?;
    record::sign_in(SignInOutcome::Refused);
    Ok(SignIn::Failed)
}

/// What checking a known user's password under the lockout policy came to.
#[derive(Debug)]
pub enum Proof {
    /// Right: the attempt counted (`seen`) is still to be cleared by the caller.
    Right {
        /// The attempt as counted, with the hash verified.
        seen: Attempt,
        /// The verdict, with the upgraded hash of an imported one.
        verdict: Verdict,
    },
    /// Wrong: counted, and the user locked if that was the last attempt allowed.
    Wrong,
    /// Locked, or as many attempts as the policy allows are under way: nothing verified.
    Locked,
}

/// Checks `password` for `user` as a sign-in does, wherever a password proves the user
/// (sign-in, `credentials/change_password`): a lock that ran out ends first, the attempt is
/// counted before the password is verified, and a wrong one that reaches the policy's limit
/// locks the user (`user.account.lock`). `fail(reason, detail)` makes the failure event
/// written for a refused or wrong attempt.
pub async fn prove(
    state: &AppState,
    audit: &Anonymous,
    user: &User,
    password: Secret,
    now: Timestamp,
    fail: &(dyn Fn(&str, &str) -> LogEvent + Sync),
) -> Result<Proof, ApiError> {
    let store = state.store();
    let policy = policy(state);
    let id = user.id.as_str();
    let actor = Entity::user(user);
    match gate(user, policy, now) {
        Gate::Locked => {
            store
                .append_events(&[fail("LOCKED_OUT", "The account is locked")])
                .await?;
            return Ok(Proof::Locked);
        }
        Gate::UnlockThenVerify => {
            let event = audit
                .event(
                    actor.clone(),
                    "user.account.unlock",
                    "Unlock user account",
                    now,
                )
                .debug("reason", "lockout period ended");
            let (from, to) = (UserStatus::LockedOut, UserStatus::Active);
            store
                .move_user_status(id, from, to, user.status_changed, true, now, &[event])
                .await?;
        }
        Gate::Verify => {}
    }
    let Some(seen) = store.count_sign_in_attempt(id, policy.max_attempts).await? else {
        let detail =
            "The account is locked, or as many attempts as the policy allows are under way";
        store.append_events(&[fail("LOCKED_OUT", detail)]).await?;
        return Ok(Proof::Locked);
    };
    let verdict = verdict(state, password, seen.password_hash.clone()).await?;
    if verdict != Verdict::Wrong {
        return Ok(Proof::Right { seen, verdict });
    }
    store
        .append_events(&[fail("INVALID_CREDENTIALS", "Wrong password")])
        .await?;
    if locks(seen.status, seen.failed_logins, policy) {
        lock(state, audit, user, seen.failed_logins, now).await?;
    }
    Ok(Proof::Wrong)
}

/// Locks `user` after `failures` wrong passwords in a row.
async fn lock(
    state: &AppState,
    audit: &Anonymous,
    user: &User,
    failures: i64,
    now: Timestamp,
) -> Result<(), ApiError> {
    let max = policy(state).max_attempts;
    let actor = Entity::user(user);
    let event = audit
        .event(
            actor.clone(),
            "user.account.lock",
            "Max sign in attempts exceeded",
            now,
        )
        .target(actor)
        .outcome(
            Outcome::Success,
            Some(format!("{max} failed sign-in attempts in a row")),
        )
        .debug("failedAttempts", failures);
    let (from, to) = (UserStatus::Active, UserStatus::LockedOut);
    state
        .store()
        .move_user_status(user.id.as_str(), from, to, None, false, now, &[event])
        .await?;
    record::lockout();
    Ok(())
}

fn failure(
    audit: &Anonymous,
    actor: Entity,
    reason: &str,
    detail: &str,
    now: Timestamp,
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
    now: Timestamp,
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
