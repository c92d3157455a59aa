//! CPU-bound key work off the async workers. An RS256 signature costs about a millisecond and
//! an RSA key generation up to a second; run on a worker thread they would stall every other
//! request that worker serves (sign-in pages, discovery, JWKS). Here they run on a pool of one
//! thread per core, so a burst of token requests queues for the cores instead of occupying the
//! workers.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use super::KeyringError;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads, one per slot, taking jobs from one queue. Under load a thread goes
/// from one job to the next without sleeping, so a signature costs one hand-off, not a thread
/// wake-up each way. The threads end when the pool is dropped.
#[derive(Clone)]
pub struct CpuPool {
    jobs: Sender<Job>,
}

impl CpuPool {
    /// One thread per core.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, usize::from))
    }

    /// `threads` threads (at least one).
    pub fn new(threads: usize) -> Self {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("tollgate-cpu-{i}"))
                .spawn(move || work(&queue));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a CPU pool thread");
            }
        }
        Self { jobs }
    }

    /// Runs `job` on the pool and waits for its result.
    pub async fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, KeyringError> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(job());
            }))
            .map_err(|_| KeyringError::Interrupted)?;
        result.await.map_err(|_| KeyringError::Interrupted)
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        let next = match queue.lock() {
            Ok(q) => q.recv(),
            Err(_) => return,
        };
        match next {
            // A panicking job loses its result (its caller sees `Interrupted`), not the thread.
            Ok(job) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
            Err(_) => return,
        }
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
