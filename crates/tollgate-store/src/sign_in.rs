//! The writes of a sign-in, each one conditional statement so that parallel sign-ins and admin
//! changes never undo each other: count an attempt before its password is verified, record a
//! success only if status and password are still those verified, lock and unlock only from the
//! status seen. Which of these to do is decided by `tollgate_core::directory::sign_in`.

use tollgate_core::Timestamp;
use tollgate_core::directory::UserStatus;
use tollgate_core::log::LogEvent;

use crate::{Error, Result, Store, in_tx, write_logged};

const COUNT_ATTEMPT: &str = "UPDATE users SET failed_logins = failed_logins + 1, version = version + 1 \
     WHERE id = $1 AND status <> $2 AND failed_logins < $3 RETURNING failed_logins, status, password_hash";
const RECORD_SUCCESS: &str = "UPDATE users SET failed_logins = 0, last_login = COALESCE($2, last_login), \
     password_hash = COALESCE($6, password_hash), last_updated = $3, version = version + 1 \
     WHERE id = $1 AND status = $4 AND password_hash = $5";
const SET_STATUS: &str = "UPDATE users SET status = $2, status_changed = $3, last_updated = $3, \
     failed_logins = CASE WHEN $5 THEN 0 ELSE failed_logins END, version = version + 1 \
     WHERE id = $1 AND status = $4 AND COALESCE(status_changed, -1) = COALESCE($6, COALESCE(status_changed, -1))";

/// An attempt counted against a user, and the user as it stood when it was counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// Failed sign-ins counted, this attempt included.
    pub failed_logins: i64,
    /// The status the password is verified against.
    pub status: UserStatus,
    /// The hash to verify against.
    pub password_hash: Option<String>,
}

impl Store {
    /// Counts one sign-in attempt for user `id`, atomically, unless the user is locked out or
    /// already has `max_attempts` counted; `None` means no password may be verified.
    pub async fn count_sign_in_attempt(
        &self,
        id: &str,
        max_attempts: i64,
    ) -> Result<Option<Attempt>> {
        let row: Option<(i64, String, Option<String>)> =
            in_tx!(self, |tx| sqlx::query_as(COUNT_ATTEMPT)
                .bind(id)
                .bind(UserStatus::LockedOut.as_str())
                .bind(max_attempts)
                .fetch_optional(&mut *tx)
                .await?);
        row.map(|(failed_logins, status, password_hash)| {
            Ok(Attempt {
                failed_logins,
                status: UserStatus::parse(&status)
                    .ok_or_else(|| Error::Corrupt(format!("user status {status:?}")))?,
                password_hash,
            })
        })
        .transpose()
    }

    /// Records a right password: clears the failure count, with `last_login` notes the
    /// sign-in, and with `rehash` replaces the hash verified (an imported one, upgraded; the
    /// password is the same, so `passwordChanged` stays); only if the user's status and
    /// password are still those of `seen`. Returns whether they were (false: an admin changed
    /// the user meanwhile, so the sign-in fails).
    pub async fn record_sign_in(
        &self,
        id: &str,
        seen: &Attempt,
        last_login: Option<Timestamp>,
        rehash: Option<&str>,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        let Some(hash) = seen.password_hash.as_deref() else {
            return Ok(false);
        };
        let n = write_logged!(self, events, RECORD_SUCCESS; id, last_login.map(Timestamp::millis), now.millis(), seen.status.as_str(), hash, rehash);
        Ok(n > 0)
    }

    /// Moves user `id` from status `from` to `to` (a lock or an expired lock's end), only if it
    /// is still in `from` and, when `changed` is given, its status last changed then. With
    /// `clear_failures` the failure count restarts. Writes `events` only when it moved; returns
    /// whether it did, so of several racing requests exactly one logs the change.
    #[allow(
        clippy::too_many_arguments,
        reason = "one conditional statement's parameters"
    )]
    pub async fn move_user_status(
        &self,
        id: &str,
        from: UserStatus,
        to: UserStatus,
        changed: Option<Timestamp>,
        clear_failures: bool,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, SET_STATUS; id, to.as_str(), now.millis(), from.as_str(), clear_failures, changed.map(Timestamp::millis));
        Ok(n > 0)
    }
}
