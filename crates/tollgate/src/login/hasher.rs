//! Bounded password hashing. Each argon2id hash or verification holds about 19 MiB, so at most
//! a few run at once (by default one per core); a request waits briefly for a slot and is
//! otherwise answered Okta's `429 E0000047`, so no volume of sign-ins can exhaust memory.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::http::{ApiError, OktaCode};

/// The slots for password hashing.
#[derive(Debug, Clone)]
pub struct Hasher {
    slots: Arc<Semaphore>,
    limit: usize,
    wait: Duration,
}

impl Hasher {
    /// At most `limit` hashes at once (0: one per core); a request waits up to `wait_ms`.
    pub fn new(limit: usize, wait_ms: u64) -> Self {
        let limit = if limit == 0 {
            std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            limit
        };
        Self {
            slots: Arc::new(Semaphore::new(limit)),
            limit,
            wait: Duration::from_millis(wait_ms),
        }
    }

    /// Runs `work` (a hash or a verification) on a blocking thread once a slot is free; `429`
    /// when none frees up in time.
    pub async fn run<T, F>(&self, now_secs: i64, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = tokio::time::timeout(self.wait, Arc::clone(&self.slots).acquire_owned())
            .await
            .map_err(|_| self.busy(now_secs))?
            .map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(ApiError::internal)
    }

    fn busy(&self, now_secs: i64) -> ApiError {
        let limit = u64::try_from(self.limit).unwrap_or(u64::MAX);
        ApiError::new(OktaCode::E0000047).rate_limit(limit, 0, now_secs.saturating_add(1))
    }
}
