//! `/api/v1/trustedOrigins`: list (`q`, `filter`, paging), create, get, replace, delete, and
//! `lifecycle/activate` / `lifecycle/deactivate`.
//!
//! Okta reference: Trusted Origins API (`okta-management-openapi.yaml`, tag `TrustedOrigin`).
//! Status codes follow the spec and Okta's recordings: `200` with the object for create,
//! replace and both lifecycle calls, `204` for delete (an active origin can be deleted).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::log::{Entity, LogEvent};
use tollgate_core::server::Status;
use tollgate_core::trusted_origin::{OriginScope, ScopeType, TrustedOrigin, TrustedOriginInput};
use tollgate_store::TrustedOriginQuery;

use crate::api::json::{page_response, parse_filter};
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::error::already_exists;
use crate::http::pagination::PageRequest;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// A scope type on the wire. An unknown type fails deserialisation, which Okta answers with
/// `E0000003` "The request body was not well-formed." (seen with `"Redirect"`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum WireScopeType {
    Cors,
    Redirect,
    IframeEmbed,
}

impl From<WireScopeType> for ScopeType {
    fn from(t: WireScopeType) -> Self {
        match t {
            WireScopeType::Cors => Self::Cors,
            WireScopeType::Redirect => Self::Redirect,
            WireScopeType::IframeEmbed => Self::IframeEmbed,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireScope {
    #[serde(rename = "type")]
    kind: WireScopeType,
    #[serde(default)]
    allowed_okta_apps: Option<Vec<String>>,
}

/// The body of create and replace: `name`, `origin`, `scopes`; read-only fields are ignored.
#[derive(Debug, Deserialize)]
pub struct OriginBody {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    scopes: Option<Vec<WireScope>>,
}

impl From<OriginBody> for TrustedOriginInput {
    fn from(b: OriginBody) -> Self {
        Self {
            name: b.name,
            origin: b.origin,
            scopes: b.scopes.map(|s| {
                s.into_iter()
                    .map(|w| OriginScope {
                        kind: w.kind.into(),
                        allowed_okta_apps: w.allowed_okta_apps.unwrap_or_default(),
                    })
                    .collect()
            }),
        }
    }
}

/// Query parameters of `GET /api/v1/trustedOrigins`.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    q: Option<String>,
    filter: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

/// A trusted origin in Okta's shape (field order as Okta sends it).
pub fn origin_json(state: &AppState, o: &TrustedOrigin) -> Value {
    let id = o.id.as_str();
    let self_link = json!({
        "href": state.link(&format!("/api/v1/trustedOrigins/{id}")),
        "hints": {"allow": ["GET", "PUT", "DELETE"]},
    });
    let lifecycle = |op: &str| {
        json!({
            "href": state.link(&format!("/api/v1/trustedOrigins/{id}/lifecycle/{op}")),
            "hints": {"allow": ["POST"]},
        })
    };
    let links = match o.status {
        Status::Active => json!({"self": self_link, "deactivate": lifecycle("deactivate")}),
        Status::Inactive => json!({"activate": lifecycle("activate"), "self": self_link}),
    };
    let scopes: Vec<Value> = o
        .scopes
        .iter()
        .map(|s| match s.kind {
            ScopeType::IframeEmbed => {
                json!({"type": s.kind.as_str(), "allowedOktaApps": s.allowed_okta_apps})
            }
            _ => json!({"type": s.kind.as_str()}),
        })
        .collect();
    json!({
        "id": id,
        "name": o.name,
        "origin": o.origin,
        "scopes": scopes,
        "status": o.status.as_str(),
        "created": o.created,
        "createdBy": o.created_by,
        "lastUpdated": o.last_updated,
        "lastUpdatedBy": o.last_updated_by,
        "_links": links,
    })
}

/// The event of a change to `o`.
fn origin_event(admin: &Admin, event_type: &str, message: &str, o: &TrustedOrigin) -> LogEvent {
    admin
        .event(event_type, message, o.last_updated)
        .target(Entity::new(
            o.id.as_str(),
            "TrustedOrigin",
            o.origin.clone(),
            o.name.clone(),
        ))
}

/// Maps a taken origin to Okta's "already exists" validation error.
fn origin_conflict(e: tollgate_store::Error) -> ApiError {
    match e {
        tollgate_store::Error::Conflict { .. } => already_exists("origin"),
        other => other.into(),
    }
}

/// The actor recorded in `createdBy` / `lastUpdatedBy`: the API token, which is also the
/// System Log actor (Tollgate's tokens have no owning user).
fn actor(admin: &Admin) -> &str {
    &admin.token.id
}

/// `GET /api/v1/trustedOrigins`.
pub async fn list_origins(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 20, 200);
    let query = TrustedOriginQuery {
        prefix: p.q.filter(|q| !q.is_empty()),
        filter: parse_filter(p.filter.as_deref(), None)?,
        limit: page.limit,
        after: page.after,
    };
    let (origins, more) = state.store().list_trusted_origins(&query).await?;
    let next = if more {
        origins.last().map(|o| o.id.as_str().to_owned())
    } else {
        None
    };
    let items = origins.iter().map(|o| origin_json(&state, o)).collect();
    Ok(page_response(&state, &uri, items, next.as_deref()))
}

/// `POST /api/v1/trustedOrigins`: `200` (not `201`), as the spec and Okta's recordings show.
pub async fn create_origin(
    State(state): State<AppState>,
    admin: Admin,
    OktaJson(body): OktaJson<OriginBody>,
) -> ApiResult<Json<Value>> {
    let origin = TrustedOrigin::new(body.into(), actor(&admin), state.clock().now())?;
    let event = origin_event(
        &admin,
        "security.trusted_origin.create",
        "Create trusted origin",
        &origin,
    );
    state
        .store()
        .create_trusted_origin(&origin, &[event])
        .await
        .map_err(origin_conflict)?;
    state.cors_origins().forget();
    Ok(Json(origin_json(&state, &origin)))
}

async fn load_origin(state: &AppState, id: &str) -> ApiResult<TrustedOrigin> {
    state
        .store()
        .find_trusted_origin(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "TrustedOrigin"))
}

/// `GET /api/v1/trustedOrigins/{trustedOriginId}`.
pub async fn get_origin(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(origin_json(&state, &load_origin(&state, &id).await?)))
}

/// `PUT /api/v1/trustedOrigins/{trustedOriginId}`: replaces name, origin and scopes.
pub async fn replace_origin(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<OriginBody>,
) -> ApiResult<Json<Value>> {
    let mut origin = load_origin(&state, &id).await?;
    origin.replace(body.into(), actor(&admin), state.clock().now())?;
    let event = origin_event(
        &admin,
        "security.trusted_origin.update",
        "Update trusted origin",
        &origin,
    );
    match state.store().update_trusted_origin(&origin, &[event]).await {
        Err(tollgate_store::Error::NotFound) => Err(ApiError::not_found(&id, "TrustedOrigin")),
        other => other.map_err(origin_conflict),
    }?;
    state.cors_origins().forget();
    Ok(Json(origin_json(&state, &origin)))
}

/// `DELETE /api/v1/trustedOrigins/{trustedOriginId}`.
pub async fn delete_origin(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut origin = load_origin(&state, &id).await?;
    origin.touch(actor(&admin), state.clock().now());
    let event = origin_event(
        &admin,
        "security.trusted_origin.delete",
        "Delete trusted origin",
        &origin,
    );
    if !state.store().delete_trusted_origin(&id, &[event]).await? {
        return Err(ApiError::not_found(&id, "TrustedOrigin"));
    }
    state.cors_origins().forget();
    Ok(StatusCode::NO_CONTENT)
}

async fn set_status(
    state: &AppState,
    admin: &Admin,
    id: &str,
    status: Status,
) -> ApiResult<Json<Value>> {
    let mut origin = load_origin(state, id).await?;
    // Already in the asked status: Okta answers 200 with the object; nothing changes.
    if origin.status != status {
        origin.status = status;
        origin.touch(actor(admin), state.clock().now());
        let (event_type, message) = match status {
            Status::Active => (
                "security.trusted_origin.activate",
                "Activate trusted origin",
            ),
            Status::Inactive => (
                "security.trusted_origin.deactivate",
                "Deactivate trusted origin",
            ),
        };
        let event = origin_event(admin, event_type, message, &origin);
        match state
            .store()
            .set_trusted_origin_status(&origin, &[event])
            .await
        {
            Err(tollgate_store::Error::NotFound) => Err(ApiError::not_found(id, "TrustedOrigin")),
            other => other.map_err(origin_conflict),
        }?;
        state.cors_origins().forget();
    }
    Ok(Json(origin_json(state, &origin)))
}

/// `POST /api/v1/trustedOrigins/{trustedOriginId}/lifecycle/activate`.
pub async fn activate_origin(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    set_status(&state, &admin, &id, Status::Active).await
}

/// `POST /api/v1/trustedOrigins/{trustedOriginId}/lifecycle/deactivate`.
pub async fn deactivate_origin(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    set_status(&state, &admin, &id, Status::Inactive).await
}
