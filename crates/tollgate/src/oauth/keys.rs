//! `GET /oauth2/v1/keys` (org authorization server) and `GET /oauth2/{authServerId}/v1/keys`
//! (custom servers, `default` included): the public JWKS.
//!
//! Reference: RFC 7517 section 5; Tollgate reference `oauth-endpoints.md` section 5.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use tollgate_core::token::keys::ORG_KEY_SET;

use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// How long clients may cache a JWKS. A rotation promotes a key that was already published as
/// `NEXT`, so a cached document keeps verifying new tokens across one rotation.
pub const JWKS_CACHE_CONTROL: &str = "max-age=3600, must-revalidate";

async fn jwks(state: &AppState, server_id: &str) -> ApiResult<Response> {
    let set = state
        .keyring()
        .key_set(server_id)
        .await
        .map_err(ApiError::internal)?;
    Ok((
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, JWKS_CACHE_CONTROL),
        ],
        set.jwks().to_owned(),
    )
        .into_response())
}

/// `GET /oauth2/v1/keys` (`client_id` is accepted and ignored: keys are per server).
pub async fn org_keys(State(state): State<AppState>) -> ApiResult<Response> {
    jwks(&state, ORG_KEY_SET).await
}

/// `GET /oauth2/{authServerId}/v1/keys`. An unknown or inactive server is Okta's 404.
pub async fn server_keys(
    State(state): State<AppState>,
    Path(server_id): Path<String>,
) -> ApiResult<Response> {
    match state.caches().active_server(&server_id).await? {
        Some(cached) => jwks(&state, cached.config.server.id.as_str()).await,
        None => Err(ApiError::not_found(&server_id, "AuthorizationServer")),
    }
}
