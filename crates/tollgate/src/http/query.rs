//! Query strings whose rejections speak Okta: a parameter of the wrong type is `E0000001`
//! naming it, never the framework's plain-text 400.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::http::ApiError;

/// A typed query string.
#[derive(Debug)]
pub struct OktaQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for OktaQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(v)| OktaQuery(v))
            .map_err(|e| ApiError::invalid("query", &e.body_text()))
    }
}
