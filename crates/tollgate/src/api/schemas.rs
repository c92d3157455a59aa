//! `/api/v1/meta/schemas/...` (the user schema of each user type, the group schema, each app's
//! app user schema) and `/api/v1/meta/types/user` (user types, in [`types`]).
//!
//! Okta reference: Schemas API, User Types API.

mod json;
pub mod profiles;
mod types;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use tollgate_core::log::Entity;
use tollgate_core::schema::{ProfileSchema, SchemaKind};

use self::json::{app_user_schema_json, group_schema_json, user_schema_json};
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    const U: &str = "/api/v1/meta/types/user";
    Router::new()
        .route(
            "/api/v1/meta/schemas/user/{schema_id}",
            get(get_user_schema).post(update_user_schema),
        )
        .route(
            "/api/v1/meta/schemas/group/default",
            get(get_group_schema).post(update_group_schema),
        )
        .route(
            "/api/v1/meta/schemas/apps/{app_id}/default",
            get(get_app_user_schema).post(update_app_user_schema),
        )
        .route(U, get(types::list_types).post(types::create_type))
        .route(
            "/api/v1/meta/types/user/{type_id}",
            get(types::get_type)
                .post(types::update_type)
                .put(types::replace_type)
                .delete(types::delete_type),
        )
}

/// The stored schema and the revision it was read at (uncached: an edit starts from what the
/// database has); an unstored one is empty.
async fn load(
    state: &AppState,
    kind: SchemaKind,
    id: &str,
) -> ApiResult<(ProfileSchema, Option<i64>)> {
    Ok(match state.store().find_schema(kind, id).await? {
        Some(s) => (s.schema, Some(s.revision)),
        None => (ProfileSchema::empty(id, kind, state.clock().now()), None),
    })
}

/// Applies a `POST` body to schema `kind`/`id` and saves it, with one System Log event; when
/// another write got there first, reads the schema again and reapplies the body, so no
/// property added at the same time is lost.
async fn update(
    state: &AppState,
    admin: &Admin,
    kind: SchemaKind,
    id: &str,
    body: &Value,
) -> ApiResult<ProfileSchema> {
    for _ in 0..20 {
        let now = state.clock().now();
        let (mut schema, read_at) = load(state, kind, id).await?;
        schema.apply_update(body, now)?;
        let event = admin
            .event(
                &format!("system.schema.{}.update", kind.as_str()),
                "Update profile schema",
                now,
            )
            .target(Entity::id_only(id, "ProfileSchema"));
        match state.store().save_schema(&schema, read_at, &[event]).await {
            Ok(()) => return Ok(schema),
            Err(tollgate_store::Error::Stale) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::internal(format!("schema {id} kept changing")))
}

async fn user_type_of_schema(
    state: &AppState,
    schema_id: &str,
) -> ApiResult<tollgate_core::schema::user_type::UserType> {
    let found = if schema_id == "default" {
        state.store().find_user_type("default").await?
    } else {
        state.store().user_type_of_schema(schema_id).await?
    };
    found.ok_or_else(|| ApiError::not_found(schema_id, "UserSchema"))
}

/// `GET /api/v1/meta/schemas/user/{schemaId}` (`default`: the default type's).
pub async fn get_user_schema(
    State(state): State<AppState>,
    _admin: Admin,
    Path(schema_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let t = user_type_of_schema(&state, &schema_id).await?;
    let (s, _) = load(&state, SchemaKind::User, &t.schema_id).await?;
    Ok(Json(user_schema_json(&state, &s, &t)))
}

/// `POST /api/v1/meta/schemas/user/{schemaId}`: adds, replaces or (sent as `null`) removes
/// custom properties.
pub async fn update_user_schema(
    State(state): State<AppState>,
    admin: Admin,
    Path(schema_id): Path<String>,
    OktaJson(body): OktaJson<Value>,
) -> ApiResult<Json<Value>> {
    let t = user_type_of_schema(&state, &schema_id).await?;
    let s = update(&state, &admin, SchemaKind::User, &t.schema_id, &body).await?;
    Ok(Json(user_schema_json(&state, &s, &t)))
}

/// `GET /api/v1/meta/schemas/group/default`.
pub async fn get_group_schema(
    State(state): State<AppState>,
    _admin: Admin,
) -> ApiResult<Json<Value>> {
    let (s, _) = load(&state, SchemaKind::Group, "default").await?;
    Ok(Json(group_schema_json(&state, &s)))
}

/// `POST /api/v1/meta/schemas/group/default`.
pub async fn update_group_schema(
    State(state): State<AppState>,
    admin: Admin,
    OktaJson(body): OktaJson<Value>,
) -> ApiResult<Json<Value>> {
    let s = update(&state, &admin, SchemaKind::Group, "default", &body).await?;
    Ok(Json(group_schema_json(&state, &s)))
}

/// `GET /api/v1/meta/schemas/apps/{appId}/default`.
pub async fn get_app_user_schema(
    State(state): State<AppState>,
    _admin: Admin,
    Path(app_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let app = crate::api::apps::load_app(&state, &app_id).await?;
    let (s, _) = load(&state, SchemaKind::AppUser, app.id.as_str()).await?;
    Ok(Json(app_user_schema_json(
        &state,
        &s,
        "oidc_client",
        &app.label,
    )))
}

/// `POST /api/v1/meta/schemas/apps/{appId}/default`.
pub async fn update_app_user_schema(
    State(state): State<AppState>,
    admin: Admin,
    Path(app_id): Path<String>,
    OktaJson(body): OktaJson<Value>,
) -> ApiResult<Json<Value>> {
    let app = crate::api::apps::load_app(&state, &app_id).await?;
    let s = update(&state, &admin, SchemaKind::AppUser, app.id.as_str(), &body).await?;
    Ok(Json(app_user_schema_json(
        &state,
        &s,
        "oidc_client",
        &app.label,
    )))
}
