//! Password history and minimum age, as Okta's default password policy sets them: the last
//! four passwords (the current one included) may not be chosen again, and there is no minimum
//! age (`minAgeMinutes: 0`). Which ways of setting a password are checked follows Okta's
//! Users API: a user's own change or reset always is; an admin's set only with `strict=true`.
//! Verifying a candidate against the remembered hashes is the caller's (it costs a hash each).

use crate::clock::Timestamp;
use crate::error::Error;

/// The age settings of a password policy (`settings.password.age`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgePolicy {
    /// Distinct passwords, the current one included, that may not be chosen again.
    pub history_count: usize,
    /// Minutes that must pass after a change before the next one; 0 means none.
    pub min_age_minutes: i64,
}

/// Okta's default password policy: `historyCount: 4`, `minAgeMinutes: 0`.
pub const DEFAULT_AGE: AgePolicy = AgePolicy {
    history_count: 4,
    min_age_minutes: 0,
};

/// Who sets a new password, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setter {
    /// The user proves the old password (`credentials/change_password`); `strict` asks for
    /// the minimum age too.
    ChangePassword {
        /// `?strict=true`.
        strict: bool,
    },
    /// The user resets it (recovery question, reset link, expired password at sign-in).
    SelfService,
    /// An admin sets it (`POST`/`PUT /users/{id}` with a password value).
    Admin {
        /// `?strict=true`.
        strict: bool,
    },
}

/// Which rules apply to a new password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checks {
    /// Not one of the remembered passwords.
    pub history: bool,
    /// Not sooner than the minimum age after the last change.
    pub min_age: bool,
}

/// The rules that apply when `setter` sets a password.
pub fn checks(setter: Setter) -> Checks {
    match setter {
        Setter::ChangePassword { strict } => Checks {
            history: true,
            min_age: strict,
        },
        Setter::SelfService => Checks {
            history: true,
            min_age: true,
        },
        Setter::Admin { strict } => Checks {
            history: strict,
            min_age: strict,
        },
    }
}

/// The hashes a new password is checked against: the current one, then the previous ones,
/// newest first, as many as the policy remembers.
pub fn remembered<'a>(
    current: Option<&'a str>,
    previous: &'a [String],
    policy: AgePolicy,
) -> Vec<&'a str> {
    current
        .into_iter()
        .chain(previous.iter().map(String::as_str))
        .take(policy.history_count)
        .collect()
}

/// Notes that `old` stops being the current password: it goes first among the previous
/// ones, and no more are kept than the policy could ever check.
pub fn remember(previous: &mut Vec<String>, old: Option<String>, policy: AgePolicy) {
    if let Some(old) = old {
        previous.insert(0, old);
    }
    previous.truncate(policy.history_count);
}

/// Whether a change at `now` comes sooner than the minimum age after the last one.
pub fn too_soon(changed: Option<Timestamp>, now: Timestamp, policy: AgePolicy) -> bool {
    match changed {
        Some(changed) if policy.min_age_minutes > 0 => {
            now < changed.plus_seconds(policy.min_age_minutes.saturating_mul(60))
        }
        _ => false,
    }
}

/// The cause Okta gives when a remembered password is chosen again.
pub const REUSED: &str = "Password has been used too recently";
/// The cause when the minimum age has not passed.
pub const TOO_SOON: &str = "Password has been changed too recently";

/// `password: Password has been used too recently` (`E0000001` until the caller maps it).
pub fn reused_error() -> Error {
    Error::invalid_field("password", REUSED)
}

/// Refuses a change sooner than the policy's minimum age, when `checks` ask for it.
pub fn check_min_age(
    checks: Checks,
    changed: Option<Timestamp>,
    now: Timestamp,
    policy: AgePolicy,
) -> Result<(), Error> {
    if checks.min_age && too_soon(changed, now, policy) {
        return Err(Error::invalid_field("password", TOO_SOON));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
