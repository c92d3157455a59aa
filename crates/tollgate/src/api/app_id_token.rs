//! `GET|POST /api/v1/internal/apps/{appId}/settings/oauth/idToken`: the org authorization
//! server's ID-token groups claim of an app. Okta sets it only in its admin UI, through this
//! internal endpoint (which its Terraform provider also uses); Tollgate serves it so the seed
//! page's Step Three for the org server can be done with one request.
//!
//! Reference: `management-api.md` section 3.4.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::app::App;
use tollgate_core::app::id_token_claim::IdTokenGroupsClaim;
use tollgate_core::log::Entity;

use crate::api::apps::load_app;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// What the admin UI posts.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdTokenBody {
    value_type: Option<String>,
    group_filter_type: Option<String>,
    name: Option<String>,
    value: Option<String>,
}

fn setting_json(state: &AppState, client_id: &str, claim: Option<&IdTokenGroupsClaim>) -> Value {
    json!({
        "valueType": claim.map(|c| c.value_type.as_str()),
        "groupFilterType": claim.and_then(|c| c.group_filter_type.map(|f| f.as_str())),
        "name": claim.map(|c| c.name.as_str()),
        "value": claim.map(|c| c.value.as_str()),
        "issuerMode": "ORG_URL",
        "issuer": state.public_url(),
        "orgUrl": state.public_url(),
        "audience": client_id,
    })
}

/// An OpenID Connect app: only those have ID token settings.
pub async fn load_oidc_app(state: &AppState, app_id: &str) -> ApiResult<App> {
    let app = load_app(state, app_id).await?;
    match app.template {
        None => Ok(app),
        Some(_) => Err(ApiError::not_found(app_id, "OAuth2Client")),
    }
}

/// `GET /api/v1/internal/apps/{appId}/settings/oauth/idToken`.
pub async fn get_setting(
    State(state): State<AppState>,
    _admin: Admin,
    Path(app_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let app = load_oidc_app(&state, &app_id).await?;
    let claim = state.store().app_id_token_claim(app.id.as_str()).await?;
    Ok(Json(setting_json(
        &state,
        &app.credentials.client_id,
        claim.as_ref(),
    )))
}

/// `POST /api/v1/internal/apps/{appId}/settings/oauth/idToken`: replaces the whole setting;
/// a body without `valueType` removes the claim.
pub async fn set_setting(
    State(state): State<AppState>,
    admin: Admin,
    Path(app_id): Path<String>,
    OktaJson(body): OktaJson<IdTokenBody>,
) -> ApiResult<Json<Value>> {
    let app = load_oidc_app(&state, &app_id).await?;
    let claim = IdTokenGroupsClaim::from_input(
        body.value_type.as_deref(),
        body.name.as_deref(),
        body.value.as_deref(),
        body.group_filter_type.as_deref(),
    )?;
    save_claim(&state, &admin.audit, &app, claim.as_ref()).await?;
    Ok(Json(setting_json(
        &state,
        &app.credentials.client_id,
        claim.as_ref(),
    )))
}

/// Saves `app`'s groups claim (`None` removes it) with its `application.lifecycle.update` event:
/// what the internal endpoint and the console's Sign On tab both go through.
pub async fn save_claim(
    state: &AppState,
    audit: &Audit,
    app: &App,
    claim: Option<&IdTokenGroupsClaim>,
) -> ApiResult<()> {
    let event = audit
        .event(
            "application.lifecycle.update",
            "Update application ID token groups claim",
            state.clock().now(),
        )
        .target(Entity::app(app))
        .debug(
            "groupsClaim",
            claim.map_or_else(
                || "removed".to_owned(),
                |c| format!("{} ({})", c.name, c.value_type.as_str()),
            ),
        );
    state
        .store()
        .set_app_id_token_claim(app.id.as_str(), claim, &[event])
        .await?;
    Ok(())
}
