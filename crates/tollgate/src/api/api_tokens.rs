//! `/api/v1/api-tokens`: the metadata of the org's API tokens (list, get), revoking one by id
//! and revoking the token of the call itself (`DELETE /api-tokens/current`), so a leaked token
//! can be revoked without touching the database.
//!
//! Okta reference: `ApiToken` (`okta-management-openapi.yaml`). Tollgate records no network
//! zones (`connection` is always `ANYWHERE`) and no last use, so `expiresAt` is Okta's
//! 30-day window counted from creation and is not enforced.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::log::Entity;
use tollgate_core::secret::Secret;
use tollgate_store::{ApiTokenRecord, Store};

use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// Okta's token window: a token expires this long after its last use.
const TOKEN_WINDOW_SECS: i64 = 30 * 24 * 3600;

/// A token's metadata in Okta's shape (never its secret).
pub fn token_json(state: &AppState, t: &ApiTokenRecord) -> Value {
    let created = Timestamp::from_millis(t.created);
    let used = Timestamp::from_millis(t.last_used.unwrap_or(t.created));
    let mut links = json!({
        "self": {
            "href": state.link(&format!("/api/v1/api-tokens/{}", t.id)),
            "hints": {"allow": ["GET", "DELETE"]},
        },
    });
    if let (Some(user), Some(obj)) = (&t.user_id, links.as_object_mut()) {
        obj.insert(
            "user".into(),
            json!({"href": state.link(&format!("/api/v1/users/{user}")), "hints": {"allow": ["GET"]}}),
        );
    }
    json!({
        "name": t.name,
        "userId": t.user_id,
        "tokenWindow": "P30D",
        "network": {"connection": "ANYWHERE"},
        "id": t.id,
        "clientName": "Okta API",
        "expiresAt": used.plus_seconds(TOKEN_WINDOW_SECS),
        "created": created,
        "lastUpdated": used,
        "_links": links,
    })
}

/// `GET /api/v1/api-tokens`: every token, oldest first.
pub async fn list_tokens(State(state): State<AppState>, _admin: Admin) -> ApiResult<Json<Value>> {
    let tokens = state.store().list_api_tokens().await?;
    Ok(Json(Value::Array(
        tokens.iter().map(|(t, _)| token_json(&state, t)).collect(),
    )))
}

async fn load_token(state: &AppState, id: &str) -> ApiResult<ApiTokenRecord> {
    state
        .store()
        .find_api_token_by_id(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "ApiToken"))
}

/// `GET /api/v1/api-tokens/{id}`.
pub async fn get_token(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(token_json(&state, &load_token(&state, &id).await?)))
}

/// Revokes a token and logs it.
pub async fn revoke(
    state: &AppState,
    audit: &Audit,
    token: &ApiTokenRecord,
) -> ApiResult<StatusCode> {
    let now = state.clock().now();
    let event = audit
        .event("system.api_token.revoke", "Revoke API token", now)
        .target(Entity::new(
            token.id.clone(),
            "Token",
            token.name.clone(),
            token.name.clone(),
        ));
    if !state.store().delete_api_token(&token.id, &[event]).await? {
        return Err(ApiError::not_found(&token.id, "ApiToken"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/api-tokens/{id}`: `204`.
pub async fn revoke_token(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let token = load_token(&state, &id).await?;
    revoke(&state, &admin.audit, &token).await
}

/// `DELETE /api/v1/api-tokens/current`: revokes the token this call is made with; `204`.
pub async fn revoke_current(State(state): State<AppState>, admin: Admin) -> ApiResult<StatusCode> {
    let token = admin.token.clone();
    revoke(&state, &admin.audit, &token).await
}

/// Mints a new token named `name` that acts as the user `owner`; returns its value (the only
/// time it exists outside a digest) and its record. Okta creates tokens only in its console;
/// the CLI makes the first ones.
pub async fn mint(
    store: &Store,
    name: &str,
    owner: &str,
    now: Timestamp,
) -> tollgate_store::Result<(Secret, Option<ApiTokenRecord>)> {
    let token = Secret::generate_api_token();
    let digest = token.digest();
    store
        .register_api_token(name, &digest, Some(owner), now)
        .await?;
    let record = store.find_api_token(&digest).await?;
    Ok((token, record))
}
