//! Logging and metrics. Logs: lines on stderr filtered by `RUST_LOG` (default `info`), as text
//! (coloured only when stderr is a terminal) or as JSON lines. Metrics: one process-wide
//! Prometheus recorder ([`prometheus`]) fed by the functions of [`record`].

mod acquire;
pub mod prometheus;
pub mod record;

use std::io::IsTerminal;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, Registry};

pub use crate::config::observability::LogFormat;

/// The filter when `RUST_LOG` is unset.
const DEFAULT_FILTER: &str = "info,sqlx=warn,tower_http=warn";

/// Installs the global subscriber with text lines and without access-log lines (commands
/// other than `serve`, and in-process test servers); later calls do nothing.
pub fn init() {
    install(
        LogFormat::Text,
        &format!("{DEFAULT_FILTER},tollgate::access=warn"),
    );
}

/// Installs the global subscriber of `serve`, in `format`; later calls do nothing.
pub fn init_with(format: LogFormat) {
    install(format, DEFAULT_FILTER);
}

fn install(format: LogFormat, default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let lines = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let lines: Box<dyn Layer<Registry> + Send + Sync> = match format {
        LogFormat::Text => lines.with_ansi(std::io::stderr().is_terminal()).boxed(),
        LogFormat::Json => lines
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .boxed(),
    };
    // The log filter applies to the lines only: the acquire events feed a metric whatever
    // `RUST_LOG` says.
    let _ = tracing_subscriber::registry()
        .with(lines.with_filter(filter))
        .with(acquire::AcquireWait.with_filter(acquire::only_acquires()))
        .try_init();
}
