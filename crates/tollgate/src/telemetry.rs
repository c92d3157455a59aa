//! Logging and metrics. Logs: lines on stderr filtered by `RUST_LOG` (default `info`), as text
//! (coloured only when stderr is a terminal) or as JSON lines. Metrics: one process-wide
//! Prometheus recorder ([`prometheus`]) fed by the functions of [`record`].

pub mod prometheus;
pub mod record;

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

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
