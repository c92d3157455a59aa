//! `/api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::Value;
use tollgate_core::authz::{EVERYONE, Rule, RuleInput};
use tollgate_core::log::Entity;
use tollgate_core::server::Status;

use super::json::{RuleBody, rule_json};
use super::policies::load_policy;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

fn entity(r: &Rule) -> Entity {
    Entity::new(r.id.as_str(), "PolicyRule", &r.name, &r.name)
}

/// Rule `id` of policy `policy_id` of server `server_id`, or the API's 404.
pub async fn load_rule(
    state: &AppState,
    server_id: &str,
    policy_id: &str,
    id: &str,
) -> ApiResult<Rule> {
    load_policy(state, server_id, policy_id).await?;
    state
        .store()
        .find_rule(policy_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "PolicyRule"))
}

/// Every user and group a rule names must exist.
async fn check_people(state: &AppState, r: &Rule) -> ApiResult<()> {
    let p = &r.people;
    for (field, id) in p
        .groups_include
        .iter()
        .map(|g| ("conditions.people.groups.include", g))
        .chain(
            p.groups_exclude
                .iter()
                .map(|g| ("conditions.people.groups.exclude", g)),
        )
        .filter(|(_, g)| *g != EVERYONE)
    {
        if state.store().find_group(id).await?.is_none() {
            return Err(ApiError::invalid(
                field,
                &format!("The group '{id}' does not exist"),
            ));
        }
    }
    for (field, id) in p
        .users_include
        .iter()
        .map(|u| ("conditions.people.users.include", u))
        .chain(
            p.users_exclude
                .iter()
                .map(|u| ("conditions.people.users.exclude", u)),
        )
    {
        let found = state.store().find_user(id).await?;
        if found.is_none_or(|u| u.id.as_str() != id) {
            return Err(ApiError::invalid(
                field,
                &format!("The user '{id}' does not exist"),
            ));
        }
    }
    Ok(())
}

/// `GET …/rules`, by ascending priority.
pub async fn list_rules(
    State(state): State<AppState>,
    _admin: Admin,
    Path((server_id, policy_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    load_policy(&state, &server_id, &policy_id).await?;
    let rules = state.store().rules_of(&policy_id).await?;
    Ok(Json(Value::Array(
        rules.iter().map(|r| rule_json(&state, r)).collect(),
    )))
}

/// `POST …/rules` → `201`.
pub async fn create_rule(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, policy_id)): Path<(String, String)>,
    OktaJson(body): OktaJson<RuleBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let ids = (server_id.as_str(), policy_id.as_str());
    let rule = create(&state, &admin.audit, ids, &RuleInput::from(body)).await?;
    Ok((StatusCode::CREATED, Json(rule_json(&state, &rule))))
}

/// Creates a rule of policy `policy_id` of server `server_id` from `input`, as the admin of
/// `audit`.
pub async fn create(
    state: &AppState,
    audit: &Audit,
    (server_id, policy_id): (&str, &str),
    input: &RuleInput,
) -> ApiResult<Rule> {
    let policy = load_policy(state, server_id, policy_id).await?;
    let mut rule = Rule::create(&policy.server_id, &policy.id, input, state.clock().now())?;
    check_people(state, &rule).await?;
    let event = audit
        .event("policy.rule.add", "Add policy rule", rule.created)
        .target(entity(&rule))
        .target(super::policies::entity(&policy));
    state.store().create_rule(&mut rule, &[event]).await?;
    Ok(rule)
}

/// `GET …/rules/{ruleId}`.
pub async fn get_rule(
    State(state): State<AppState>,
    _admin: Admin,
    Path((server_id, policy_id, id)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(rule_json(
        &state,
        &load_rule(&state, &server_id, &policy_id, &id).await?,
    )))
}

/// `PUT …/rules/{ruleId}`.
pub async fn replace_rule(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, policy_id, id)): Path<(String, String, String)>,
    OktaJson(body): OktaJson<RuleBody>,
) -> ApiResult<Json<Value>> {
    let ids = (server_id.as_str(), policy_id.as_str(), id.as_str());
    let rule = replace(&state, &admin.audit, ids, &RuleInput::from(body)).await?;
    Ok(Json(rule_json(&state, &rule)))
}

/// Replaces rule `id` of policy `policy_id` of server `server_id` with `input`, as the admin
/// of `audit`.
pub async fn replace(
    state: &AppState,
    audit: &Audit,
    (server_id, policy_id, id): (&str, &str, &str),
    input: &RuleInput,
) -> ApiResult<Rule> {
    let mut rule = load_rule(state, server_id, policy_id, id).await?;
    rule.replace(input, state.clock().now())?;
    check_people(state, &rule).await?;
    let event = audit
        .event(
            "policy.rule.update",
            "Update policy rule",
            rule.last_updated,
        )
        .target(entity(&rule));
    state.store().update_rule(&mut rule, &[event]).await?;
    Ok(rule)
}

/// `DELETE …/rules/{ruleId}`.
pub async fn delete_rule(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, policy_id, id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let ids = (server_id.as_str(), policy_id.as_str(), id.as_str());
    delete(&state, &admin.audit, ids).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes rule `id` of policy `policy_id` of server `server_id`, as the admin of `audit`.
pub async fn delete(
    state: &AppState,
    audit: &Audit,
    (server_id, policy_id, id): (&str, &str, &str),
) -> ApiResult<()> {
    let rule = load_rule(state, server_id, policy_id, id).await?;
    let event = audit
        .event(
            "policy.rule.delete",
            "Delete policy rule",
            state.clock().now(),
        )
        .target(entity(&rule));
    state.store().delete_rule(policy_id, id, &[event]).await?;
    Ok(())
}

async fn set_status(
    state: &AppState,
    admin: &Admin,
    (server_id, policy_id, id): (String, String, String),
    status: Status,
) -> ApiResult<StatusCode> {
    let rule = load_rule(state, &server_id, &policy_id, &id).await?;
    let now = state.clock().now();
    let (kind, message) = match status {
        Status::Active => ("policy.rule.activate", "Activate policy rule"),
        Status::Inactive => ("policy.rule.deactivate", "Deactivate policy rule"),
    };
    let event = admin.event(kind, message, now).target(entity(&rule));
    state
        .store()
        .set_rule_status(&policy_id, &id, status, now, &[event])
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST …/rules/{ruleId}/lifecycle/activate`.
pub async fn activate_rule(
    State(state): State<AppState>,
    admin: Admin,
    Path(ids): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    set_status(&state, &admin, ids, Status::Active).await
}

/// `POST …/rules/{ruleId}/lifecycle/deactivate`.
pub async fn deactivate_rule(
    State(state): State<AppState>,
    admin: Admin,
    Path(ids): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    set_status(&state, &admin, ids, Status::Inactive).await
}
