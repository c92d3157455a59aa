//! `/api/v1/authorizationServers`: custom authorization servers (create, get, list with `q`
//! and paging, replace, delete, activate, deactivate) and, in the sibling modules, their
//! scopes, claims, policies and rules.
//!
//! Okta reference: Authorization Servers API; Tollgate reference `management-api.md` section 5.

pub mod associated;
pub mod claims;
pub mod json;
pub mod policies;
pub mod rules;
pub mod scopes;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use serde_json::Value;
use tollgate_core::authz::{Claim, Scope, ServerInput};
use tollgate_core::log::Entity;
use tollgate_core::server::{AuthServer, Status};
use tollgate_store::AuthServerQuery;

use crate::api::json::page_response;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::error::already_exists;
use crate::http::pagination::PageRequest;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;
use json::{ServerBody, Signing, server_json};

/// Loads a server or answers `E0000007`.
pub async fn load_server(state: &AppState, id: &str) -> ApiResult<AuthServer> {
    state
        .store()
        .find_auth_server(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "AuthorizationServer"))
}

/// What `credentials.signing` shows of the server's keys. A server gets its keys the first
/// time they are asked for, so a new server has them by the time it is answered.
async fn signing(state: &AppState, id: &str) -> ApiResult<Signing> {
    let keys = state
        .keyring()
        .key_set(id)
        .await
        .map_err(ApiError::internal)?;
    let info = state.store().key_info(id).await?;
    Ok(Signing {
        kid: Some(keys.kid().to_owned()),
        last_rotated: info.map(|i| i.last_rotated),
    })
}

async fn respond(state: &AppState, s: &AuthServer) -> ApiResult<Json<Value>> {
    let signing = signing(state, s.id.as_str()).await?;
    Ok(Json(server_json(state, s, &signing)))
}

/// `POST /api/v1/authorizationServers`: with its system scopes and `sub` claim, no policy.
pub async fn create_server(
    State(state): State<AppState>,
    admin: Admin,
    OktaJson(body): OktaJson<ServerBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let server = create(&state, &admin.audit, &ServerInput::from(body)).await?;
    Ok((StatusCode::CREATED, respond(&state, &server).await?))
}

/// Creates a server from `input`, with its system scopes and `sub` claim, as the admin of
/// `audit`.
pub async fn create(state: &AppState, audit: &Audit, input: &ServerInput) -> ApiResult<AuthServer> {
    let now = state.clock().now();
    let server = AuthServer::create(input, now)?;
    let scopes = Scope::system_scopes(&server.id, now);
    let claims = [Claim::system_sub(&server.id, now)];
    let event = audit
        .event("oauth2.as.created", "Create authorization server", now)
        .target(Entity::authorization_server(&server));
    match state
        .store()
        .create_auth_server(&server, &scopes, &claims, &[event])
        .await
    {
        Err(tollgate_store::Error::Conflict { .. }) => Err(already_exists("name")),
        other => other.map_err(ApiError::from),
    }?;
    Ok(server)
}

/// Query parameters of `GET /api/v1/authorizationServers`.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    q: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

/// `GET /api/v1/authorizationServers`.
pub async fn list_servers(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 200, 200);
    let query = AuthServerQuery {
        prefix: p.q.filter(|q| !q.is_empty()),
        limit: page.limit,
        after: page.after,
    };
    let (servers, more) = state.store().list_auth_servers(&query).await?;
    let next = if more {
        servers.last().map(|s| s.id.as_str().to_owned())
    } else {
        None
    };
    let mut items = Vec::with_capacity(servers.len());
    for s in &servers {
        items.push(respond(&state, s).await?.0);
    }
    Ok(page_response(&state, &uri, items, next.as_deref()))
}

/// `GET /api/v1/authorizationServers/{authServerId}` (`default` accepted).
pub async fn get_server(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    respond(&state, &load_server(&state, &id).await?).await
}

/// `PUT /api/v1/authorizationServers/{authServerId}`.
pub async fn replace_server(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<ServerBody>,
) -> ApiResult<Json<Value>> {
    let server = replace(&state, &admin.audit, &id, &ServerInput::from(body)).await?;
    respond(&state, &server).await
}

/// Replaces server `id`'s settings with `input`, as the admin of `audit`.
pub async fn replace(
    state: &AppState,
    audit: &Audit,
    id: &str,
    input: &ServerInput,
) -> ApiResult<AuthServer> {
    let mut server = load_server(state, id).await?;
    server.replace(input, state.clock().now())?;
    let event = audit
        .event(
            "oauth2.as.updated",
            "Update authorization server",
            server.last_updated,
        )
        .target(Entity::authorization_server(&server));
    match state.store().update_auth_server(&server, &[event]).await {
        Err(tollgate_store::Error::Conflict { .. }) => Err(already_exists("name")),
        other => other.map_err(ApiError::from),
    }?;
    Ok(server)
}

/// `DELETE /api/v1/authorizationServers/{authServerId}`; the built-in `default` stays.
pub async fn delete_server(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let server = load_server(&state, &id).await?;
    if server.is_default() {
        return Err(ApiError::new(OktaCode::E0000006));
    }
    let event = admin
        .event(
            "oauth2.as.deleted",
            "Delete authorization server",
            state.clock().now(),
        )
        .target(Entity::authorization_server(&server));
    state.store().delete_auth_server(&id, &[event]).await?;
    state.store().delete_keys(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Activates or deactivates server `id`, as the admin of `audit`.
pub async fn set_status(
    state: &AppState,
    audit: &Audit,
    id: &str,
    status: Status,
) -> ApiResult<StatusCode> {
    let server = load_server(state, id).await?;
    let now = state.clock().now();
    let (kind, message) = match status {
        Status::Active => ("oauth2.as.activated", "Activate authorization server"),
        Status::Inactive => ("oauth2.as.deactivated", "Deactivate authorization server"),
    };
    let event = audit
        .event(kind, message, now)
        .target(Entity::authorization_server(&server));
    state
        .store()
        .set_auth_server_status(id, status, now, &[event])
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/authorizationServers/{authServerId}/lifecycle/activate`.
pub async fn activate_server(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    set_status(&state, &admin.audit, &id, Status::Active).await
}

/// `POST /api/v1/authorizationServers/{authServerId}/lifecycle/deactivate`.
pub async fn deactivate_server(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    set_status(&state, &admin.audit, &id, Status::Inactive).await
}
