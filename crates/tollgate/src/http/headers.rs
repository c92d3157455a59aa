//! Headers on every response: `X-Okta-Request-Id`, and on `/api/` Okta's
//! `Cache-Control: no-cache, no-store` (sign-in, session and app responses carry session
//! tokens, session ids and client secrets). Also the single place where internal errors are
//! logged. Rate limits and their headers are [`crate::http::throttle`]'s.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, EXPIRES, PRAGMA};
use axum::middleware::Next;
use axum::response::Response;

use crate::http::audit::RequestId;
use crate::http::error::InternalDetails;

/// Adds the request id and, under `/api/`, the headers that keep responses out of caches.
pub async fn okta_headers(mut req: Request, next: Next) -> Response {
    // Given by the outer observe middleware; a fresh one if this runs alone.
    let id = match req.extensions().get::<RequestId>() {
        Some(RequestId(id)) => id.clone(),
        None => {
            let id = tollgate_core::id::request_id();
            req.extensions_mut().insert(RequestId(id.clone()));
            id
        }
    };
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    if let Some(InternalDetails(details)) = response.extensions().get::<InternalDetails>() {
        tracing::error!(request.id = %id, http.method = %method, http.path = %path, error = %details, "request failed");
    }
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        headers.insert("x-okta-request-id", v);
    }
    if path.starts_with("/api/") {
        headers.insert(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache, no-store"),
        );
        headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
        headers.insert(EXPIRES, HeaderValue::from_static("0"));
    }
    response
}
