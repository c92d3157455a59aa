//! CPU-bound key work off the async workers. An RS256 signature costs about a millisecond and
//! an RSA key generation up to a second; run on a worker thread they would stall every other
//! request that worker serves (sign-in pages, discovery, JWKS). Here they run on the blocking
//! pool, at most one per core at a time, so a burst of token requests queues for the cores
//! instead of occupying the workers.

use std::sync::Arc;

use tokio::sync::Semaphore;

use super::KeyringError;

/// A bound on concurrent CPU-heavy key work.
#[derive(Clone)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
}

impl CpuPool {
    /// One slot per core.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, usize::from))
    }

    /// `slots` jobs at once (at least one).
    pub fn new(slots: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(slots.max(1))),
        }
    }

    /// Runs `job` on the blocking pool once a slot is free.
    pub async fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, KeyringError> {
        let _slot = self
            .permits
            .acquire()
            .await
            .map_err(|_| KeyringError::Interrupted)?;
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|_| KeyringError::Interrupted)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn jobs_leave_the_worker_and_never_exceed_the_slots() {
        let pool = CpuPool::new(2);
        let caller = std::thread::current().id();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut jobs = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (pool, running, most) = (pool.clone(), Arc::clone(&running), Arc::clone(&most));
            jobs.spawn(async move {
                pool.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                    std::thread::current().id()
                })
                .await
                .unwrap()
            });
        }
        while let Some(thread) = jobs.join_next().await {
            assert_ne!(thread.unwrap(), caller, "a job ran on the async worker");
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}
