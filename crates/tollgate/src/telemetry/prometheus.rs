//! The process-wide Prometheus recorder and the `/metrics` endpoint. The recorder is installed
//! once, when the first server binds; metrics recorded before that are dropped. Gauges of the
//! database pool and the System Log queue are read when scraped.

use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;
use crate::telemetry::record;

/// Histogram buckets (seconds) of every `*_seconds` metric: 0.5 ms to 10 s.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How often histogram samples are folded in when nobody scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The recorder's handle, installing the recorder on first use; `None` when another recorder
/// was installed first (metrics then go there, and `/metrics` answers 404).
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let installed = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &BUCKETS)
                .and_then(PrometheusBuilder::install_recorder);
            match installed {
                Ok(handle) => {
                    record::describe();
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot install the metrics recorder");
                    None
                }
            }
        })
        .as_ref()
}

/// Folds histogram samples in periodically, so memory stays bounded without scrapes.
pub async fn upkeep() {
    let Some(handle) = handle() else { return };
    let mut tick = tokio::time::interval(UPKEEP_EVERY);
    loop {
        tick.tick().await;
        handle.run_upkeep();
    }
}

/// `GET /metrics`: the Prometheus text exposition format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let Some(handle) = handle() else {
        return crate::http::ApiError::new(crate::http::OktaCode::E0000008).into_response();
    };
    let (size, idle, max) = state.store().pool_usage();
    record::database_pool(size, idle, max);
    record::system_log_queue(state.events().queued());
    let mut response = handle.render().into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// The router of a separate `--metrics-listen` listener: `/metrics` alone, Okta's 404 elsewhere.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(metrics))
        .fallback(crate::router::not_found)
        .with_state(state)
}
