//! Users: profile rules and the lifecycle state machine.

pub mod credentials;
mod lifecycle;
pub mod links;
mod profile;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

pub use self::links::{UserLink, user_links};
pub use self::profile::validate_profile;
use crate::clock::Timestamp;
use crate::error::Error;
use crate::id::UserId;

/// A user's lifecycle status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserStatus {
    /// Created, not yet activated.
    Staged,
    /// Activated without a password.
    Provisioned,
    /// Can sign in.
    Active,
    /// A password reset is in progress.
    Recovery,
    /// Must change the password at next sign-in.
    PasswordExpired,
    /// Too many failed sign-ins.
    LockedOut,
    /// Temporarily barred by an admin.
    Suspended,
    /// Deactivated.
    Deprovisioned,
}

impl UserStatus {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staged => "STAGED",
            Self::Provisioned => "PROVISIONED",
            Self::Active => "ACTIVE",
            Self::Recovery => "RECOVERY",
            Self::PasswordExpired => "PASSWORD_EXPIRED",
            Self::LockedOut => "LOCKED_OUT",
            Self::Suspended => "SUSPENDED",
            Self::Deprovisioned => "DEPROVISIONED",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "STAGED" => Self::Staged,
            "PROVISIONED" => Self::Provisioned,
            "ACTIVE" => Self::Active,
            "RECOVERY" => Self::Recovery,
            "PASSWORD_EXPIRED" => Self::PasswordExpired,
            "LOCKED_OUT" => Self::LockedOut,
            "SUSPENDED" => Self::Suspended,
            "DEPROVISIONED" => Self::Deprovisioned,
            _ => return None,
        })
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// `00u…`.
    pub id: UserId,
    /// Lifecycle status.
    pub status: UserStatus,
    /// The Okta profile (`login`, `email`, `firstName`, `lastName`, custom attributes).
    pub profile: Map<String, Value>,
    /// The argon2id PHC string, when a password is set.
    pub password_hash: Option<String>,
    /// The argon2id PHC strings of earlier passwords, newest first, as many as the password
    /// policy's history remembers (see [`crate::password::history`]).
    pub password_history: Vec<String>,
    /// When the password last changed.
    pub password_changed: Option<Timestamp>,
    /// The recovery question, when one is set.
    pub recovery_question: Option<String>,
    /// The argon2id PHC string of the recovery answer's [`credentials::answer_key`].
    pub recovery_answer_hash: Option<String>,
    /// Failed sign-ins since the last success.
    pub failed_logins: i64,
    /// When the user was created.
    pub created: Timestamp,
    /// When the user was activated.
    pub activated: Option<Timestamp>,
    /// When the status last changed.
    pub status_changed: Option<Timestamp>,
    /// When the user last signed in.
    pub last_login: Option<Timestamp>,
    /// When anything last changed.
    pub last_updated: Timestamp,
    /// Bumped by every stored write; saving a copy older than the stored row is refused, so no
    /// write undoes another it did not see.
    pub version: i64,
    /// The user type (`oty…`); `None` is the default type. Set when the user is created.
    pub type_id: Option<String>,
}

/// How a new user starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreateOptions {
    /// `activate` (default true).
    pub activate: bool,
    /// `nextLogin=changePassword`.
    pub change_password_next_login: bool,
}

impl User {
    /// A new user with a validated profile and, optionally, an already hashed password.
    pub fn create(
        profile: Map<String, Value>,
        password_hash: Option<String>,
        options: CreateOptions,
        now: Timestamp,
    ) -> Result<Self, Error> {
        let profile = validate_profile(profile)?;
        let has_password = password_hash.is_some();
        let status = match (
            options.activate,
            has_password,
            options.change_password_next_login,
        ) {
            (false, _, _) => UserStatus::Staged,
            (true, false, _) => UserStatus::Provisioned,
            (true, true, true) => UserStatus::PasswordExpired,
            (true, true, false) => UserStatus::Active,
        };
        let activated = (status != UserStatus::Staged).then_some(now);
        Ok(Self {
            id: UserId::generate(),
            status,
            profile,
            password_hash,
            password_history: Vec::new(),
            password_changed: has_password.then_some(now),
            recovery_question: None,
            recovery_answer_hash: None,
            failed_logins: 0,
            created: now,
            activated,
            status_changed: activated,
            last_login: None,
            last_updated: now,
            version: 0,
            type_id: None,
        })
    }

    /// `profile.login`.
    pub fn login(&self) -> &str {
        self.profile
            .get("login")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// Merges `patch` into the profile (`POST /users/{id}`): keys present change, a `null`
    /// clears one, others stay.
    pub fn merge_profile(
        &mut self,
        patch: &Map<String, Value>,
        now: Timestamp,
    ) -> Result<(), Error> {
        let mut next = self.profile.clone();
        for (k, v) in patch {
            next.insert(k.clone(), v.clone());
        }
        self.profile = validate_profile(next)?;
        self.last_updated = now;
        Ok(())
    }

    /// Replaces the profile (`PUT /users/{id}`): attributes not sent are removed.
    pub fn replace_profile(
        &mut self,
        profile: Map<String, Value>,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.profile = validate_profile(profile)?;
        self.last_updated = now;
        Ok(())
    }
}
