//! The credential operations of the Users API (`credentials/*` and the password lifecycle
//! operations): which statuses allow each one, what it changes, and the rules for recovery
//! questions, temporary passwords and reset links. Hashing and storage are the caller's.

use super::{User, UserStatus};
use crate::clock::Timestamp;
use crate::error::Error;
use crate::password::history;
use crate::secret::Secret;

/// A reset link made by an admin (`lifecycle/reset_password`) works for a day.
pub const ADMIN_RESET_SECS: i64 = 24 * 3600;
/// A reset link made by `credentials/forgot_password` works for an hour (Okta's default).
pub const FORGOT_PASSWORD_SECS: i64 = 3600;
/// Longest recovery question and answer (Okta's `RecoveryQuestionCredential`).
const MAX_RECOVERY_LEN: usize = 100;
/// Shortest recovery answer.
const MIN_ANSWER_LEN: usize = 4;
/// Length of a temporary password: a little longer than Okta's eight characters.
const TEMP_PASSWORD_LEN: usize = 10;

/// The credential operations, for [`User::allows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialOp {
    /// `credentials/change_password`.
    ChangePassword,
    /// `credentials/change_recovery_question`.
    ChangeRecoveryQuestion,
    /// `credentials/forgot_password` and `credentials/forgot_password_recovery_question`.
    ForgotPassword,
    /// `lifecycle/reset_password`.
    ResetPassword,
    /// `lifecycle/expire_password_with_temp_password`.
    ExpireWithTempPassword,
    /// `lifecycle/reset_factors`.
    ResetFactors,
    /// Finishing a reset through its link.
    CompleteReset,
    /// `lifecycle/reactivate`: a new activation link for a user activated without a password.
    Reactivate,
    /// Setting the first password through an activation link.
    CompleteActivation,
}

fn not_allowed() -> Error {
    Error::WrongState("This operation is not allowed in the user's current status.")
}

impl CredentialOp {
    /// Whether a user in `status` may go through this operation.
    pub fn allowed_in(self, status: UserStatus) -> bool {
        use UserStatus::{
            Active, Deprovisioned, LockedOut, PasswordExpired, Provisioned, Recovery, Staged,
        };
        match self {
            Self::ChangePassword => matches!(status, Staged | Active | PasswordExpired | Recovery),
            Self::ChangeRecoveryQuestion => matches!(status, Staged | Active | Recovery),
            Self::ForgotPassword | Self::ExpireWithTempPassword => status == Active,
            Self::ResetPassword => matches!(
                status,
                Active | PasswordExpired | LockedOut | Recovery | Provisioned
            ),
            Self::ResetFactors => !matches!(status, Staged | Deprovisioned),
            Self::CompleteReset => matches!(status, Recovery | Active),
            Self::Reactivate => status == Provisioned,
            Self::CompleteActivation => matches!(status, Provisioned | Active),
        }
    }

    /// Whether the operation proves the user by a password, which must then be set.
    fn needs_password(self) -> bool {
        matches!(self, Self::ChangePassword | Self::ChangeRecoveryQuestion)
    }
}

/// The form a recovery answer is hashed and checked in: Okta compares answers ignoring case
/// and surrounding spaces.
pub fn answer_key(answer: &str) -> Secret {
    Secret::new(answer.trim().to_lowercase())
}

/// Checks a recovery question's length; the cause is on `field`.
pub fn check_question(question: &str, field: &str) -> Result<(), Error> {
    let question_len = question.trim().chars().count();
    if question_len == 0 || question_len > MAX_RECOVERY_LEN {
        return Err(Error::invalid_field(
            field,
            "The security question must be between 1 and 100 characters long.",
        ));
    }
    Ok(())
}

/// Checks a new recovery question and answer (`recovery_question.question`, `.answer`).
pub fn check_recovery_question(question: &str, answer: &str) -> Result<(), Error> {
    check_question(question, "recovery_question.question")?;
    let answer_len = answer.trim().chars().count();
    if !(MIN_ANSWER_LEN..=MAX_RECOVERY_LEN).contains(&answer_len) {
        return Err(Error::invalid_field(
            "recovery_question.answer",
            "The security question answer must be between 4 and 100 characters long.",
        ));
    }
    if answer_key(question)
        .expose()
        .contains(answer_key(answer).expose())
    {
        return Err(Error::invalid_field(
            "recovery_question.answer",
            "The security question answer must not be part of the question.",
        ));
    }
    Ok(())
}

/// A random temporary password that meets the default policy for `login`: letters and digits,
/// with at least one lowercase letter, one uppercase letter and one digit.
pub fn temp_password(login: &str) -> Secret {
    loop {
        let candidate = Secret::new(crate::id::random_base62(TEMP_PASSWORD_LEN));
        if crate::password::check_policy(&candidate, login).is_ok() {
            return candidate;
        }
    }
}

impl User {
    /// Refuses `op` when the user's status (or a missing password, for the operations that
    /// check one) does not allow it: Okta's `E0000038`.
    pub fn allows(&self, op: CredentialOp) -> Result<(), Error> {
        if !op.allowed_in(self.status) || (op.needs_password() && self.password_hash.is_none()) {
            return Err(not_allowed());
        }
        Ok(())
    }

    /// `credentials/change_password` after the old password was verified: stores the new
    /// hash and clears the failure count; a `PASSWORD_EXPIRED` or `RECOVERY` user becomes
    /// `ACTIVE`.
    pub fn change_password(&mut self, hash: String, now: Timestamp) -> Result<(), Error> {
        self.allows(CredentialOp::ChangePassword)?;
        self.set_password_hash(hash, now);
        self.failed_logins = 0;
        if matches!(
            self.status,
            UserStatus::PasswordExpired | UserStatus::Recovery
        ) {
            self.set_status(UserStatus::Active, now);
        }
        Ok(())
    }

    /// `credentials/change_recovery_question` after the password was verified; `answer_hash`
    /// is the hash of [`answer_key`] of a checked answer.
    pub fn set_recovery_question(
        &mut self,
        question: &str,
        answer_hash: String,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.allows(CredentialOp::ChangeRecoveryQuestion)?;
        self.recovery_question = Some(question.trim().to_owned());
        self.recovery_answer_hash = Some(answer_hash);
        self.last_updated = now;
        Ok(())
    }

    /// `lifecycle/expire_password_with_temp_password`: the temporary password's hash becomes
    /// the password, which must be changed at the next sign-in.
    pub fn expire_with_temp_password(&mut self, hash: String, now: Timestamp) -> Result<(), Error> {
        self.allows(CredentialOp::ExpireWithTempPassword)?;
        self.set_password_hash(hash, now);
        self.set_status(UserStatus::PasswordExpired, now);
        Ok(())
    }

    /// `lifecycle/reset_password`: `RECOVERY`, and the old password no longer signs in.
    pub fn begin_reset(&mut self, now: Timestamp) -> Result<(), Error> {
        self.allows(CredentialOp::ResetPassword)?;
        let old = self.password_hash.take();
        history::remember(&mut self.password_history, old, history::DEFAULT_AGE);
        self.failed_logins = 0;
        self.set_status(UserStatus::Recovery, now);
        Ok(())
    }

    /// A new password through a reset link or the recovery question: the user is `ACTIVE`
    /// with the new hash.
    pub fn complete_reset(&mut self, hash: String, now: Timestamp) -> Result<(), Error> {
        self.finish_with_password(CredentialOp::CompleteReset, hash, now)
    }

    /// The password chosen through an activation link: a `PROVISIONED` user becomes `ACTIVE`.
    pub fn complete_activation(&mut self, hash: String, now: Timestamp) -> Result<(), Error> {
        self.finish_with_password(CredentialOp::CompleteActivation, hash, now)
    }

    fn finish_with_password(
        &mut self,
        op: CredentialOp,
        hash: String,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.allows(op)?;
        self.set_password_hash(hash, now);
        self.failed_logins = 0;
        if self.status != UserStatus::Active {
            self.set_status(UserStatus::Active, now);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
