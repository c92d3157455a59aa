//! `/api/v1/groups/rules`: create, list (`search`, paging, `expand=groupIdToGroupNameMap`), get,
//! replace, delete (`removeUsers`), and `lifecycle/activate` / `lifecycle/deactivate`.
//!
//! Okta reference: Group Rules API (`okta-management-openapi.yaml`, tag `GroupRule`). Rules are
//! created `INACTIVE`; create and replace answer `200` with the rule, the lifecycle calls `204`,
//! delete `202`. What an active rule does to memberships is in [`engine`].

pub mod engine;
pub mod wire;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::group_rule::{GroupRule, RuleInput, RuleStatus};
use tollgate_core::log::Entity;
use tollgate_store::GroupRuleQuery;

use self::wire::{RuleBody, check_groups, rule_json};
use crate::api::json::page_response;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::pagination::PageRequest;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// The group-rule routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/groups/rules", get(list_rules).post(create_rule))
        .route(
            "/api/v1/groups/rules/{id}",
            get(get_rule).put(replace_rule).delete(delete_rule),
        )
        .route("/api/v1/groups/rules/{id}/lifecycle/{op}", post(lifecycle))
}

/// Query parameters of list and get.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    search: Option<String>,
    limit: Option<String>,
    after: Option<String>,
    expand: Option<String>,
}

/// Query parameters of delete.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteParams {
    remove_users: Option<String>,
}

/// An event about a rule. Activation and deactivation use Okta's event types
/// (`group.user_membership.rule.trigger`, `.deactivated`); Okta's catalog has none for creating,
/// replacing or deleting a rule, so those are Tollgate's `group.rule.create`, `.update`, `.delete`.
fn rule_event(
    audit: &Audit,
    kind: &str,
    message: &str,
    r: &GroupRule,
) -> tollgate_core::log::LogEvent {
    audit
        .event(kind, message, r.last_updated)
        .target(Entity::new(r.id.as_str(), "GroupRule", &r.name, &r.name))
}

/// `POST /api/v1/groups/rules`.
pub async fn create_rule(
    State(state): State<AppState>,
    admin: Admin,
    OktaJson(body): OktaJson<RuleBody>,
) -> ApiResult<Json<Value>> {
    let rule = create(&state, &admin.audit, &body.into_input()).await?;
    Ok(Json(rule_json(&state, &rule, None).await?))
}

/// Creates a rule (`INACTIVE`) from `input`, with its System Log event.
pub async fn create(state: &AppState, audit: &Audit, input: &RuleInput) -> ApiResult<GroupRule> {
    let rule = GroupRule::create(input, state.clock().now())?;
    check_groups(state, &rule).await?;
    let event = rule_event(audit, "group.rule.create", "Create group rule", &rule);
    state.store().create_group_rule(&rule, &[event]).await?;
    Ok(rule)
}

/// `GET /api/v1/groups/rules`.
pub async fn list_rules(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 50, 200);
    let query = GroupRuleQuery {
        search: p.search.filter(|s| !s.trim().is_empty()),
        limit: page.limit,
        after: page.after,
    };
    let (rules, more) = state.store().list_group_rules(&query).await?;
    let next = if more {
        rules.last().map(|r| r.id.as_str().to_owned())
    } else {
        None
    };
    let mut items = Vec::with_capacity(rules.len());
    for r in &rules {
        items.push(rule_json(&state, r, p.expand.as_deref()).await?);
    }
    Ok(page_response(&state, &uri, items, next.as_deref()))
}

/// Loads a rule or answers `E0000007`.
pub async fn load_rule(state: &AppState, id: &str) -> ApiResult<GroupRule> {
    state
        .store()
        .find_group_rule(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "GroupRule"))
}

/// `GET /api/v1/groups/rules/{id}`.
pub async fn get_rule(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<Json<Value>> {
    let rule = load_rule(&state, &id).await?;
    Ok(Json(rule_json(&state, &rule, p.expand.as_deref()).await?))
}

/// `PUT /api/v1/groups/rules/{id}`: only an inactive rule, and not its actions.
pub async fn replace_rule(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<RuleBody>,
) -> ApiResult<Json<Value>> {
    let rule = replace(&state, &admin.audit, &id, &body.into_input()).await?;
    Ok(Json(rule_json(&state, &rule, None).await?))
}

/// Replaces rule `id` with `input` (only an inactive rule, and not its actions).
pub async fn replace(
    state: &AppState,
    audit: &Audit,
    id: &str,
    input: &RuleInput,
) -> ApiResult<GroupRule> {
    let mut rule = load_rule(state, id).await?;
    rule.replace(input, state.clock().now())?;
    let event = rule_event(audit, "group.rule.update", "Update group rule", &rule);
    state.store().update_group_rule(&rule, &[event]).await?;
    Ok(rule)
}

/// `DELETE /api/v1/groups/rules/{id}?removeUsers=true`: memberships the rule made stay unless
/// `removeUsers` is true.
pub async fn delete_rule(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaQuery(p): OktaQuery<DeleteParams>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let remove_users = p
        .remove_users
        .as_deref()
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    delete(&state, &admin.audit, &id, remove_users).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({}))))
}

/// Deletes rule `id`; the memberships it made go only with `remove_users`.
pub async fn delete(
    state: &AppState,
    audit: &Audit,
    id: &str,
    remove_users: bool,
) -> ApiResult<()> {
    let mut rule = load_rule(state, id).await?;
    rule.last_updated = state.clock().now();
    let event = rule_event(audit, "group.rule.delete", "Delete group rule", &rule);
    state.store().delete_group_rule(id, &[event]).await?;
    if remove_users {
        engine::evaluate_everyone(state.store(), &rule.group_ids, audit, state.clock().now())
            .await?;
    }
    Ok(())
}

/// `POST /api/v1/groups/rules/{id}/lifecycle/{activate|deactivate}`: activation evaluates every
/// user against the active rules; deactivation keeps the memberships the rule made.
pub async fn lifecycle(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, op)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let status = match op.as_str() {
        "activate" => RuleStatus::Active,
        "deactivate" => RuleStatus::Inactive,
        _ => return Err(ApiError::not_found(&op, "Operation")),
    };
    set_status(&state, &admin.audit, &id, status).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Activates (then evaluates every user against the active rules) or deactivates (keeping the
/// memberships the rule made) rule `id`.
pub async fn set_status(
    state: &AppState,
    audit: &Audit,
    id: &str,
    status: RuleStatus,
) -> ApiResult<()> {
    let mut rule = load_rule(state, id).await?;
    if rule.set_status(status, state.clock().now())? {
        let (kind, message) = match status {
            RuleStatus::Active => (
                "group.user_membership.rule.trigger",
                "Group membership rule activated",
            ),
            _ => (
                "group.user_membership.rule.deactivated",
                "Group membership rule deactivated",
            ),
        };
        let event = rule_event(audit, kind, message, &rule);
        state.store().update_group_rule(&rule, &[event]).await?;
    }
    if status == RuleStatus::Active {
        engine::evaluate_everyone(state.store(), &[], audit, state.clock().now()).await?;
    }
    Ok(())
}
