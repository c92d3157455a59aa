//! Browser sessions and the one-time tokens that start them.

use crate::clock::Timestamp;
use crate::id::{UserId, random_base62};
use crate::secret::Secret;

/// A session ends this long after its last use.
pub const IDLE_SECS: i64 = 2 * 3600;
/// A session ends this long after it started, however busy.
pub const ABSOLUTE_SECS: i64 = 24 * 3600;
/// Uses of a session closer together than this are not written back: the stored idle expiry
/// may fall short of the exact one by this much, and a busy session costs one write a minute.
pub const TOUCH_EVERY_SECS: i64 = 60;
/// A `sessionToken` from `/api/v1/authn` lives five minutes.
pub const SESSION_TOKEN_SECS: i64 = 300;

/// What a one-time token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `sessionToken`: exchanged once for a session.
    Session,
    /// `stateToken`: continues a password-expired sign-in.
    State,
    /// The token of a password reset link (`lifecycle/reset_password`,
    /// `credentials/forgot_password`).
    PasswordReset,
    /// The token of an activation link (`lifecycle/activate?sendEmail=false`,
    /// `lifecycle/reactivate`).
    Activation,
    /// `stateToken` of a recovery waiting for the recovery question's answer
    /// (`/api/v1/authn/recovery/answer`).
    RecoveryAnswer,
    /// `stateToken` of a recovery that may set the new password
    /// (`/api/v1/authn/credentials/reset_password`).
    RecoveryReset,
}

impl TokenKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::State => "state",
            Self::PasswordReset => "password_reset",
            Self::Activation => "activation",
            Self::RecoveryAnswer => "recovery_answer",
            Self::RecoveryReset => "recovery_reset",
        }
    }
}

/// A signed-in browser (or API) session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Okta-style session id (25 characters).
    pub id: String,
    /// Whose.
    pub user_id: UserId,
    /// When it started.
    pub created: Timestamp,
    /// When the user last proved who they are (the `auth_time` claim).
    pub auth_time: Timestamp,
    /// When it was last used.
    pub last_seen: Timestamp,
    /// When it ends unless refreshed (never later than `created` + [`ABSOLUTE_SECS`]).
    pub expires_at: Timestamp,
    /// How the user authenticated (`pwd`).
    pub amr: Vec<String>,
}

impl Session {
    /// A new session after a password check at `now`, with the cookie secret that names it.
    pub fn start(user_id: UserId, now: Timestamp) -> (Self, Secret) {
        let session = Self {
            id: format!("102{}", random_base62(22)),
            user_id,
            created: now,
            auth_time: now,
            last_seen: now,
            expires_at: Self::next_expiry(now, now),
            amr: vec!["pwd".to_owned()],
        };
        (session, Secret::generate(32))
    }

    fn next_expiry(created: Timestamp, now: Timestamp) -> Timestamp {
        now.plus_seconds(IDLE_SECS)
            .min(created.plus_seconds(ABSOLUTE_SECS))
    }

    /// Whether the session is still usable at `now`.
    pub fn is_live(&self, now: Timestamp) -> bool {
        now < self.expires_at
    }

    /// Marks a use at `now`, pushing the idle expiry out (never past the absolute limit).
    pub fn refresh(&mut self, now: Timestamp) {
        self.last_seen = now;
        self.expires_at = Self::next_expiry(self.created, now);
    }

    /// Marks a use at `now`, like [`Session::refresh`], and says whether it is worth writing:
    /// the last stored use is [`TOUCH_EVERY_SECS`] old or more.
    pub fn refresh_due(&mut self, now: Timestamp) -> bool {
        let due = now.unix_seconds() - self.last_seen.unix_seconds() >= TOUCH_EVERY_SECS;
        self.refresh(now);
        due
    }

    /// Whether the last authentication is recent enough for `max_age` seconds, strictly: no
    /// grace. (The sign-in page proves a sign-in it just made with a one-time session token, so
    /// `max_age=0` does not loop.)
    pub fn satisfies_max_age(&self, max_age: i64, now: Timestamp) -> bool {
        let age = now.unix_seconds() - self.auth_time.unix_seconds();
        age <= max_age
    }

    /// Whether this session's authentication is the one a session token issued at most
    /// [`SESSION_TOKEN_SECS`] ago proves (the sign-in page issues both at once).
    pub fn proven_by_fresh_token(&self, user_id: &str, now: Timestamp) -> bool {
        self.user_id.as_str() == user_id
            && now.unix_seconds() - self.auth_time.unix_seconds() <= SESSION_TOKEN_SECS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_and_absolute_expiry() {
        let t0 = Timestamp::from_millis(0);
        let (mut s, cookie) = Session::start(UserId::from_trusted("00u1"), t0);
        assert_eq!(s.id.len(), 25);
        assert!(cookie.expose().len() >= 40);
        assert!(s.is_live(t0.plus_seconds(IDLE_SECS - 1)));
        assert!(!s.is_live(t0.plus_seconds(IDLE_SECS)));
        s.refresh(t0.plus_seconds(ABSOLUTE_SECS - 60));
        assert_eq!(s.expires_at, t0.plus_seconds(ABSOLUTE_SECS));
    }

    #[test]
    fn uses_are_written_back_at_most_once_a_minute() {
        let t0 = Timestamp::from_millis(0);
        for (since_stored, due) in [
            (0, false),
            (1, false),
            (TOUCH_EVERY_SECS - 1, false),
            (TOUCH_EVERY_SECS, true),
            (IDLE_SECS - 1, true),
        ] {
            let (mut s, _) = Session::start(UserId::from_trusted("00u1"), t0);
            let now = t0.plus_seconds(since_stored);
            assert_eq!(
                s.refresh_due(now),
                due,
                "{since_stored} s after the stored use"
            );
            assert_eq!(s.last_seen, now, "the use is marked either way");
        }
    }

    #[test]
    fn max_age() {
        let t0 = Timestamp::from_millis(0);
        let (s, _) = Session::start(UserId::from_trusted("00u1"), t0);
        assert!(s.satisfies_max_age(0, t0));
        assert!(!s.satisfies_max_age(0, t0.plus_seconds(3)));
        assert!(!s.satisfies_max_age(1, t0.plus_seconds(2)));
        assert!(!s.satisfies_max_age(0, t0.plus_seconds(60)));
        assert!(s.proven_by_fresh_token("00u1", t0.plus_seconds(SESSION_TOKEN_SECS)));
        assert!(!s.proven_by_fresh_token("00u1", t0.plus_seconds(SESSION_TOKEN_SECS + 1)));
        assert!(!s.proven_by_fresh_token("00u2", t0));
        assert!(s.satisfies_max_age(3600, t0.plus_seconds(60)));
    }
}
