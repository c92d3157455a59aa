//! Users: profile rules and the lifecycle state machine.

use serde_json::{Map, Value};

use crate::clock::Timestamp;
use crate::error::{Cause, Error};
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
    /// When the password last changed.
    pub password_changed: Option<Timestamp>,
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
            password_changed: has_password.then_some(now),
            failed_logins: 0,
            created: now,
            activated,
            status_changed: activated,
            last_login: None,
            last_updated: now,
            version: 0,
        })
    }

    /// `profile.login`.
    pub fn login(&self) -> &str {
        self.profile
            .get("login")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn set_status(&mut self, status: UserStatus, now: Timestamp) {
        self.status = status;
        self.status_changed = Some(now);
        self.last_updated = now;
    }

    /// `lifecycle/activate`: from `STAGED` or `DEPROVISIONED`.
    pub fn activate(&mut self, now: Timestamp) -> Result<(), Error> {
        match self.status {
            UserStatus::Staged | UserStatus::Deprovisioned => {
                let next = if self.password_hash.is_some() {
                    UserStatus::Active
                } else {
                    UserStatus::Provisioned
                };
                self.activated = Some(now);
                self.set_status(next, now);
                Ok(())
            }
            _ => Err(Error::AlreadyActive),
        }
    }

    /// `lifecycle/deactivate`: from any status but `DEPROVISIONED`.
    pub fn deactivate(&mut self, now: Timestamp) -> Result<(), Error> {
        if self.status == UserStatus::Deprovisioned {
            return Err(Error::WrongState(
                "This operation is not allowed in the user's current status.",
            ));
        }
        self.set_status(UserStatus::Deprovisioned, now);
        Ok(())
    }

    /// `lifecycle/suspend`: only from `ACTIVE`.
    pub fn suspend(&mut self, now: Timestamp) -> Result<(), Error> {
        self.transition(UserStatus::Active, UserStatus::Suspended, now)
    }

    /// `lifecycle/unsuspend`: only from `SUSPENDED`.
    pub fn unsuspend(&mut self, now: Timestamp) -> Result<(), Error> {
        self.transition(UserStatus::Suspended, UserStatus::Active, now)
    }

    /// `lifecycle/unlock`: only from `LOCKED_OUT`; clears the failure count.
    pub fn unlock(&mut self, now: Timestamp) -> Result<(), Error> {
        self.transition(UserStatus::LockedOut, UserStatus::Active, now)?;
        self.failed_logins = 0;
        Ok(())
    }

    /// `lifecycle/expire_password`: only from `ACTIVE`.
    pub fn expire_password(&mut self, now: Timestamp) -> Result<(), Error> {
        self.transition(UserStatus::Active, UserStatus::PasswordExpired, now)
    }

    fn transition(
        &mut self,
        from: UserStatus,
        to: UserStatus,
        now: Timestamp,
    ) -> Result<(), Error> {
        if self.status != from {
            return Err(Error::WrongState(
                "This operation is not allowed in the user's current status.",
            ));
        }
        self.set_status(to, now);
        Ok(())
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

    /// Records a wrong password. Returns true when this failure locks the account (after
    /// `max_attempts` failures in a row, Okta's default password policy).
    pub fn record_failed_login(&mut self, max_attempts: i64, now: Timestamp) -> bool {
        self.failed_logins = self.failed_logins.saturating_add(1);
        self.last_updated = now;
        if self.status == UserStatus::Active && self.failed_logins >= max_attempts {
            self.set_status(UserStatus::LockedOut, now);
            return true;
        }
        false
    }

    /// Records a successful sign-in.
    pub fn record_login(&mut self, now: Timestamp) {
        self.failed_logins = 0;
        self.last_login = Some(now);
        self.last_updated = now;
    }

    /// Unlocks an account locked for longer than `unlock_after_secs` (0: never by itself).
    /// Returns true when it did.
    pub fn auto_unlock(&mut self, unlock_after_secs: i64, now: Timestamp) -> bool {
        let since = self.status_changed.unwrap_or(self.last_updated);
        if self.status == UserStatus::LockedOut
            && unlock_after_secs > 0
            && now >= since.plus_seconds(unlock_after_secs)
        {
            self.failed_logins = 0;
            self.set_status(UserStatus::Active, now);
            return true;
        }
        false
    }

    /// Sets a new (already hashed) password.
    pub fn set_password_hash(&mut self, hash: String, now: Timestamp) {
        self.password_hash = Some(hash);
        self.password_changed = Some(now);
        self.last_updated = now;
        if self.status == UserStatus::Provisioned {
            self.set_status(UserStatus::Active, now);
        }
    }
}

fn required_text(
    profile: &Map<String, Value>,
    field: &str,
    causes: &mut Vec<Cause>,
) -> Option<String> {
    match profile.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => {
            causes.push(Cause::field(field, "The field cannot be left blank"));
            None
        }
    }
}

fn email_shaped(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Okta's default profile rules: `login` (5 to 100 characters, email-shaped), `email`,
/// `firstName` and `lastName` are required; other attributes are kept as sent.
pub fn validate_profile(mut profile: Map<String, Value>) -> Result<Map<String, Value>, Error> {
    let mut causes = Vec::new();
    if let Some(login) = required_text(&profile, "login", &mut causes) {
        let login = super::login::normalize(&login);
        let len = login.chars().count();
        if super::login::has_invisible(&login) {
            causes.push(Cause::field("login", super::login::INVISIBLE_MESSAGE));
        } else if !(5..=100).contains(&len) {
            causes.push(Cause::field(
                "login",
                "must be between 5 and 100 characters",
            ));
        } else if !email_shaped(&login) {
            causes.push(Cause::field(
                "login",
                "Username must be in the form of an email address",
            ));
        }
        profile.insert("login".into(), Value::String(login));
    }
    if let Some(email) = required_text(&profile, "email", &mut causes)
        && !email_shaped(&email)
    {
        causes.push(Cause::field("email", "Does not match required pattern"));
    }
    required_text(&profile, "firstName", &mut causes);
    required_text(&profile, "lastName", &mut causes);
    if causes.is_empty() {
        Ok(profile)
    } else {
        let summary = causes
            .iter()
            .filter_map(|c| c.field.clone())
            .collect::<Vec<_>>()
            .join(", ");
        Err(Error::Invalid { summary, causes })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn profile() -> Map<String, Value> {
        json!({"login": "annie@acme.com", "email": "annie@acme.com", "firstName": "Annie", "lastName": "J", "salary": 1})
            .as_object()
            .unwrap()
            .clone()
    }

    const NOW: Timestamp = Timestamp::from_millis(1000);

    #[test]
    fn create_statuses() {
        let act = CreateOptions {
            activate: true,
            change_password_next_login: false,
        };
        let staged = CreateOptions {
            activate: false,
            change_password_next_login: false,
        };
        let expire = CreateOptions {
            activate: true,
            change_password_next_login: true,
        };
        assert_eq!(
            User::create(profile(), Some("h".into()), act, NOW)
                .unwrap()
                .status,
            UserStatus::Active
        );
        assert_eq!(
            User::create(profile(), None, act, NOW).unwrap().status,
            UserStatus::Provisioned
        );
        assert_eq!(
            User::create(profile(), Some("h".into()), staged, NOW)
                .unwrap()
                .status,
            UserStatus::Staged
        );
        assert_eq!(
            User::create(profile(), Some("h".into()), expire, NOW)
                .unwrap()
                .status,
            UserStatus::PasswordExpired
        );
    }

    #[test]
    fn profile_rules() {
        let mut p = profile();
        p.remove("firstName");
        p.insert("login".into(), json!("nope"));
        let Err(Error::Invalid { causes, .. }) = validate_profile(p) else {
            panic!()
        };
        let fields: Vec<_> = causes.iter().filter_map(|c| c.field.as_deref()).collect();
        assert_eq!(fields, ["login", "firstName"]);
    }

    #[test]
    fn lockout_after_max_failures() {
        let opts = CreateOptions {
            activate: true,
            change_password_next_login: false,
        };
        let mut u = User::create(profile(), Some("h".into()), opts, NOW).unwrap();
        for _ in 0..9 {
            assert!(!u.record_failed_login(10, NOW));
        }
        assert!(u.record_failed_login(10, NOW));
        assert_eq!(u.status, UserStatus::LockedOut);
        assert!(
            !u.auto_unlock(0, NOW.plus_seconds(1_000_000)),
            "0 means never"
        );
        assert!(!u.auto_unlock(60, NOW.plus_seconds(59)));
        assert!(u.auto_unlock(60, NOW.plus_seconds(60)));
        assert_eq!((u.status, u.failed_logins), (UserStatus::Active, 0));
        u.record_failed_login(10, NOW);
        u.record_login(NOW);
        assert_eq!(u.failed_logins, 0);
    }

    #[test]
    fn lifecycle() {
        let opts = CreateOptions {
            activate: true,
            change_password_next_login: false,
        };
        let mut u = User::create(profile(), Some("h".into()), opts, NOW).unwrap();
        assert!(u.activate(NOW).is_err());
        u.suspend(NOW).unwrap();
        assert!(u.suspend(NOW).is_err());
        u.unsuspend(NOW).unwrap();
        u.deactivate(NOW).unwrap();
        assert!(u.deactivate(NOW).is_err());
        u.activate(NOW).unwrap();
        assert_eq!(u.status, UserStatus::Active);
        u.status = UserStatus::LockedOut;
        u.failed_logins = 10;
        u.unlock(NOW).unwrap();
        assert_eq!((u.status, u.failed_logins), (UserStatus::Active, 0));
    }
}
