//! `GET /api/v1/users/{idOrLogin}/blocks` and `/idps`: what blocks a user and the external
//! identity providers linked to them. Tollgate has neither device blocks nor external
//! identity providers, so an existing user has none of either.
//!
//! Okta reference: Users API, "List all user blocks" (`listUserBlocks`) and Identity Provider
//! Users API, "List all IdPs for user" (`listUserIdentityProviders`).

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use crate::api::users::load_user;
use crate::http::ApiResult;
use crate::http::auth::Admin;
use crate::state::AppState;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/users/{id}/blocks", get(list_blocks))
        .route("/api/v1/users/{id}/idps", get(list_idps))
}

/// An empty list for an existing user (by id or login), `E0000007` otherwise.
async fn none_for_user(state: &AppState, id: &str) -> ApiResult<Json<Value>> {
    load_user(state, id).await?;
    Ok(Json(Value::Array(Vec::new())))
}

/// `GET /api/v1/users/{idOrLogin}/blocks`: Tollgate never blocks devices, so `[]`.
pub async fn list_blocks(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    none_for_user(&state, &id).await
}

/// `GET /api/v1/users/{idOrLogin}/idps`: no external identity providers, so `[]`.
pub async fn list_idps(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    none_for_user(&state, &id).await
}
