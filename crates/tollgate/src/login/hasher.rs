//! Bounded password hashing. Each argon2id hash or verification holds about 19 MiB, so at most
//! a few run at once (by default one per core); a request waits briefly for a slot and is
//! otherwise answered Okta's `429 E0000047`, so no volume of sign-ins can exhaust memory.
//! Hashes run on a few dedicated threads, one per slot, rather than on tokio's blocking pool:
//! the allocator keeps a freed 19 MiB block per thread that touched one, so memory stays at
//! about `limit` blocks however many threads the blocking pool would have used.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};
use tollgate_core::password::Memory;

use crate::http::{ApiError, OktaCode};

type Job = Box<dyn FnOnce(&mut Memory) + Send>;

/// The slots for password hashing.
#[derive(Debug, Clone)]
pub struct Hasher {
    slots: Arc<Semaphore>,
    limit: usize,
    wait: Duration,
    /// The workers' queue; `None` when no worker thread could be started (then hashes run on
    /// the blocking pool, still bounded by the slots).
    jobs: Option<SyncSender<Job>>,
}

/// Starts `n` workers taking jobs from one queue; they end when the queue's sender is dropped.
fn start_workers(n: usize) -> Option<SyncSender<Job>> {
    let (tx, rx) = sync_channel::<Job>(n);
    let rx: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(rx));
    let mut started = 0;
    for i in 0..n {
        let rx = Arc::clone(&rx);
        let spawned = std::thread::Builder::new()
            .name(format!("password-hash-{i}"))
            .spawn(move || {
                let mut memory = Memory::default();
                loop {
                    let job = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(&mut memory),
                        Err(_) => return,
                    }
                }
            });
        match spawned {
            Ok(_) => started += 1,
            Err(e) => tracing::warn!(error = %e, "cannot start a password hashing thread"),
        }
    }
    (started > 0).then_some(tx)
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
            jobs: start_workers(limit),
        }
    }

    /// Runs `work` (a hash or a verification, given the worker's reusable argon2id memory) on
    /// a hashing thread once a slot is free; `429`
    /// when none frees up in time.
    pub async fn run<T, F>(&self, now_secs: i64, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Memory) -> T + Send + 'static,
    {
        let permit = tokio::time::timeout(self.wait, Arc::clone(&self.slots).acquire_owned())
            .await
            .map_err(|_| self.busy(now_secs))?
            .map_err(ApiError::internal)?;
        let Some(jobs) = &self.jobs else {
            return tokio::task::spawn_blocking(move || {
                let out = work(&mut Memory::default());
                drop(permit);
                out
            })
            .await
            .map_err(ApiError::internal);
        };
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move |memory: &mut Memory| {
            let out = work(memory);
            drop(permit);
            // The requester may have gone (client hung up); the result is then unwanted.
            let _ = done.send(out);
        });
        jobs.send(job).map_err(ApiError::internal)?;
        result.await.map_err(ApiError::internal)
    }

    fn busy(&self, now_secs: i64) -> ApiError {
        crate::telemetry::record::rate_limited("password_hashing");
        let limit = u64::try_from(self.limit).unwrap_or(u64::MAX);
        ApiError::new(OktaCode::E0000047).rate_limit(limit, 0, now_secs.saturating_add(1))
    }
}
