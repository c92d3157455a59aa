//! Throttling of failed sign-ins, per client address and per username: after `limit` failures
//! in a window, further attempts are answered Okta's `429 E0000047` (with the three
//! `X-Rate-Limit-*` headers) before any password is verified. Per process: an in-memory
//! count, as the lockout counter in the database is the durable defence.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::config::SignInLimits;
use crate::http::{ApiError, OktaCode};

/// Most keys remembered; past it, expired windows are dropped and new usernames go uncounted
/// (the per-address limit still applies), so a spray of names cannot grow memory.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Ip(String),
    User(String),
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    failures: u32,
}

/// The failure counts of this process.
#[derive(Debug)]
pub struct Throttle {
    per_ip: u32,
    per_username: u32,
    window_secs: i64,
    windows: Mutex<HashMap<Key, Window>>,
}

impl Throttle {
    /// A throttle with `limits`.
    pub fn new(limits: &SignInLimits) -> Self {
        Self {
            per_ip: limits.failures_per_ip,
            per_username: limits.failures_per_username,
            window_secs: i64::from(limits.failure_window_secs.max(1)),
            windows: Mutex::new(HashMap::new()),
        }
    }

    fn keys(ip: Option<&str>, username: &str) -> [(Option<Key>, bool); 2] {
        [
            (ip.map(|i| Key::Ip(i.to_owned())), true),
            (Some(Key::User(username.trim().to_lowercase())), false),
        ]
    }

    /// `Err(429)` when `ip` or `username` has used up its failures in the current window.
    pub fn check(&self, ip: Option<&str>, username: &str, now_secs: i64) -> Result<(), ApiError> {
        let windows = self.windows.lock().map_err(ApiError::internal)?;
        for (key, is_ip) in Self::keys(ip, username) {
            let Some(key) = key else { continue };
            let limit = if is_ip {
                self.per_ip
            } else {
                self.per_username
            };
            if let Some(w) = windows.get(&key) {
                let reset = w.start.saturating_add(self.window_secs);
                if now_secs < reset && w.failures >= limit {
                    crate::telemetry::record::rate_limited("failed_sign_ins");
                    return Err(ApiError::new(OktaCode::E0000047).rate_limit(
                        u64::from(limit),
                        0,
                        reset,
                    ));
                }
            }
        }
        Ok(())
    }

    /// Counts a failed sign-in from `ip` for `username`.
    pub fn record_failure(&self, ip: Option<&str>, username: &str, now_secs: i64) {
        let Ok(mut windows) = self.windows.lock() else {
            return;
        };
        if windows.len() >= MAX_KEYS {
            let span = self.window_secs;
            windows.retain(|_, w| now_secs < w.start.saturating_add(span));
        }
        for (key, is_ip) in Self::keys(ip, username) {
            let Some(key) = key else { continue };
            if windows.len() >= MAX_KEYS && !is_ip && !windows.contains_key(&key) {
                continue;
            }
            let w = windows.entry(key).or_insert(Window {
                start: now_secs,
                failures: 0,
            });
            if now_secs >= w.start.saturating_add(self.window_secs) {
                *w = Window {
                    start: now_secs,
                    failures: 0,
                };
            }
            w.failures = w.failures.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> Throttle {
        Throttle::new(&SignInLimits {
            failures_per_ip: 3,
            failures_per_username: 2,
            failure_window_secs: 60,
            ..SignInLimits::default()
        })
    }

    #[test]
    fn per_username_then_per_ip_then_the_window_ends() {
        let t = throttle();
        let ip = Some("10.0.0.1");
        for _ in 0..2 {
            assert!(t.check(ip, "Annie", 100).is_ok());
            t.record_failure(ip, "Annie", 100);
        }
        let e = t.check(Some("10.0.0.2"), "annie", 110).unwrap_err();
        assert_eq!(e.code.as_str(), "E0000047");
        assert!(t.check(ip, "bob", 110).is_ok());
        t.record_failure(ip, "bob", 110);
        assert!(t.check(ip, "carol", 110).is_err());
        assert!(t.check(ip, "carol", 160).is_ok());
        assert!(t.check(None, "annie", 160).is_ok());
    }
}
