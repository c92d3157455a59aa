//! `/api/v1/authorizationServers/{authServerId}/associatedServers`: the other custom servers a
//! server trusts. `POST {"trusted": ["aus…"]}` adds them, `GET ?trusted=true|false` lists the
//! trusted ones or the others, `DELETE .../{associatedServerId}` ends a trust. Tollgate keeps
//! and lists the associations; it does not yet accept the trusted servers' tokens anywhere.
//!
//! Okta reference: Authorization Server Associations API (`AssociatedServerMediated`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::authz::associated::trusted_ids;
use tollgate_core::log::Entity;
use tollgate_core::server::AuthServer;
use tollgate_store::AuthServerQuery;

use super::json::{server_json, server_path};
use super::{load_server, signing};
use crate::api::json::page_response;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::pagination::PageRequest;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    const A: &str = "/api/v1/authorizationServers/{id}/associatedServers";
    Router::new()
        .route(A, get(list_associated).post(create_associated))
        .route(&format!("{A}/{{associated_id}}"), delete(delete_associated))
}

/// An associated server in Okta's shape: the server, with only a link to end the trust.
async fn associated_json(state: &AppState, s: &AuthServer) -> ApiResult<Value> {
    let mut out = server_json(state, s, &signing(state, s.id.as_str()).await?);
    if let Some(obj) = out.as_object_mut() {
        let href = server_path(state, s.id.as_str());
        obj.insert(
            "_links".into(),
            json!({"self": {"href": href, "hints": {"allow": ["DELETE"]}}}),
        );
    }
    Ok(out)
}

/// `{"trusted": ["aus…", …]}`.
#[derive(Debug, Default, Deserialize)]
pub struct AssociatedBody {
    trusted: Option<Vec<String>>,
}

/// `POST .../associatedServers`: answers the servers named, now trusted.
pub async fn create_associated(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<AssociatedBody>,
) -> ApiResult<Json<Value>> {
    let server = load_server(&state, &id).await?;
    let ids = trusted_ids(server.id.as_str(), body.trusted.as_deref())?;
    let mut trusted = Vec::with_capacity(ids.len());
    for other in &ids {
        trusted.push(load_server(&state, other).await?);
    }
    let now = state.clock().now();
    let event = trusted.iter().fold(
        admin
            .event("oauth2.as.updated", "Update authorization server", now)
            .target(Entity::authorization_server(&server)),
        |e, t| e.target(Entity::authorization_server(t)),
    );
    let stored: Vec<String> = trusted.iter().map(|t| t.id.as_str().to_owned()).collect();
    state
        .store()
        .add_associated_servers(server.id.as_str(), &stored, now, &[event])
        .await?;
    let mut items = Vec::with_capacity(trusted.len());
    for t in &trusted {
        items.push(associated_json(&state, t).await?);
    }
    Ok(Json(Value::Array(items)))
}

/// Query parameters of `GET .../associatedServers`.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    trusted: Option<String>,
    q: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

/// `GET .../associatedServers?trusted=true|false&q=&limit=&after=`: the trusted servers
/// (also when `trusted` is absent), or with `false` every other server not trusted.
pub async fn list_associated(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    Path(id): Path<String>,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let server = load_server(&state, &id).await?;
    let trusted = match p.trusted.as_deref().map(str::trim) {
        None | Some("") | Some("true") => true,
        Some("false") => false,
        Some(_) => return Err(ApiError::invalid("trusted", "must be true or false")),
    };
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 200, 200);
    let query = AuthServerQuery {
        prefix: p.q.filter(|q| !q.trim().is_empty()),
        limit: page.limit,
        after: page.after,
    };
    let (servers, more) = state
        .store()
        .list_associated_servers(server.id.as_str(), trusted, &query)
        .await?;
    let next = match more {
        true => servers.last().map(|s| s.id.as_str().to_owned()),
        false => None,
    };
    let mut items = Vec::with_capacity(servers.len());
    for s in &servers {
        items.push(associated_json(&state, s).await?);
    }
    Ok(page_response(&state, &uri, items, next.as_deref()))
}

/// `DELETE .../associatedServers/{associatedServerId}`: `E0000007` when that server is unknown
/// or not trusted by this one.
pub async fn delete_associated(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, associated_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let server = load_server(&state, &id).await?;
    let other = load_server(&state, &associated_id).await?;
    let event = admin
        .event(
            "oauth2.as.updated",
            "Update authorization server",
            state.clock().now(),
        )
        .target(Entity::authorization_server(&server))
        .target(Entity::authorization_server(&other));
    let removed = state
        .store()
        .remove_associated_server(server.id.as_str(), other.id.as_str(), &[event])
        .await?;
    match removed {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(ApiError::not_found(&associated_id, "AssociatedServer")),
    }
}
