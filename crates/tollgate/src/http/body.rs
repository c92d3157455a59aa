//! JSON bodies: any content type, an empty body read as "nothing", malformed JSON answered with
//! `E0000003` instead of the framework's plain text.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

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
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::new(OktaCode::E0000003))?;
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        serde_json::from_slice(text)
            .map(OktaJson)
            .map_err(|_| ApiError::new(OktaCode::E0000003))
    }
}
