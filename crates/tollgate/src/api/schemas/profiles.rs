//! The schemas profile writes are checked against (users, groups, app users), through the
//! schema cache.

use std::sync::Arc;

use serde_json::{Map, Value};
use tollgate_core::directory::User;
use tollgate_core::schema::user_type::UserType;
use tollgate_core::schema::{ProfileSchema, SchemaKind};

use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// The cached schema `kind`/`id`.
pub async fn cached(state: &AppState, kind: SchemaKind, id: &str) -> ApiResult<Arc<ProfileSchema>> {
    Ok(state
        .caches()
        .schemas
        .get(state.store(), kind, id, state.clock().now())
        .await?)
}

/// User type `type_id` (`None`: the default type), or `E0000001` on `type.id` when there is
/// no such type.
pub async fn user_type(state: &AppState, type_id: Option<&str>) -> ApiResult<UserType> {
    let id = type_id.unwrap_or("default");
    state
        .store()
        .find_user_type(id)
        .await?
        .ok_or_else(|| ApiError::invalid("type.id", &format!("User type {id} does not exist")))
}

/// The user schema of type `type_id`.
pub async fn user_schema(state: &AppState, type_id: Option<&str>) -> ApiResult<Arc<ProfileSchema>> {
    let t = user_type(state, type_id).await?;
    cached(state, SchemaKind::User, &t.schema_id).await
}

/// For a profile sent to `POST`/`PUT /users/{id}`: the schema it must fit and the user's type
/// afterwards (`new_type`: `PUT` may change it with `type.id`; `None` for the default type),
/// its unique values checked.
pub async fn for_update(
    state: &AppState,
    stored: &User,
    new_type: Option<&str>,
    profile: &Map<String, Value>,
) -> ApiResult<(Arc<ProfileSchema>, Option<String>)> {
    let t = user_type(state, new_type.or(stored.type_id.as_deref())).await?;
    let schema = cached(state, SchemaKind::User, &t.schema_id).await?;
    check_unique(state, &schema, profile, stored.id.as_str()).await?;
    Ok((schema, (!t.default).then_some(t.id)))
}

/// Refuses values of `unique` properties that another user (not `user_id`) already has, in
/// Okta's words. Not atomic with the write: two requests at the same instant may both pass.
pub async fn check_unique(
    state: &AppState,
    schema: &ProfileSchema,
    profile: &Map<String, Value>,
    user_id: &str,
) -> ApiResult<()> {
    for (name, value) in schema.unique_values(profile) {
        if state
            .store()
            .user_with_profile_value(&name, &value, user_id)
            .await?
            .is_some()
        {
            return Err(crate::http::error::already_exists(&name));
        }
    }
    Ok(())
}

/// Checks a group profile against the group schema.
pub async fn check_group_profile(state: &AppState, profile: &Map<String, Value>) -> ApiResult<()> {
    cached(state, SchemaKind::Group, "default")
        .await?
        .check_profile(profile)
        .map_err(ApiError::from)
}

/// Checks an app user profile against app `app_id`'s app user schema.
pub async fn check_app_user_profile(
    state: &AppState,
    app_id: &str,
    profile: &Map<String, Value>,
) -> ApiResult<()> {
    cached(state, SchemaKind::AppUser, app_id)
        .await?
        .check_profile(profile)
        .map_err(ApiError::from)
}
