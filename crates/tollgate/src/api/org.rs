//! `GET /api/v1/org`, `POST /api/v1/org` (partial update), `PUT /api/v1/org` (replace).
//!
//! Okta reference: Org Setting API, "Retrieve the Org Setting" / "Update the Org Setting".

use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value, json};
use tollgate_core::log::Entity;
use tollgate_core::org::{Org, SETTING_FIELDS};

pub mod preferences;

use crate::http::ApiResult;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::state::AppState;

/// The org in Okta's shape.
fn org_json(state: &AppState, org: &Org) -> Value {
    let mut body = Map::new();
    body.insert("id".into(), json!(org.id));
    body.insert("subdomain".into(), json!(org.subdomain));
    body.insert("companyName".into(), json!(org.company_name));
    body.insert("status".into(), json!("ACTIVE"));
    body.insert("expiresAt".into(), Value::Null);
    body.insert("created".into(), json!(org.created));
    body.insert("lastUpdated".into(), json!(org.last_updated));
    for field in SETTING_FIELDS.iter().filter(|f| **f != "companyName") {
        body.insert((*field).into(), org.setting(field));
    }
    body.insert(
        "_links".into(),
        json!({
            "preferences": {"href": state.link("/api/v1/org/preferences")},
            "oktaCommunication": {"href": state.link("/api/v1/org/privacy/oktaCommunication")},
            "oktaSupport": {"href": state.link("/api/v1/org/privacy/oktaSupport")},
            "contacts": {"href": state.link("/api/v1/org/contacts")},
        }),
    );
    Value::Object(body)
}

/// `GET /api/v1/org`.
pub async fn get_org(State(state): State<AppState>, _admin: Admin) -> ApiResult<Json<Value>> {
    let org = state.store().org().await?;
    Ok(Json(org_json(&state, &org)))
}

/// `POST /api/v1/org`: only the fields sent change.
pub async fn update_org(
    State(state): State<AppState>,
    admin: Admin,
    OktaJson(patch): OktaJson<Map<String, Value>>,
) -> ApiResult<Json<Value>> {
    save(&state, &admin, &patch, false).await
}

/// `PUT /api/v1/org`: the settings are replaced by the body.
pub async fn replace_org(
    State(state): State<AppState>,
    admin: Admin,
    OktaJson(body): OktaJson<Map<String, Value>>,
) -> ApiResult<Json<Value>> {
    save(&state, &admin, &body, true).await
}

async fn save(
    state: &AppState,
    admin: &Admin,
    patch: &Map<String, Value>,
    replace: bool,
) -> ApiResult<Json<Value>> {
    let mut org = state.store().org().await?;
    org.apply_update(patch, replace, state.clock().now())?;
    let event = admin
        .event("system.org.update", "Update org settings", org.last_updated)
        .target(Entity::org(&org));
    state.store().update_org(&org, &[event]).await?;
    Ok(Json(org_json(state, &org)))
}
