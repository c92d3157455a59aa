//! The database pool's acquire wait, from the `sqlx::pool::acquire` events the store asks sqlx
//! to emit for every connection it hands out (their `acquired_after_secs` field).

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Filter, Layer};

use crate::telemetry::record;

/// The target of sqlx's acquire events.
const TARGET: &str = "sqlx::pool::acquire";

/// Records each acquire's wait; filter it with [`only_acquires`].
pub struct AcquireWait;

/// Lets through sqlx's acquire events only.
pub fn only_acquires<S>() -> impl Filter<S> {
    tracing_subscriber::filter::filter_fn(|meta| meta.target() == TARGET)
}

impl<S: Subscriber> Layer<S> for AcquireWait {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut wait = WaitField(None);
        event.record(&mut wait);
        if let Some(secs) = wait.0 {
            record::database_acquire(secs);
        }
    }
}

struct WaitField(Option<f64>);

impl Visit for WaitField {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "acquired_after_secs" {
            self.0 = Some(value);
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}
