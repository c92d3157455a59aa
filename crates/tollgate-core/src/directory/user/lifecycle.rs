//! The lifecycle state machine: the `lifecycle/*` operations, sign-in failures and lockout, and
//! password changes.

use super::{User, UserStatus};
use crate::clock::Timestamp;
use crate::error::Error;
use crate::password::history;

impl User {
    pub(super) fn set_status(&mut self, status: UserStatus, now: Timestamp) {
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
        let old = self.password_hash.replace(hash);
        history::remember(&mut self.password_history, old, history::DEFAULT_AGE);
        self.password_changed = Some(now);
        self.last_updated = now;
        if self.status == UserStatus::Provisioned {
            self.set_status(UserStatus::Active, now);
        }
    }
}
