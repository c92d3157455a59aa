//! The org's preferences, privacy settings and contacts:
//! `GET /api/v1/org/preferences`, `POST .../preferences/{showEndUserFooter|hideEndUserFooter}`;
//! `GET /api/v1/org/privacy/oktaSupport`, `POST .../oktaSupport/{grant|extend|revoke}`;
//! `GET /api/v1/org/privacy/oktaCommunication`, `POST .../oktaCommunication/{optIn|optOut}`;
//! `GET /api/v1/org/contacts`, `GET|PUT /api/v1/org/contacts/{contactType}`.
//!
//! Okta reference: Org Setting API (preferences, Okta Support, Okta communication, contacts).

use axum::Json;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::log::Entity;
use tollgate_core::org::Org;
use tollgate_core::org::preferences::{CONTACT_TYPES, contact_type};

use crate::api::users::load_user;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// A `POST`-only link.
fn action(state: &AppState, path: &str) -> Value {
    json!({"href": state.link(path), "hints": {"allow": ["POST"]}})
}

fn preferences_json(state: &AppState, org: &Org) -> Value {
    let show = org.shows_end_user_footer();
    let (rel, path) = match show {
        true => (
            "hideEndUserFooter",
            "/api/v1/org/preferences/hideEndUserFooter",
        ),
        false => (
            "showEndUserFooter",
            "/api/v1/org/preferences/showEndUserFooter",
        ),
    };
    json!({"showEndUserFooter": show, "_links": {rel: action(state, path)}})
}

fn support_json(state: &AppState, org: &Org, now: Timestamp) -> Value {
    let access = org.support_access(now);
    let links = match access.enabled {
        true => json!({
            "extend": action(state, "/api/v1/org/privacy/oktaSupport/extend"),
            "revoke": action(state, "/api/v1/org/privacy/oktaSupport/revoke"),
        }),
        false => json!({"grant": action(state, "/api/v1/org/privacy/oktaSupport/grant")}),
    };
    json!({
        "support": if access.enabled { "ENABLED" } else { "DISABLED" },
        "expiration": access.expiration,
        "_links": links,
    })
}

fn communication_json(state: &AppState, org: &Org) -> Value {
    let opted_out = org.opts_out_email_users();
    let (rel, path) = match opted_out {
        true => ("optIn", "/api/v1/org/privacy/oktaCommunication/optIn"),
        false => ("optOut", "/api/v1/org/privacy/oktaCommunication/optOut"),
    };
    json!({"optOutEmailUsers": opted_out, "_links": {rel: action(state, path)}})
}

fn contact_json(state: &AppState, user_id: Option<&str>) -> Value {
    match user_id {
        Some(id) => json!({
            "userId": id,
            "_links": {"user": {"href": state.link(&format!("/api/v1/users/{id}"))}},
        }),
        None => json!({"userId": null}),
    }
}

/// Loads the org, lets `change` edit it, saves it with one System Log event.
async fn change_org(
    state: &AppState,
    admin: &Admin,
    message: &str,
    change: impl FnOnce(&mut Org, Timestamp) -> Result<(), tollgate_core::Error>,
) -> ApiResult<Org> {
    let mut org = state.store().org().await?;
    let now = state.clock().now();
    change(&mut org, now)?;
    let event = admin
        .event("system.org.update", message, now)
        .target(Entity::org(&org));
    state.store().update_org(&org, &[event]).await?;
    Ok(org)
}

async fn get_preferences(State(state): State<AppState>, _admin: Admin) -> ApiResult<Json<Value>> {
    let org = state.store().org().await?;
    Ok(Json(preferences_json(&state, &org)))
}

async fn set_footer(state: &AppState, admin: &Admin, show: bool) -> ApiResult<Json<Value>> {
    let message = if show {
        "Show end-user footer"
    } else {
        "Hide end-user footer"
    };
    let org = change_org(state, admin, message, |org, now| {
        org.set_end_user_footer(show, now);
        Ok(())
    })
    .await?;
    Ok(Json(preferences_json(state, &org)))
}

async fn show_footer(State(state): State<AppState>, admin: Admin) -> ApiResult<Json<Value>> {
    set_footer(&state, &admin, true).await
}

async fn hide_footer(State(state): State<AppState>, admin: Admin) -> ApiResult<Json<Value>> {
    set_footer(&state, &admin, false).await
}

async fn get_support(State(state): State<AppState>, _admin: Admin) -> ApiResult<Json<Value>> {
    let org = state.store().org().await?;
    Ok(Json(support_json(&state, &org, state.clock().now())))
}

/// `POST /api/v1/org/privacy/oktaSupport/{grant|extend|revoke}`.
async fn change_support(
    State(state): State<AppState>,
    admin: Admin,
    Path(op): Path<String>,
) -> ApiResult<Json<Value>> {
    let message = match op.as_str() {
        "grant" => "Grant Okta Support access",
        "extend" => "Extend Okta Support access",
        "revoke" => "Revoke Okta Support access",
        _ => return Err(ApiError::new(crate::http::OktaCode::E0000008)),
    };
    let org = change_org(&state, &admin, message, |org, now| {
        match op.as_str() {
            "grant" => org.grant_support(now),
            "extend" => org.extend_support(now)?,
            _ => org.revoke_support(now),
        };
        Ok(())
    })
    .await?;
    Ok(Json(support_json(&state, &org, state.clock().now())))
}

async fn get_communication(State(state): State<AppState>, _admin: Admin) -> ApiResult<Json<Value>> {
    let org = state.store().org().await?;
    Ok(Json(communication_json(&state, &org)))
}

/// `POST /api/v1/org/privacy/oktaCommunication/{optIn|optOut}`.
async fn change_communication(
    State(state): State<AppState>,
    admin: Admin,
    Path(op): Path<String>,
) -> ApiResult<Json<Value>> {
    let opt_out = match op.as_str() {
        "optIn" => false,
        "optOut" => true,
        _ => return Err(ApiError::new(crate::http::OktaCode::E0000008)),
    };
    let message = "Update Okta communication emails";
    let org = change_org(&state, &admin, message, |org, now| {
        org.set_opt_out_email_users(opt_out, now);
        Ok(())
    })
    .await?;
    Ok(Json(communication_json(&state, &org)))
}

async fn list_contacts(State(state): State<AppState>, _admin: Admin) -> ApiResult<Json<Value>> {
    let items = CONTACT_TYPES
        .iter()
        .map(|kind| {
            let rel = kind.to_ascii_lowercase();
            let href = state.link(&format!("/api/v1/org/contacts/{rel}"));
            json!({"contactType": kind, "_links": {rel: {"href": href}}})
        })
        .collect();
    Ok(Json(Value::Array(items)))
}

fn known_contact(raw: &str) -> ApiResult<&'static str> {
    contact_type(raw).ok_or_else(|| ApiError::not_found(raw, "OrgContactType"))
}

async fn get_contact(
    State(state): State<AppState>,
    _admin: Admin,
    Path(kind): Path<String>,
) -> ApiResult<Json<Value>> {
    let kind = known_contact(&kind)?;
    let org = state.store().org().await?;
    Ok(Json(contact_json(&state, org.contact(kind).as_deref())))
}

/// `PUT` body of a contact.
#[derive(Debug, Deserialize)]
struct ContactBody {
    #[serde(rename = "userId")]
    user_id: Option<String>,
}

async fn set_contact(
    State(state): State<AppState>,
    admin: Admin,
    Path(kind): Path<String>,
    OktaJson(body): OktaJson<ContactBody>,
) -> ApiResult<Json<Value>> {
    let kind = known_contact(&kind)?;
    let Some(user_id) = body.user_id.filter(|u| !u.trim().is_empty()) else {
        return Err(ApiError::invalid("userId", "userId is required"));
    };
    let user = load_user(&state, &user_id).await?;
    let id = user.id.to_string();
    let message = format!("Set the {} contact", kind.to_ascii_lowercase());
    change_org(&state, &admin, &message, |org, now| {
        org.set_contact(kind, &id, now);
        Ok(())
    })
    .await?;
    Ok(Json(contact_json(&state, Some(&id))))
}

/// The routes of this module.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/api/v1/org/preferences", get(get_preferences))
        .route(
            "/api/v1/org/preferences/showEndUserFooter",
            post(show_footer),
        )
        .route(
            "/api/v1/org/preferences/hideEndUserFooter",
            post(hide_footer),
        )
        .route("/api/v1/org/privacy/oktaSupport", get(get_support))
        .route("/api/v1/org/privacy/oktaSupport/{op}", post(change_support))
        .route(
            "/api/v1/org/privacy/oktaCommunication",
            get(get_communication),
        )
        .route(
            "/api/v1/org/privacy/oktaCommunication/{op}",
            post(change_communication),
        )
        .route("/api/v1/org/contacts", get(list_contacts))
        .route(
            "/api/v1/org/contacts/{kind}",
            get(get_contact).put(set_contact),
        )
}
