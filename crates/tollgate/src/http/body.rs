//! JSON bodies: any content type, an empty body read as "nothing", malformed JSON answered with
//! `E0000003` instead of the framework's plain text, a body over the limit with 413. Endpoints a
//! cross-site form must not reach take [`StrictJson`], which also requires a JSON media type.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::http::limits::{MAX_BODY_BYTES, not_json, too_large};
use crate::http::{ApiError, OktaCode};

/// A JSON request body. SDKs send `Content-Length: 0` on bodiless POSTs, so an empty body
/// deserializes from `{}`.
#[derive(Debug)]
pub struct OktaJson<T>(pub T);

impl<S, T> FromRequest<S> for OktaJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => too_large(MAX_BODY_BYTES),
                _ => ApiError::new(OktaCode::E0000003).into_response(),
            })?;
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        serde_json::from_slice(text)
            .map(OktaJson)
            .map_err(|_| ApiError::new(OktaCode::E0000003).into_response())
    }
}

/// A JSON body that must be declared `application/json` (or `application/*+json`): a page on
/// another site can post `text/plain`, form or multipart bodies without a CORS preflight, but
/// never JSON. Anything else is 415.
#[derive(Debug)]
pub struct StrictJson<T>(pub T);

impl<S, T> FromRequest<S> for StrictJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let declared = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !is_json(declared) {
            return Err(not_json());
        }
        OktaJson::from_request(req, state)
            .await
            .map(|OktaJson(v)| StrictJson(v))
    }
}

/// Whether a `Content-Type` value names JSON.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_media_types() {
        for ok in [
            "application/json",
            "Application/JSON; charset=UTF-8",
            "application/merge-patch+json",
        ] {
            assert!(is_json(ok), "{ok}");
        }
        for bad in [
            "",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/json",
            "application/jsonp",
        ] {
            assert!(!is_json(bad), "{bad}");
        }
    }
}
