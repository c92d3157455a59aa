//! `POST /api/v1/users/{id}/lifecycle/{activate|deactivate|suspend|unsuspend|unlock|expire_password}`.
//!
//! Okta reference: Users API, "User lifecycle operations"; `management-api.md` section 2.4.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use tollgate_core::log::Entity;

use crate::api::json::user_json;
use crate::api::users::load_user;
use crate::http::auth::Admin;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

/// Applies one lifecycle operation; unknown operations are `E0000008`.
pub async fn lifecycle(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, op)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut user = load_user(&state, &id).await?;
    let now = state.clock().now();
    let returns_user = match op.as_str() {
        "activate" => {
            user.activate(now)?;
            false
        }
        "deactivate" => {
            user.deactivate(now)?;
            false
        }
        "suspend" => {
            user.suspend(now).map_err(|_| {
                ApiError::invalid("status", "The user must be ACTIVE to be suspended")
            })?;
            false
        }
        "unsuspend" => {
            user.unsuspend(now).map_err(|_| {
                ApiError::invalid("status", "The user must be SUSPENDED to be unsuspended")
            })?;
            false
        }
        "unlock" => {
            user.unlock(now)?;
            false
        }
        "expire_password" => {
            user.expire_password(now)?;
            true
        }
        _ => return Err(ApiError::new(OktaCode::E0000008)),
    };
    let (event_type, message) = match op.as_str() {
        "activate" => ("user.lifecycle.activate", "Activate Okta user"),
        "deactivate" => ("user.lifecycle.deactivate", "Deactivate Okta user"),
        "suspend" => ("user.lifecycle.suspend", "Suspend Okta user"),
        "unsuspend" => ("user.lifecycle.unsuspend", "Unsuspend Okta user"),
        "unlock" => ("user.account.unlock", "Unlock user account"),
        _ => ("user.account.expire_password", "Expire user password"),
    };
    let event = admin
        .event(event_type, message, now)
        .target(Entity::user(&user));
    state.store().update_user(&user, &[event]).await?;
    Ok(Json(if returns_user {
        user_json(&state, &user, true)
    } else {
        json!({})
    }))
}
