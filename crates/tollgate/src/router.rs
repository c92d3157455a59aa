//! Every route in one place, grouped by surface, and the middleware stack.

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;

use crate::api::{self, ApiError, OktaCode};
use crate::http::headers::okta_headers;
use crate::state::AppState;

/// The whole HTTP surface.
///
/// Middleware order, outermost first: panics become `E0000009` (outermost, so even a panic in
/// another layer is answered in Okta's shape); then request ids, rate limits and the one log
/// line for internal errors.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(api::health::healthz))
        .route("/readyz", get(api::health::readyz))
        .route(
            "/api/v1/org",
            get(api::org::get_org)
                .post(api::org::update_org)
                .put(api::org::replace_org),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), okta_headers))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("handler panicked").into_response()
        }))
        .with_state(state)
}

async fn not_found() -> Response {
    ApiError::new(OktaCode::E0000008).into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::new(OktaCode::E0000022).into_response()
}
