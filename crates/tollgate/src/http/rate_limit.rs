//! Request budgets per endpoint family and key, as Okta keeps them: the admin API per token,
//! sign-in per client address, OAuth endpoints per client id, anonymous calls and failed
//! credentials per client address. Each key has a one-minute window that starts with its first
//! request; the `X-Rate-Limit-*` headers report it. The map is bounded: idle keys are swept
//! when it fills, and new keys beyond the bound share one overflow budget per family.
//! Budgets are per process; several processes behind a load balancer each keep their own.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, PoisonError};

/// The length of a window, in seconds.
const WINDOW_SECS: i64 = 60;

/// The key that new keys share once the map is full.
const OVERFLOW_KEY: &str = "";

/// An endpoint family: each has its own budgets, so one cannot spend another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `/api/v1` with an `SSWS` token, per token.
    Admin,
    /// `/api/v1/authn` and `/login`, per client address.
    Authn,
    /// `/oauth2` endpoints, per client id.
    OAuth,
    /// Calls with no credential, per client address.
    Anonymous,
    /// Calls whose credential was refused, per client address.
    Failed,
}

impl Family {
    /// The family's name as a metric label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Authn => "authn",
            Self::OAuth => "oauth",
            Self::Anonymous => "anonymous",
            Self::Failed => "failed",
        }
    }
}

/// Requests per minute per key of each family, and the bound on keys held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Per admin API token.
    pub admin: u32,
    /// Per client address on `/api/v1/authn` and `/login`.
    pub authn: u32,
    /// Per OAuth client id.
    pub oauth: u32,
    /// Per client address for anonymous calls, and for calls with a refused credential.
    pub anonymous: u32,
    /// Keys held at most, across families.
    pub max_keys: usize,
}

impl Limits {
    /// The budget of `family`.
    pub fn of(&self, family: Family) -> u32 {
        match family {
            Family::Admin => self.admin,
            Family::Authn => self.authn,
            Family::OAuth => self.oauth,
            Family::Anonymous | Family::Failed => self.anonymous,
        }
    }
}

/// The state of one key's budget after (or without) counting a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Requests allowed per window.
    pub limit: u64,
    /// Requests left in this window.
    pub remaining: u64,
    /// When the window ends (Unix seconds).
    pub reset: i64,
    /// Whether this request is over the limit.
    pub exceeded: bool,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    count: u64,
}

impl Window {
    fn live(&self, now: i64) -> bool {
        now < self.start.saturating_add(WINDOW_SECS)
    }
}

/// Keyed request counters.
#[derive(Debug)]
pub struct RateLimiter {
    limits: Limits,
    windows: Mutex<HashMap<(Family, String), Window>>,
    last_sweep: AtomicI64,
}

impl RateLimiter {
    /// A limiter with `limits`.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            windows: Mutex::new(HashMap::new()),
            last_sweep: AtomicI64::new(i64::MIN),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Counts one request of `key` in `family` at `now_secs`.
    pub fn hit(&self, family: Family, key: &str, now_secs: i64) -> Quota {
        self.with_window(family, key, now_secs, true)
    }

    /// The budget of `key` without counting: `exceeded` when the next request would be over.
    pub fn peek(&self, family: Family, key: &str, now_secs: i64) -> Quota {
        self.with_window(family, key, now_secs, false)
    }

    /// Whether `key` has a live window in `family` (its credential was accepted before).
    pub fn known(&self, family: Family, key: &str, now_secs: i64) -> bool {
        let map = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&(family, key.to_owned()))
            .is_some_and(|w| w.live(now_secs))
    }

    /// Keys held (live or not yet swept).
    pub fn len(&self) -> usize {
        self.windows
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn with_window(&self, family: Family, key: &str, now: i64, count: bool) -> Quota {
        let limit = u64::from(self.limits.of(family));
        let mut map = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        let mut entry_key = (family, key.to_owned());
        if !map.contains_key(&entry_key) {
            if !count {
                return quota(
                    limit,
                    Window {
                        start: now,
                        count: 0,
                    },
                    false,
                );
            }
            if map.len() >= self.limits.max_keys {
                self.sweep(&mut map, now);
            }
            if map.len() >= self.limits.max_keys {
                entry_key = (family, OVERFLOW_KEY.to_owned());
            }
        }
        let window = map.entry(entry_key).or_insert(Window {
            start: now,
            count: 0,
        });
        if !window.live(now) {
            *window = Window {
                start: now,
                count: 0,
            };
        }
        if !count {
            return quota(limit, *window, window.count >= limit);
        }
        window.count = window.count.saturating_add(1);
        quota(limit, *window, window.count > limit)
    }

    /// Drops windows that have ended, at most once a second.
    fn sweep(&self, map: &mut HashMap<(Family, String), Window>, now: i64) {
        if self.last_sweep.swap(now, Ordering::Relaxed) == now {
            return;
        }
        map.retain(|_, w| w.live(now));
    }
}

fn quota(limit: u64, w: Window, exceeded: bool) -> Quota {
    Quota {
        limit,
        remaining: limit.saturating_sub(w.count),
        reset: w.start.saturating_add(WINDOW_SECS),
        exceeded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_keys: usize) -> Limits {
        Limits {
            admin: 2,
            authn: 3,
            oauth: 4,
            anonymous: 1,
            max_keys,
        }
    }

    #[test]
    fn windows_count_per_key_and_start_with_the_first_request() {
        let rl = RateLimiter::new(limits(100));
        let a = rl.hit(Family::Admin, "t1", 125);
        assert_eq!(
            (a.limit, a.remaining, a.exceeded, a.reset),
            (2, 1, false, 185)
        );
        assert_eq!(rl.hit(Family::Admin, "t1", 130).remaining, 0);
        assert!(rl.peek(Family::Admin, "t1", 131).exceeded);
        assert!(rl.hit(Family::Admin, "t1", 131).exceeded);
        // Another token and another family are untouched.
        assert!(!rl.hit(Family::Admin, "t2", 131).exceeded);
        assert!(!rl.hit(Family::Authn, "t1", 131).exceeded);
        let next = rl.hit(Family::Admin, "t1", 185);
        assert_eq!((next.remaining, next.exceeded, next.reset), (1, false, 245));
    }

    #[test]
    fn peeking_counts_nothing_and_adds_no_key() {
        let rl = RateLimiter::new(limits(100));
        let q = rl.peek(Family::OAuth, "c", 10);
        assert_eq!((q.remaining, q.exceeded), (4, false));
        assert!(rl.is_empty());
        assert!(!rl.known(Family::OAuth, "c", 10));
        rl.hit(Family::OAuth, "c", 10);
        assert!(rl.known(Family::OAuth, "c", 69));
        assert!(!rl.known(Family::OAuth, "c", 70));
    }

    #[test]
    fn the_map_is_bounded_and_idle_keys_are_evicted() {
        let rl = RateLimiter::new(limits(3));
        for ip in ["a", "b", "c"] {
            rl.hit(Family::Anonymous, ip, 0);
        }
        // Full of live keys: a new key shares the overflow budget.
        assert!(!rl.hit(Family::Anonymous, "d", 1).exceeded);
        assert!(rl.hit(Family::Anonymous, "e", 1).exceeded);
        assert!(rl.len() <= 4);
        // A minute later the idle keys are swept and new keys get their own budget again.
        assert!(!rl.hit(Family::Anonymous, "f", 100).exceeded);
        assert!(!rl.hit(Family::Anonymous, "g", 100).exceeded);
        assert!(rl.len() <= 3, "{}", rl.len());
    }
}
