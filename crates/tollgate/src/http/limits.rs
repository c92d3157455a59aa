//! Request framing limits answered in Okta's error shape instead of the framework's bare
//! statuses: a body over [`MAX_BODY_BYTES`] is 413 (and the connection is closed, since the
//! body is left unread), a request target over [`MAX_URI_BYTES`] is 414, headers over
//! [`MAX_HEADER_BYTES`] are 431, and a body of the wrong media type is 415. Okta documents no
//! code for these statuses; the body carries `E0000003` ("the request body was not
//! well-formed", Okta's code for a request it could not read) with a cause saying which limit.
//! Requests beyond hyper's own parser limits (about 400 KiB of head, 100 headers) are refused
//! by hyper before any of this runs.

use axum::extract::Request;
use axum::http::header::{CONNECTION, CONTENT_LENGTH};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::http::{ApiError, OktaCode};

/// The largest request body read (2 MiB: an app's `profile` alone may be 1 MiB of JSON).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The longest request target (path and query).
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The most header bytes (names and values) in one request.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// An Okta-shaped error with `status`, `E0000003` and one cause.
fn framing_error(status: StatusCode, cause: String) -> Response {
    let mut error = ApiError::new(OktaCode::E0000003);
    error.causes.push(cause);
    let mut response = error.into_response();
    *response.status_mut() = status;
    response
}

/// 413 for a body over `limit` bytes; the connection is closed because the body is unread.
pub fn too_large(limit: usize) -> Response {
    let mut response = framing_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("The request body is larger than {limit} bytes."),
    );
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// 415 for a body that must be JSON and is declared as something else.
pub fn not_json() -> Response {
    framing_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "The request body must be sent as Content-Type: application/json.".to_owned(),
    )
}

/// Refuses requests over the framing limits before any handler runs.
pub async fn framing(req: Request, next: Next) -> Response {
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > MAX_URI_BYTES {
        return framing_error(
            StatusCode::URI_TOO_LONG,
            format!("The request URI is longer than {MAX_URI_BYTES} bytes."),
        );
    }
    let head: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if head > MAX_HEADER_BYTES {
        return framing_error(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("The request headers are larger than {MAX_HEADER_BYTES} bytes."),
        );
    }
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large(MAX_BODY_BYTES);
    }
    next.run(req).await
}
