//! Logging and metrics. Logs: lines on stderr filtered by `RUST_LOG` (default `info`), as text
//! (coloured only when stderr is a terminal) or as JSON lines. Metrics: one process-wide
//! Prometheus recorder ([`prometheus`]) fed by the functions of [`record`].

pub mod prometheus;
pub mod record;

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

pub use crate::config::observability::LogFormat;

/// Installs the global subscriber with text lines; later calls do nothing.
pub fn init() {
    init_with(LogFormat::Text);
}

/// Installs the global subscriber in `format`; later calls do nothing.
pub fn init_with(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
}
