//! Headers on every response: `X-Okta-Request-Id`, and on `/api/v1` the rate-limit trio.
//! Also the single place where internal errors are logged.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tollgate_core::id::request_id;

use crate::http::audit::RequestId;
use crate::http::error::InternalDetails;
use crate::http::{ApiError, OktaCode};
use crate::state::AppState;

/// Adds the request id and, under `/api/`, applies and reports the rate limit.
pub async fn okta_headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let id = request_id();
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let quota = path
        .starts_with("/api/")
        .then(|| state.rate_limiter().hit(state.clock().now().unix_seconds()));
    let mut response = match quota {
        Some(q) if q.exceeded => ApiError::new(OktaCode::E0000047).into_response(),
        _ => next.run(req).await,
    };
    if let Some(InternalDetails(details)) = response.extensions().get::<InternalDetails>() {
        tracing::error!(request.id = %id, http.method = %method, http.path = %path, error = %details, "request failed");
    }
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        headers.insert("x-okta-request-id", v);
    }
    // A throttled sign-in carries its own limit, which wins over the request budget's.
    if let Some(q) = quota.filter(|_| !headers.contains_key("x-rate-limit-limit")) {
        headers.insert("x-rate-limit-limit", HeaderValue::from(q.limit));
        headers.insert("x-rate-limit-remaining", HeaderValue::from(q.remaining));
        headers.insert("x-rate-limit-reset", HeaderValue::from(q.reset));
    }
    response
}
