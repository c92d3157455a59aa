//! `/api/v1/meta/types/user`: list, create, get, update (`POST`), replace (`PUT`), delete.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::Value;
use tollgate_core::log::Entity;
use tollgate_core::schema::user_type::UserType;

use super::json::user_type_json;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::error::already_exists;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

fn target(t: &UserType) -> Entity {
    Entity::id_only(&t.id, "UserType")
}

async fn load(state: &AppState, id: &str) -> ApiResult<UserType> {
    state
        .store()
        .find_user_type(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "UserType"))
}

fn save_error(e: tollgate_store::Error) -> ApiError {
    match e {
        tollgate_store::Error::Conflict { constraint } if constraint == "name" => {
            already_exists("name")
        }
        tollgate_store::Error::Conflict { .. } => {
            ApiError::invalid("type", "A user type cannot be deleted while users have it")
        }
        tollgate_store::Error::NotFound => ApiError::not_found("", "UserType"),
        other => other.into(),
    }
}

/// `GET /api/v1/meta/types/user`.
pub async fn list_types(State(state): State<AppState>, _admin: Admin) -> ApiResult<Json<Value>> {
    let types = state.store().list_user_types().await?;
    Ok(Json(Value::Array(
        types.iter().map(|t| user_type_json(&state, t)).collect(),
    )))
}

/// `POST /api/v1/meta/types/user`: a new type with an empty user schema of its own.
pub async fn create_type(
    State(state): State<AppState>,
    admin: Admin,
    OktaJson(body): OktaJson<Value>,
) -> ApiResult<Json<Value>> {
    let now = state.clock().now();
    let t = UserType::create(&body, &admin.token.id, now)?;
    let event = admin
        .event("system.user_type.create", "Create user type", now)
        .target(target(&t));
    state
        .store()
        .create_user_type(&t, &[event])
        .await
        .map_err(save_error)?;
    Ok(Json(user_type_json(&state, &t)))
}

/// `GET /api/v1/meta/types/user/{typeId}` (`default`: the default type).
pub async fn get_type(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(user_type_json(&state, &load(&state, &id).await?)))
}

async fn update(
    state: &AppState,
    admin: &Admin,
    id: &str,
    body: &Value,
    replace: bool,
) -> ApiResult<Json<Value>> {
    let now = state.clock().now();
    let mut t = load(state, id).await?;
    t.update(body, replace, &admin.token.id, now)?;
    let event = admin
        .event("system.user_type.update", "Update user type", now)
        .target(target(&t));
    state
        .store()
        .update_user_type(&t, &[event])
        .await
        .map_err(save_error)?;
    Ok(Json(user_type_json(state, &t)))
}

/// `POST /api/v1/meta/types/user/{typeId}`: changes the fields sent.
pub async fn update_type(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<Value>,
) -> ApiResult<Json<Value>> {
    update(&state, &admin, &id, &body, false).await
}

/// `PUT /api/v1/meta/types/user/{typeId}`: replaces the type (its name cannot change).
pub async fn replace_type(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<Value>,
) -> ApiResult<Json<Value>> {
    update(&state, &admin, &id, &body, true).await
}

/// `DELETE /api/v1/meta/types/user/{typeId}`: the default type cannot be deleted, nor a type
/// users have.
pub async fn delete_type(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let t = load(&state, &id).await?;
    t.check_delete()?;
    let event = admin
        .event(
            "system.user_type.delete",
            "Delete user type",
            state.clock().now(),
        )
        .target(target(&t));
    state
        .store()
        .delete_user_type(&t, &[event])
        .await
        .map_err(save_error)?;
    Ok(StatusCode::NO_CONTENT)
}
