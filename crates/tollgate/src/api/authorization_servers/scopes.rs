//! `/api/v1/authorizationServers/{authServerId}/scopes`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use serde_json::Value;
use tollgate_core::authz::{Scope, ScopeInput};
use tollgate_core::log::Entity;
use tollgate_store::ScopeQuery;

use super::json::{ScopeBody, scope_json};
use super::load_server;
use crate::api::json::page_response;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::pagination::PageRequest;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

fn entity(s: &Scope) -> Entity {
    Entity::new(s.id.as_str(), "OAuth2Scope", &s.name, &s.name)
}

fn duplicate() -> ApiError {
    ApiError::invalid(
        "name",
        "A scope with this name already exists on this authorization server",
    )
}

/// Scope `id` of server `server_id`, or the API's 404.
pub async fn load_scope(state: &AppState, server_id: &str, id: &str) -> ApiResult<Scope> {
    load_server(state, server_id).await?;
    state
        .store()
        .find_scope(server_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "OAuth2Scope"))
}

/// Query parameters of the scope list.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    q: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

/// `GET …/scopes` (`q`, `limit` ≤ 200, `after`).
pub async fn list_scopes(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    Path(server_id): Path<String>,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    load_server(&state, &server_id).await?;
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 200, 200);
    let query = ScopeQuery {
        name_prefix: p.q.filter(|q| !q.is_empty()),
        limit: page.limit,
        after: page.after,
    };
    let (scopes, more) = state.store().list_scopes(&server_id, &query).await?;
    let next = if more {
        scopes.last().map(|s| s.id.as_str().to_owned())
    } else {
        None
    };
    let items = scopes.iter().map(|s| scope_json(&state, s)).collect();
    Ok(page_response(&state, &uri, items, next.as_deref()))
}

/// `POST …/scopes` → `201`.
pub async fn create_scope(
    State(state): State<AppState>,
    admin: Admin,
    Path(server_id): Path<String>,
    OktaJson(body): OktaJson<ScopeBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let scope = create(&state, &admin.audit, &server_id, &ScopeInput::from(body)).await?;
    Ok((StatusCode::CREATED, Json(scope_json(&state, &scope))))
}

/// Creates a scope of server `server_id` from `input`, as the admin of `audit`.
pub async fn create(
    state: &AppState,
    audit: &Audit,
    server_id: &str,
    input: &ScopeInput,
) -> ApiResult<Scope> {
    let server = load_server(state, server_id).await?;
    let scope = Scope::create(&server.id, input, state.clock().now())?;
    let event = audit
        .event(
            "oauth2.scope.created",
            "Create authorization server scope",
            scope.created,
        )
        .target(entity(&scope))
        .target(tollgate_core::log::Entity::authorization_server(&server));
    match state.store().create_scope(&scope, &[event]).await {
        Err(tollgate_store::Error::Conflict { .. }) => Err(duplicate()),
        other => other.map_err(ApiError::from),
    }?;
    Ok(scope)
}

/// `GET …/scopes/{scopeId}`.
pub async fn get_scope(
    State(state): State<AppState>,
    _admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(scope_json(
        &state,
        &load_scope(&state, &server_id, &id).await?,
    )))
}

/// `PUT …/scopes/{scopeId}`.
pub async fn replace_scope(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
    OktaJson(body): OktaJson<ScopeBody>,
) -> ApiResult<Json<Value>> {
    let ids = (server_id.as_str(), id.as_str());
    let scope = replace(&state, &admin.audit, ids, &ScopeInput::from(body)).await?;
    Ok(Json(scope_json(&state, &scope)))
}

/// Replaces scope `id` of server `server_id` with `input`, as the admin of `audit`.
pub async fn replace(
    state: &AppState,
    audit: &Audit,
    (server_id, id): (&str, &str),
    input: &ScopeInput,
) -> ApiResult<Scope> {
    let mut scope = load_scope(state, server_id, id).await?;
    scope.replace(input, state.clock().now())?;
    let event = audit
        .event(
            "oauth2.scope.updated",
            "Update authorization server scope",
            scope.last_updated,
        )
        .target(entity(&scope));
    match state.store().update_scope(&scope, &[event]).await {
        Err(tollgate_store::Error::Conflict { .. }) => Err(duplicate()),
        other => other.map_err(ApiError::from),
    }?;
    Ok(scope)
}

/// `DELETE …/scopes/{scopeId}`; a system scope stays (`403`).
pub async fn delete_scope(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    delete(&state, &admin.audit, &server_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes scope `id` of server `server_id` (never a system scope), as the admin of `audit`.
pub async fn delete(state: &AppState, audit: &Audit, server_id: &str, id: &str) -> ApiResult<()> {
    let scope = load_scope(state, server_id, id).await?;
    if scope.system {
        return Err(ApiError::new(OktaCode::E0000006));
    }
    let event = audit
        .event(
            "oauth2.scope.deleted",
            "Delete authorization server scope",
            state.clock().now(),
        )
        .target(entity(&scope));
    state.store().delete_scope(server_id, id, &[event]).await?;
    Ok(())
}
