//! Okta's sign-in rules as pure decisions: whether a password may be tried at all, what a
//! wrong one does to the lockout counter, what a right one gives, and which statuses keep
//! sessions. The store applies these decisions with conditional writes.

use crate::clock::Timestamp;
use crate::directory::{User, UserStatus};

/// The password policy's lockout settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Wrong passwords in a row that lock the account.
    pub max_attempts: i64,
    /// Seconds after which a lock ends by itself; 0 means only an admin unlocks.
    pub unlock_after_secs: i64,
}

/// Whether a password may be tried for a user as loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Count the attempt, then verify.
    Verify,
    /// The lock has run out: unlock, then count and verify.
    UnlockThenVerify,
    /// Locked: refuse without verifying the password.
    Locked,
}

/// The gate for `user` at `now`.
pub fn gate(user: &User, policy: LockoutPolicy, now: Timestamp) -> Gate {
    if user.status != UserStatus::LockedOut {
        return Gate::Verify;
    }
    let since = user.status_changed.unwrap_or(user.last_updated);
    if policy.unlock_after_secs > 0 && now >= since.plus_seconds(policy.unlock_after_secs) {
        Gate::UnlockThenVerify
    } else {
        Gate::Locked
    }
}

/// Whether one more attempt may be counted when `failed_logins` are counted already. An
/// attempt is counted before its password is verified (and uncounted when it was right), so
/// parallel guesses can never verify more than `max_attempts` passwords.
pub fn may_attempt(failed_logins: i64, policy: LockoutPolicy) -> bool {
    failed_logins < policy.max_attempts
}

/// Whether a wrong password that brought the count to `failures` locks a user in `status`.
pub fn locks(status: UserStatus, failures: i64, policy: LockoutPolicy) -> bool {
    status == UserStatus::Active && failures >= policy.max_attempts
}

/// What a right password gives a user in a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RightPassword {
    /// Signed in.
    SignIn,
    /// Must change the password first.
    ChangePassword,
    /// The status forbids signing in.
    Refused,
}

/// What a right password gives a user in `status`.
pub fn on_right_password(status: UserStatus) -> RightPassword {
    match status {
        UserStatus::Active => RightPassword::SignIn,
        UserStatus::PasswordExpired => RightPassword::ChangePassword,
        _ => RightPassword::Refused,
    }
}

/// Whether a user in `status` keeps sessions and unredeemed session tokens; deactivating or
/// suspending a user ends them.
pub fn keeps_sessions(status: UserStatus) -> bool {
    matches!(
        status,
        UserStatus::Active
            | UserStatus::PasswordExpired
            | UserStatus::LockedOut
            | UserStatus::Recovery
    )
}

/// Whether a session may be started for a user in `status`.
pub fn may_start_session(status: UserStatus) -> bool {
    status == UserStatus::Active
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::user::CreateOptions;

    const POLICY: LockoutPolicy = LockoutPolicy {
        max_attempts: 3,
        unlock_after_secs: 60,
    };

    fn user(status: UserStatus, changed: i64) -> User {
        let profile = serde_json::json!({"login": "a@b.co", "email": "a@b.co",
            "firstName": "A", "lastName": "B"});
        let opts = CreateOptions {
            activate: true,
            change_password_next_login: false,
        };
        let mut u = User::create(
            profile.as_object().cloned().unwrap_or_default(),
            Some("h".into()),
            opts,
            Timestamp::from_millis(0),
        )
        .unwrap();
        u.status = status;
        u.status_changed = Some(Timestamp::from_millis(changed));
        u
    }

    #[test]
    fn gates() {
        let t = Timestamp::from_millis;
        let never = LockoutPolicy {
            unlock_after_secs: 0,
            ..POLICY
        };
        let cases = [
            (UserStatus::Active, POLICY, 0, Gate::Verify),
            (UserStatus::Suspended, POLICY, 0, Gate::Verify),
            (UserStatus::LockedOut, POLICY, 59_999, Gate::Locked),
            (
                UserStatus::LockedOut,
                POLICY,
                60_000,
                Gate::UnlockThenVerify,
            ),
            (UserStatus::LockedOut, never, 1_000_000_000, Gate::Locked),
        ];
        for (status, policy, now, want) in cases {
            assert_eq!(
                gate(&user(status, 0), policy, t(now)),
                want,
                "{status:?} {now}"
            );
        }
    }

    #[test]
    fn counting_and_locking() {
        let cases = [(0, true), (2, true), (3, false), (9, false)];
        for (failed, want) in cases {
            assert_eq!(may_attempt(failed, POLICY), want, "{failed}");
        }
        let cases = [
            (UserStatus::Active, 2, false),
            (UserStatus::Active, 3, true),
            (UserStatus::Suspended, 3, false),
            (UserStatus::PasswordExpired, 5, false),
        ];
        for (status, failures, want) in cases {
            assert_eq!(
                locks(status, failures, POLICY),
                want,
                "{status:?} {failures}"
            );
        }
    }

    #[test]
    fn statuses() {
        use UserStatus as S;
        let cases = [
            (S::Active, RightPassword::SignIn, true, true),
            (
                S::PasswordExpired,
                RightPassword::ChangePassword,
                true,
                false,
            ),
            (S::LockedOut, RightPassword::Refused, true, false),
            (S::Suspended, RightPassword::Refused, false, false),
            (S::Deprovisioned, RightPassword::Refused, false, false),
            (S::Staged, RightPassword::Refused, false, false),
        ];
        for (status, right, keeps, starts) in cases {
            assert_eq!(on_right_password(status), right, "{status:?}");
            assert_eq!(keeps_sessions(status), keeps, "{status:?}");
            assert_eq!(may_start_session(status), starts, "{status:?}");
        }
    }
}
