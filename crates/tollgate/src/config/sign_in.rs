//! Settings that bound sign-in: how many password hashes run at once and how long a request
//! waits for one, and how many failed sign-ins an address or a username may make per window.

use anyhow::bail;
use serde::Deserialize;

/// Sign-in bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInLimits {
    /// Password hashes (argon2id, about 19 MiB each) running at once; 0 means one per core.
    pub hash_concurrency: usize,
    /// Milliseconds a sign-in waits for a hashing slot before `429`.
    pub hash_wait_ms: u64,
    /// Failed sign-ins per client address per window before `429`.
    pub failures_per_ip: u32,
    /// Failed sign-ins per username per window before `429`.
    pub failures_per_username: u32,
    /// The window's length in seconds.
    pub failure_window_secs: u32,
}

impl Default for SignInLimits {
    fn default() -> Self {
        Self {
            hash_concurrency: 0,
            hash_wait_ms: 2000,
            failures_per_ip: 100,
            failures_per_username: 20,
            failure_window_secs: 300,
        }
    }
}

/// The same keys from the settings file, flags or environment; each optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInOverrides {
    /// `password_hash_concurrency` / `--password-hash-concurrency`.
    pub password_hash_concurrency: Option<usize>,
    /// `password_hash_wait_ms` / `--password-hash-wait-ms`.
    pub password_hash_wait_ms: Option<u64>,
    /// `failed_sign_ins_per_ip` / `--failed-sign-ins-per-ip`.
    pub failed_sign_ins_per_ip: Option<u32>,
    /// `failed_sign_ins_per_username` / `--failed-sign-ins-per-username`.
    pub failed_sign_ins_per_username: Option<u32>,
    /// `failed_sign_in_window_secs` / `--failed-sign-in-window-secs`.
    pub failed_sign_in_window_secs: Option<u32>,
}

impl SignInOverrides {
    /// Each value of `self` wins over `file`'s.
    pub fn or(self, file: Self) -> Self {
        Self {
            password_hash_concurrency: self
                .password_hash_concurrency
                .or(file.password_hash_concurrency),
            password_hash_wait_ms: self.password_hash_wait_ms.or(file.password_hash_wait_ms),
            failed_sign_ins_per_ip: self.failed_sign_ins_per_ip.or(file.failed_sign_ins_per_ip),
            failed_sign_ins_per_username: self
                .failed_sign_ins_per_username
                .or(file.failed_sign_ins_per_username),
            failed_sign_in_window_secs: self
                .failed_sign_in_window_secs
                .or(file.failed_sign_in_window_secs),
        }
    }

    /// Validated limits: the defaults with these values applied.
    pub fn resolve(&self) -> anyhow::Result<SignInLimits> {
        let mut l = SignInLimits::default();
        if let Some(n) = self.password_hash_concurrency {
            l.hash_concurrency = n;
        }
        if let Some(ms) = self.password_hash_wait_ms {
            l.hash_wait_ms = ms;
        }
        for (value, slot, name) in [
            (
                self.failed_sign_ins_per_ip,
                &mut l.failures_per_ip,
                "failed_sign_ins_per_ip",
            ),
            (
                self.failed_sign_ins_per_username,
                &mut l.failures_per_username,
                "failed_sign_ins_per_username",
            ),
            (
                self.failed_sign_in_window_secs,
                &mut l.failure_window_secs,
                "failed_sign_in_window_secs",
            ),
        ] {
            match value {
                Some(0) => bail!("{name} must be at least 1"),
                Some(n) => *slot = n,
                None => {}
            }
        }
        Ok(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_and_zero_is_refused() {
        let file = SignInOverrides {
            failed_sign_ins_per_ip: Some(7),
            password_hash_wait_ms: Some(10),
            ..SignInOverrides::default()
        };
        let flags = SignInOverrides {
            failed_sign_ins_per_ip: Some(9),
            ..SignInOverrides::default()
        };
        let l = flags.or(file).resolve().unwrap();
        assert_eq!((l.failures_per_ip, l.hash_wait_ms), (9, 10));
        assert_eq!(l.failures_per_username, 20);
        let zero = SignInOverrides {
            failed_sign_ins_per_username: Some(0),
            ..SignInOverrides::default()
        };
        assert!(zero.resolve().is_err());
    }
}
