//! `/api/v1/policies` for the org's sign-in policies: list by `type`, get one; and
//! `PUT /api/v1/apps/{appId}/policies/{policyId}`, which makes an `ACCESS_POLICY` an app's
//! sign-in policy. Tollgate serves each org's default `ACCESS_POLICY` and `PROFILE_ENROLLMENT`
//! policy (no rules, no new policies); a `type` of Okta's other policy types lists nothing.
//!
//! Okta reference: Policies API ("List all policies", "Retrieve a policy"), Application
//! Policies API ("Assign an app sign-in policy").

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tollgate_core::log::Entity;
use tollgate_core::sign_in_policy::{OrgPolicy, PolicyKind, TypeQuery, check_app_policy};

use crate::api::apps::load_app;
use crate::http::auth::Admin;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// The policy routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/policies", get(list_policies))
        .route("/api/v1/policies/{id}", get(get_policy))
        .route("/api/v1/apps/{id}/policies/{policy_id}", put(assign_policy))
}

/// Query parameters of `GET /api/v1/policies`.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    q: Option<String>,
}

/// `GET /api/v1/policies?type=...[&status=][&q=]`.
pub async fn list_policies(
    State(state): State<AppState>,
    _admin: Admin,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<Json<Value>> {
    let text = p.kind.as_deref().map(str::trim).unwrap_or_default();
    let kind = match TypeQuery::parse(text) {
        TypeQuery::Served(kind) => kind,
        TypeQuery::NotServed => return Ok(Json(json!([]))),
        TypeQuery::Unknown if text.is_empty() => {
            return Err(ApiError::invalid("type", "The field cannot be left blank"));
        }
        TypeQuery::Unknown => {
            return Err(ApiError::invalid("type", "Invalid policy type."));
        }
    };
    let status = p.status.as_deref().filter(|s| !s.is_empty());
    let q = p.q.as_deref().filter(|s| !s.is_empty());
    let items = state
        .store()
        .list_org_policies(kind)
        .await?
        .iter()
        .filter(|policy| policy.matches(status, q))
        .map(|policy| policy_json(&state, policy))
        .collect();
    Ok(Json(Value::Array(items)))
}

/// `GET /api/v1/policies/{policyId}`.
pub async fn get_policy(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(policy_json(&state, &load_policy(&state, &id).await?)))
}

async fn load_policy(state: &AppState, id: &str) -> ApiResult<OrgPolicy> {
    state
        .store()
        .find_org_policy(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "Policy"))
}

/// `PUT /api/v1/apps/{appId}/policies/{policyId}`: 204.
pub async fn assign_policy(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, policy_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let app = load_app(&state, &id).await?;
    let policy = load_policy(&state, &policy_id).await?;
    check_app_policy(&policy).map_err(|_| {
        ApiError::invalid(
            "policyId",
            "Only an app sign-in policy (ACCESS_POLICY) can be assigned to an app.",
        )
    })?;
    let event = admin
        .event(
            "application.lifecycle.update",
            "Update application",
            state.clock().now(),
        )
        .target(Entity::app(&app));
    if !state
        .store()
        .assign_app_policy(app.id.as_str(), &policy.id, &[event])
        .await?
    {
        return Err(ApiError::not_found(&id, "AppInstance"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A policy in Okta's shape. Only `GET` is offered on it, and it has no rules to link to.
fn policy_json(state: &AppState, p: &OrgPolicy) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(p.id));
    out.insert("status".into(), json!(p.status()));
    out.insert("name".into(), json!(p.name));
    out.insert("description".into(), Value::Null);
    out.insert("priority".into(), json!(p.priority));
    out.insert("system".into(), json!(p.system));
    out.insert("conditions".into(), Value::Null);
    out.insert("created".into(), json!(p.created));
    out.insert("lastUpdated".into(), json!(p.last_updated));
    out.insert("type".into(), json!(p.kind.as_str()));
    if p.kind == PolicyKind::Access {
        out.insert("_embedded".into(), json!({"resourceType": "APP"}));
    }
    let href = state.link(&format!("/api/v1/policies/{}", p.id));
    out.insert(
        "_links".into(),
        json!({"self": {"href": href, "hints": {"allow": ["GET"]}}}),
    );
    Value::Object(out)
}
