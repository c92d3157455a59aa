//! `/api/v1/authorizationServers/{authServerId}/policies`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::Value;
use tollgate_core::authz::{ALL_CLIENTS, Policy, PolicyInput};
use tollgate_core::log::Entity;
use tollgate_core::server::Status;

use super::json::{PolicyBody, policy_json};
use super::load_server;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// The System Log target for a policy.
pub fn entity(p: &Policy) -> Entity {
    Entity::new(p.id.as_str(), "PolicyEntity", &p.name, &p.name)
}

/// Loads a policy of an existing server or answers `E0000007`.
pub async fn load_policy(state: &AppState, server_id: &str, id: &str) -> ApiResult<Policy> {
    load_server(state, server_id).await?;
    state
        .store()
        .find_policy(server_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "Policy"))
}

/// Every client id a policy names must be an app.
async fn check_clients(state: &AppState, p: &Policy) -> ApiResult<()> {
    for c in p.clients.iter().filter(|c| *c != ALL_CLIENTS) {
        if state.store().find_app(c).await?.is_none() {
            return Err(ApiError::invalid(
                "conditions.clients.include",
                &format!("The client '{c}' does not exist"),
            ));
        }
    }
    Ok(())
}

/// `GET …/policies`, by ascending priority.
pub async fn list_policies(
    State(state): State<AppState>,
    _admin: Admin,
    Path(server_id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_server(&state, &server_id).await?;
    let policies = state.store().policies_of(&server_id).await?;
    Ok(Json(Value::Array(
        policies.iter().map(|p| policy_json(&state, p)).collect(),
    )))
}

/// `POST …/policies` → `201`.
pub async fn create_policy(
    State(state): State<AppState>,
    admin: Admin,
    Path(server_id): Path<String>,
    OktaJson(body): OktaJson<PolicyBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let policy = create(&state, &admin.audit, &server_id, &PolicyInput::from(body)).await?;
    Ok((StatusCode::CREATED, Json(policy_json(&state, &policy))))
}

/// Creates a policy of server `server_id` from `input`, as the admin of `audit`.
pub async fn create(
    state: &AppState,
    audit: &Audit,
    server_id: &str,
    input: &PolicyInput,
) -> ApiResult<Policy> {
    let server = load_server(state, server_id).await?;
    let mut policy = Policy::create(&server.id, input, state.clock().now())?;
    check_clients(state, &policy).await?;
    let event = audit
        .event("policy.lifecycle.create", "Create policy", policy.created)
        .target(entity(&policy))
        .target(tollgate_core::log::Entity::authorization_server(&server));
    state.store().create_policy(&mut policy, &[event]).await?;
    Ok(policy)
}

/// `GET …/policies/{policyId}`.
pub async fn get_policy(
    State(state): State<AppState>,
    _admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(policy_json(
        &state,
        &load_policy(&state, &server_id, &id).await?,
    )))
}

/// `PUT …/policies/{policyId}`.
pub async fn replace_policy(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
    OktaJson(body): OktaJson<PolicyBody>,
) -> ApiResult<Json<Value>> {
    let ids = (server_id.as_str(), id.as_str());
    let policy = replace(&state, &admin.audit, ids, &PolicyInput::from(body)).await?;
    Ok(Json(policy_json(&state, &policy)))
}

/// Replaces policy `id` of server `server_id` with `input`, as the admin of `audit`.
pub async fn replace(
    state: &AppState,
    audit: &Audit,
    (server_id, id): (&str, &str),
    input: &PolicyInput,
) -> ApiResult<Policy> {
    let mut policy = load_policy(state, server_id, id).await?;
    policy.replace(input, state.clock().now())?;
    check_clients(state, &policy).await?;
    let event = audit
        .event(
            "policy.lifecycle.update",
            "Update policy",
            policy.last_updated,
        )
        .target(entity(&policy));
    state.store().update_policy(&mut policy, &[event]).await?;
    Ok(policy)
}

/// `DELETE …/policies/{policyId}`: its rules go with it.
pub async fn delete_policy(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    delete(&state, &admin.audit, &server_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes policy `id` of server `server_id` and its rules, as the admin of `audit`.
pub async fn delete(state: &AppState, audit: &Audit, server_id: &str, id: &str) -> ApiResult<()> {
    let policy = load_policy(state, server_id, id).await?;
    let event = audit
        .event(
            "policy.lifecycle.delete",
            "Delete policy",
            state.clock().now(),
        )
        .target(entity(&policy));
    state.store().delete_policy(server_id, id, &[event]).await?;
    Ok(())
}

async fn set_status(
    state: &AppState,
    admin: &Admin,
    server_id: &str,
    id: &str,
    status: Status,
) -> ApiResult<StatusCode> {
    let policy = load_policy(state, server_id, id).await?;
    let now = state.clock().now();
    let (kind, message) = match status {
        Status::Active => ("policy.lifecycle.activate", "Activate policy"),
        Status::Inactive => ("policy.lifecycle.deactivate", "Deactivate policy"),
    };
    let event = admin.event(kind, message, now).target(entity(&policy));
    state
        .store()
        .set_policy_status(server_id, id, status, now, &[event])
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST …/policies/{policyId}/lifecycle/activate`.
pub async fn activate_policy(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    set_status(&state, &admin, &server_id, &id, Status::Active).await
}

/// `POST …/policies/{policyId}/lifecycle/deactivate`.
pub async fn deactivate_policy(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    set_status(&state, &admin, &server_id, &id, Status::Inactive).await
}
