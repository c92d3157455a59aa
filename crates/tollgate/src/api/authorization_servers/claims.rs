//! `/api/v1/authorizationServers/{authServerId}/claims`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::Value;
use tollgate_core::authz::{Claim, ClaimInput};
use tollgate_core::log::Entity;

use super::json::{ClaimBody, claim_json};
use super::load_server;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

fn entity(c: &Claim) -> Entity {
    Entity::new(c.id.as_str(), "OAuth2Claim", &c.name, &c.name)
}

fn duplicate() -> ApiError {
    ApiError::invalid(
        "name",
        "A claim with this name and claim type already exists on this authorization server",
    )
}

pub async fn load_claim(state: &AppState, server_id: &str, id: &str) -> ApiResult<Claim> {
    load_server(state, server_id).await?;
    state
        .store()
        .find_claim(server_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "OAuth2Claim"))
}

/// The seed page wraps its expression in an extra pair of quotes; the stored value is the
/// inner expression, and the server log says so.
fn warn_if_unwrapped(input: &ClaimInput, claim: &Claim) {
    if input
        .value
        .as_deref()
        .is_some_and(|sent| sent != claim.value)
    {
        tracing::warn!(
            claim = %claim.name,
            server = %claim.server_id,
            "claim value was wrapped in extra double quotes; stored the inner expression"
        );
    }
}

/// Every scope a claim's `conditions.scopes` names must exist on the server.
async fn check_scopes(state: &AppState, claim: &Claim) -> ApiResult<()> {
    if claim.scopes.is_empty() {
        return Ok(());
    }
    let known = state.store().scopes_of(claim.server_id.as_str()).await?;
    match claim
        .scopes
        .iter()
        .find(|s| !known.iter().any(|k| &k.name == *s))
    {
        Some(missing) => Err(ApiError::invalid(
            "conditions.scopes",
            &format!("The scope '{missing}' does not exist on this authorization server"),
        )),
        None => Ok(()),
    }
}

/// `GET …/claims` (unpaginated).
pub async fn list_claims(
    State(state): State<AppState>,
    _admin: Admin,
    Path(server_id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_server(&state, &server_id).await?;
    let claims = state.store().claims_of(&server_id).await?;
    Ok(Json(Value::Array(
        claims.iter().map(|c| claim_json(&state, c)).collect(),
    )))
}

/// `POST …/claims` → `201`.
pub async fn create_claim(
    State(state): State<AppState>,
    admin: Admin,
    Path(server_id): Path<String>,
    OktaJson(body): OktaJson<ClaimBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let claim = create(&state, &admin.audit, &server_id, &ClaimInput::from(body)).await?;
    Ok((StatusCode::CREATED, Json(claim_json(&state, &claim))))
}

/// Creates a claim of server `server_id` from `input`, as the admin of `audit`.
pub async fn create(
    state: &AppState,
    audit: &Audit,
    server_id: &str,
    input: &ClaimInput,
) -> ApiResult<Claim> {
    let server = load_server(state, server_id).await?;
    let claim = Claim::create(&server.id, input, state.clock().now())?;
    warn_if_unwrapped(input, &claim);
    check_scopes(state, &claim).await?;
    let event = audit
        .event(
            "oauth2.claim.created",
            "Create authorization server claim",
            claim.created,
        )
        .target(entity(&claim))
        .target(tollgate_core::log::Entity::authorization_server(&server));
    match state.store().create_claim(&claim, &[event]).await {
        Err(tollgate_store::Error::Conflict { .. }) => Err(duplicate()),
        other => other.map_err(ApiError::from),
    }?;
    Ok(claim)
}

/// `GET …/claims/{claimId}`.
pub async fn get_claim(
    State(state): State<AppState>,
    _admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(claim_json(
        &state,
        &load_claim(&state, &server_id, &id).await?,
    )))
}

/// `PUT …/claims/{claimId}`.
pub async fn replace_claim(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
    OktaJson(body): OktaJson<ClaimBody>,
) -> ApiResult<Json<Value>> {
    let ids = (server_id.as_str(), id.as_str());
    let claim = replace(&state, &admin.audit, ids, &ClaimInput::from(body)).await?;
    Ok(Json(claim_json(&state, &claim)))
}

/// Replaces claim `id` of server `server_id` with `input`, as the admin of `audit`.
pub async fn replace(
    state: &AppState,
    audit: &Audit,
    (server_id, id): (&str, &str),
    input: &ClaimInput,
) -> ApiResult<Claim> {
    let mut claim = load_claim(state, server_id, id).await?;
    claim.replace(input, state.clock().now())?;
    warn_if_unwrapped(input, &claim);
    check_scopes(state, &claim).await?;
    let event = audit
        .event(
            "oauth2.claim.updated",
            "Update authorization server claim",
            claim.last_updated,
        )
        .target(entity(&claim));
    match state.store().update_claim(&claim, &[event]).await {
        Err(tollgate_store::Error::Conflict { .. }) => Err(duplicate()),
        other => other.map_err(ApiError::from),
    }?;
    Ok(claim)
}

/// `DELETE …/claims/{claimId}`; a system claim stays (`403`).
pub async fn delete_claim(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    delete(&state, &admin.audit, &server_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes claim `id` of server `server_id` (never a system claim), as the admin of `audit`.
pub async fn delete(state: &AppState, audit: &Audit, server_id: &str, id: &str) -> ApiResult<()> {
    let claim = load_claim(state, server_id, id).await?;
    if claim.system {
        return Err(ApiError::new(OktaCode::E0000006));
    }
    let event = audit
        .event(
            "oauth2.claim.deleted",
            "Delete authorization server claim",
            state.clock().now(),
        )
        .target(entity(&claim));
    state.store().delete_claim(server_id, id, &[event]).await?;
    Ok(())
}
