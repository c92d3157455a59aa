//! The System Log buffer for OAuth traffic. Admin changes write their events in the change's
//! own transaction; authorize, token and revocation requests change little or nothing, so
//! their events go through this bounded queue and one writer task inserts them in batches —
//! the token path never waits on a log insert, and a burst becomes a few transactions.
//!
//! Nothing is dropped: when the queue is full, callers wait for room (backpressure, bounded
//! memory). A flush request is answered once everything queued before it is written; the log
//! API flushes before reading (a process reads its own events at once) and the server
//! flushes on shutdown. A crash can lose at most what is queued, never an admin change's event.

use tokio::sync::{mpsc, oneshot};
use tollgate_core::log::LogEvent;
use tollgate_store::Store;

/// How many submissions may wait in the queue.
const CAPACITY: usize = 4096;
/// Events per insert transaction, at most.
const BATCH: usize = 500;

enum Msg {
    Events(Vec<LogEvent>),
    Flush(oneshot::Sender<()>),
}

/// The sending side, cheap to clone.
#[derive(Clone, Debug)]
pub struct EventBuffer {
    tx: mpsc::Sender<Msg>,
}

impl EventBuffer {
    /// A buffer writing into `store`; spawns its writer task on the current runtime.
    pub fn start(store: Store) -> Self {
        let (tx, rx) = mpsc::channel(CAPACITY);
        tokio::spawn(write_loop(store, rx));
        Self { tx }
    }

    /// Queues `events` (waiting for room when the queue is full).
    pub async fn record(&self, events: Vec<LogEvent>) {
        if events.is_empty() {
            return;
        }
        if let Err(mpsc::error::SendError(Msg::Events(lost))) =
            self.tx.send(Msg::Events(events)).await
        {
            tracing::error!(
                events = lost.len(),
                "System Log writer has stopped; events not recorded"
            );
        }
    }

    /// Submissions waiting for the writer now.
    pub fn queued(&self) -> usize {
        self.tx.max_capacity().saturating_sub(self.tx.capacity())
    }

    /// Waits until everything queued so far is written.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Msg::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

async fn write_loop(store: Store, mut rx: mpsc::Receiver<Msg>) {
    let mut batch: Vec<LogEvent> = Vec::with_capacity(BATCH);
    let mut waiting: Vec<oneshot::Sender<()>> = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        // Take what has piled up while the previous batch was written.
        while let Some(msg) = next.take() {
            match msg {
                Msg::Events(mut e) => batch.append(&mut e),
                Msg::Flush(done) => waiting.push(done),
            }
            if batch.len() >= BATCH {
                break;
            }
            next = rx.try_recv().ok();
        }
        if !batch.is_empty() {
            let started = std::time::Instant::now();
            let mut written = store.append_events(&batch).await;
            if let Err(e) = &written {
                // One retry: a busy SQLite file or a dropped connection usually recovers.
                tracing::warn!(error = %e, "System Log batch insert failed; retrying once");
                written = store.append_events(&batch).await;
            }
            let count = if written.is_ok() { batch.len() } else { 0 };
            crate::telemetry::record::system_log_write(count, started.elapsed());
            if let Err(e) = written {
                tracing::error!(error = %e, events = batch.len(), "System Log events lost");
                crate::telemetry::record::system_log_lost(batch.len());
            }
            batch.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}
