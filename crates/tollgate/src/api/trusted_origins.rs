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
use crate::http::audit::Audit;
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

/// The event of a change to `o`, by the actor of `audit`.
fn origin_event(audit: &Audit, event_type: &str, message: &str, o: &TrustedOrigin) -> LogEvent {
    audit
        .event(event_type, message, o.last_updated)
        .target(Entity::new(
            o.id.as_str(),
            "TrustedOrigin",
            o.origin.clone(),
            o.name.clone(),
        ))
}

/// Maps a taken origin to Okta's "already exists" validation error, and a row gone meanwhile
/// to the API's 404 for `id`.
fn origin_conflict(id: &str, e: tollgate_store::Error) -> ApiError {
    match e {
        tollgate_store::Error::Conflict { .. } => already_exists("origin"),
        tollgate_store::Error::NotFound => ApiError::not_found(id, "TrustedOrigin"),
        other => other.into(),
    }
}

/// The actor recorded in `createdBy` / `lastUpdatedBy`: the API token of an API call (which
/// is what Okta records; Tollgate's System Log names the token's owner), else the actor
/// itself (the admin signed in to the console).
fn actor(audit: &Audit) -> &str {
    audit.api_token_id.as_deref().unwrap_or(&audit.actor.id)
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

/// Creates a trusted origin from `input` and logs it; CORS checks see it at once.
pub async fn create(
    state: &AppState,
    audit: &Audit,
    input: TrustedOriginInput,
) -> ApiResult<TrustedOrigin> {
    let origin = TrustedOrigin::new(input, actor(audit), state.clock().now())?;
    let event = origin_event(
        audit,
        "security.trusted_origin.create",
        "Create trusted origin",
        &origin,
    );
    state
        .store()
        .create_trusted_origin(&origin, &[event])
        .await
        .map_err(|e| origin_conflict(origin.id.as_str(), e))?;
    state.cors_origins().forget();
    Ok(origin)
}

/// `POST /api/v1/trustedOrigins`: `200` (not `201`), as the spec and Okta's recordings show.
pub async fn create_origin(
    State(state): State<AppState>,
    admin: Admin,
    OktaJson(body): OktaJson<OriginBody>,
) -> ApiResult<Json<Value>> {
    let origin = create(&state, &admin.audit, body.into()).await?;
    Ok(Json(origin_json(&state, &origin)))
}

/// The trusted origin `id`, or the API's 404.
pub async fn load_origin(state: &AppState, id: &str) -> ApiResult<TrustedOrigin> {
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

/// Replaces the name, origin and scopes of origin `id` and logs it; CORS checks see it at once.
pub async fn replace(
    state: &AppState,
    audit: &Audit,
    id: &str,
    input: TrustedOriginInput,
) -> ApiResult<TrustedOrigin> {
    let mut origin = load_origin(state, id).await?;
    origin.replace(input, actor(audit), state.clock().now())?;
    let event = origin_event(
        audit,
        "security.trusted_origin.update",
        "Update trusted origin",
        &origin,
    );
    state
        .store()
        .update_trusted_origin(&origin, &[event])
        .await
        .map_err(|e| origin_conflict(id, e))?;
    state.cors_origins().forget();
    Ok(origin)
}

/// `PUT /api/v1/trustedOrigins/{trustedOriginId}`: replaces name, origin and scopes.
pub async fn replace_origin(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<OriginBody>,
) -> ApiResult<Json<Value>> {
    let origin = replace(&state, &admin.audit, &id, body.into()).await?;
    Ok(Json(origin_json(&state, &origin)))
}

/// Deletes origin `id` (active or not) and logs it; CORS checks see it at once.
pub async fn delete(state: &AppState, audit: &Audit, id: &str) -> ApiResult<()> {
    let mut origin = load_origin(state, id).await?;
    origin.touch(actor(audit), state.clock().now());
    let event = origin_event(
        audit,
        "security.trusted_origin.delete",
        "Delete trusted origin",
        &origin,
    );
    if !state.store().delete_trusted_origin(id, &[event]).await? {
        return Err(ApiError::not_found(id, "TrustedOrigin"));
    }
    state.cors_origins().forget();
    Ok(())
}

/// `DELETE /api/v1/trustedOrigins/{trustedOriginId}`.
pub async fn delete_origin(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    delete(&state, &admin.audit, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Activates or deactivates origin `id` and logs it; CORS checks see it at once. Already in
/// the asked status: nothing changes (Okta answers 200 with the object).
pub async fn set_status(
    state: &AppState,
    audit: &Audit,
    id: &str,
    status: Status,
) -> ApiResult<TrustedOrigin> {
    let mut origin = load_origin(state, id).await?;
    if origin.status == status {
        return Ok(origin);
    }
    origin.status = status;
    origin.touch(actor(audit), state.clock().now());
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
    let event = origin_event(audit, event_type, message, &origin);
    state
        .store()
        .set_trusted_origin_status(&origin, &[event])
        .await
        .map_err(|e| origin_conflict(id, e))?;
    state.cors_origins().forget();
    Ok(origin)
}

/// `POST /api/v1/trustedOrigins/{trustedOriginId}/lifecycle/activate`.
pub async fn activate_origin(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let origin = set_status(&state, &admin.audit, &id, Status::Active).await?;
    Ok(Json(origin_json(&state, &origin)))
}

/// `POST /api/v1/trustedOrigins/{trustedOriginId}/lifecycle/deactivate`.
pub async fn deactivate_origin(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let origin = set_status(&state, &admin.audit, &id, Status::Inactive).await?;
    Ok(Json(origin_json(&state, &origin)))
}
