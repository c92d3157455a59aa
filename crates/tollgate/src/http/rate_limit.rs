//! A per-process, per-minute budget of `/api/v1` requests, reported in Okta's three
//! `X-Rate-Limit-*` headers (the Node SDK needs exactly one reset header to back off on 429).
//! Limits shared by several processes would need the database; this one is per instance.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counts requests in the current minute.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u64,
    /// The minute (Unix seconds / 60) in the high 32 bits, the count in the low 32.
    window: AtomicU64,
}

/// The outcome for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Requests allowed per minute.
    pub limit: u64,
    /// Requests left in this minute.
    pub remaining: u64,
    /// When the minute ends (Unix seconds).
    pub reset: i64,
    /// Whether this request is over the limit.
    pub exceeded: bool,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per minute.
    pub fn new(per_minute: u32) -> Self {
        Self {
            limit: u64::from(per_minute),
            window: AtomicU64::new(0),
        }
    }

    /// Counts one request made at `now_secs`.
    pub fn hit(&self, now_secs: i64) -> Quota {
        let minute = u64::try_from(now_secs.div_euclid(60)).unwrap_or(0) & 0xFFFF_FFFF;
        let mut current = self.window.load(Ordering::Relaxed);
        let count = loop {
            let (win, count) = (current >> 32, current & 0xFFFF_FFFF);
            let next_count = if win == minute {
                count.saturating_add(1).min(0xFFFF_FFFF)
            } else {
                1
            };
            let next = (minute << 32) | next_count;
            match self.window.compare_exchange_weak(
                current,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => break next_count,
                Err(seen) => current = seen,
            }
        };
        Quota {
            limit: self.limit,
            remaining: self.limit.saturating_sub(count),
            reset: (now_secs.div_euclid(60) + 1) * 60,
            exceeded: count > self.limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_within_a_minute_and_resets() {
        let rl = RateLimiter::new(2);
        let a = rl.hit(120);
        assert_eq!((a.remaining, a.exceeded, a.reset), (1, false, 180));
        assert_eq!(rl.hit(130).remaining, 0);
        assert!(rl.hit(131).exceeded);
        let next = rl.hit(180);
        assert_eq!((next.remaining, next.exceeded, next.reset), (1, false, 240));
    }
}
