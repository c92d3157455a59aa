//! Consent grants to Okta's management scopes: `/api/v1/apps/{appId}/grants[/{grantId}]`
//! (`POST`, `GET`, `DELETE`), and a user's own under `/api/v1/users/{userId}/grants` and
//! `/api/v1/users/{userId}/clients/{clientId}/grants` (`GET`, `DELETE`).
//!
//! Tollgate records these grants as Okta does; its management API itself is called with API
//! tokens, not with OAuth access tokens carrying these scopes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::app::App;
use tollgate_core::app::consent::{ConsentGrant, GrantSource, check_admin_grant};
use tollgate_core::id::ConsentGrantId;
use tollgate_core::log::Entity;

use super::load_app;
use crate::api::users::load_user;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// `POST` body.
#[derive(Debug, Deserialize)]
pub struct GrantBody {
    issuer: Option<String>,
    #[serde(rename = "scopeId")]
    scope_id: Option<String>,
}

/// `expand=scope`.
#[derive(Debug, Default, Deserialize)]
pub struct GrantParams {
    expand: Option<String>,
}

impl GrantParams {
    fn expands_scope(&self) -> bool {
        self.expand
            .as_deref()
            .is_some_and(|e| e.split(',').any(|x| x.trim() == "scope"))
    }
}

/// A grant as Okta shows it; `app` is the app it belongs to, when loaded.
fn grant_json(state: &AppState, g: &ConsentGrant, app: Option<&App>, embed: bool) -> Value {
    let base = state.public_url();
    let title = app.map(|a| a.label.as_str());
    let mut v = json!({
        "id": g.id,
        "status": "ACTIVE",
        "created": g.created,
        "createdBy": {"id": g.created_by.0, "type": g.created_by.1},
        "lastUpdated": g.created,
        "issuer": g.issuer,
        "clientId": g.client_id,
        "scopeId": g.scope_id,
        "source": g.source.as_str(),
    });
    if let Value::Object(fields) = &mut v {
        if let Some(user_id) = &g.user_id {
            fields.insert("userId".into(), json!(user_id));
        }
        if embed {
            fields.insert("_embedded".into(), json!({"scope": {"id": g.scope_id}}));
        }
        fields.insert(
            "_links".into(),
            json!({
                "app": {"href": format!("{base}/api/v1/apps/{}", g.app_id), "title": title},
                "self": {"href": format!("{base}/api/v1/apps/{}/grants/{}", g.app_id, g.id),
                         "hints": {"allow": ["GET", "DELETE"]}},
                "client": {"href": format!("{base}/oauth2/v1/clients/{}", g.client_id), "title": title},
            }),
        );
    }
    v
}

fn grant_not_found(id: &str) -> ApiError {
    ApiError::not_found(id, "OAuth2ScopeConsentGrant")
}

/// `POST /api/v1/apps/{appId}/grants`: an admin grants the app a management scope.
pub async fn grant(
    State(state): State<AppState>,
    admin: Admin,
    Path(app_id): Path<String>,
    OktaJson(body): OktaJson<GrantBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let app = load_app(&state, &app_id).await?;
    let scope = check_admin_grant(
        body.scope_id.as_deref(),
        body.issuer.as_deref(),
        state.public_url(),
    )?;
    let now = state.clock().now();
    let actor = &admin.audit.actor;
    let g = ConsentGrant {
        id: ConsentGrantId::generate().into_string(),
        app_id: app.id.to_string(),
        client_id: app.credentials.client_id.clone(),
        scope_id: scope,
        issuer: state.public_url().to_owned(),
        source: GrantSource::Admin,
        user_id: None,
        created_by: (actor.id.clone(), actor.kind.clone()),
        created: now,
    };
    let event = admin
        .event(
            "app.oauth2.admin.consent.grant",
            "Admin consent granted",
            now,
        )
        .target(Entity::app(&app))
        .debug("scopeId", g.scope_id.clone());
    state.store().create_consent_grant(&g, &[event]).await?;
    Ok((
        StatusCode::CREATED,
        Json(grant_json(&state, &g, Some(&app), true)),
    ))
}

/// `GET /api/v1/apps/{appId}/grants`.
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Path(app_id): Path<String>,
    OktaQuery(params): OktaQuery<GrantParams>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &app_id).await?;
    let grants = state.store().consent_grants_of_app(app.id.as_str()).await?;
    let embed = params.expands_scope();
    Ok(Json(Value::Array(
        grants
            .iter()
            .map(|g| grant_json(&state, g, Some(&app), embed))
            .collect(),
    )))
}

/// `GET /api/v1/apps/{appId}/grants/{grantId}`.
pub async fn get_grant(
    State(state): State<AppState>,
    _admin: Admin,
    Path((app_id, id)): Path<(String, String)>,
    OktaQuery(params): OktaQuery<GrantParams>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &app_id).await?;
    let g = state
        .store()
        .find_consent_grant(app.id.as_str(), &id)
        .await?
        .ok_or_else(|| grant_not_found(&id))?;
    Ok(Json(grant_json(
        &state,
        &g,
        Some(&app),
        params.expands_scope(),
    )))
}

/// `DELETE /api/v1/apps/{appId}/grants/{grantId}`.
pub async fn revoke(
    State(state): State<AppState>,
    admin: Admin,
    Path((app_id, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let app = load_app(&state, &app_id).await?;
    let now = state.clock().now();
    let event = admin
        .event(
            "app.oauth2.admin.consent.revoke",
            "Admin consent revoked",
            now,
        )
        .target(Entity::app(&app))
        .debug("grantId", id.clone());
    match state
        .store()
        .delete_consent_grant(app.id.as_str(), &id, &[event])
        .await?
    {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(grant_not_found(&id)),
    }
}

/// `GET /api/v1/users/{userId}/grants` and `.../clients/{clientId}/grants`: what the user
/// consented to.
async fn user_grants(
    state: &AppState,
    user_id: &str,
    client_id: Option<&str>,
    params: &GrantParams,
) -> ApiResult<Json<Value>> {
    let user = load_user(state, user_id).await?;
    let grants = state
        .store()
        .consent_grants_of_user(user.id.as_str(), client_id)
        .await?;
    let mut items = Vec::with_capacity(grants.len());
    for g in &grants {
        let app = state.store().find_app(&g.app_id).await?;
        items.push(grant_json(state, g, app.as_ref(), params.expands_scope()));
    }
    Ok(Json(Value::Array(items)))
}

async fn revoke_user_grants(
    state: &AppState,
    admin: &Admin,
    user_id: &str,
    client_id: Option<&str>,
) -> ApiResult<StatusCode> {
    let user = load_user(state, user_id).await?;
    let now = state.clock().now();
    let event = admin
        .event("app.oauth2.as.consent.revoke", "User consent revoked", now)
        .target(Entity::user(&user));
    state
        .store()
        .delete_user_consent_grants(user.id.as_str(), client_id, &[event])
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/users/{userId}/grants`.
pub async fn list_user(
    State(state): State<AppState>,
    _admin: Admin,
    Path(user_id): Path<String>,
    OktaQuery(params): OktaQuery<GrantParams>,
) -> ApiResult<Json<Value>> {
    user_grants(&state, &user_id, None, &params).await
}

/// `DELETE /api/v1/users/{userId}/grants`.
pub async fn revoke_user(
    State(state): State<AppState>,
    admin: Admin,
    Path(user_id): Path<String>,
) -> ApiResult<StatusCode> {
    revoke_user_grants(&state, &admin, &user_id, None).await
}

/// `GET /api/v1/users/{userId}/clients/{clientId}/grants`.
pub async fn list_user_client(
    State(state): State<AppState>,
    _admin: Admin,
    Path((user_id, client_id)): Path<(String, String)>,
    OktaQuery(params): OktaQuery<GrantParams>,
) -> ApiResult<Json<Value>> {
    user_grants(&state, &user_id, Some(&client_id), &params).await
}

/// `DELETE /api/v1/users/{userId}/clients/{clientId}/grants`.
pub async fn revoke_user_client(
    State(state): State<AppState>,
    admin: Admin,
    Path((user_id, client_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    revoke_user_grants(&state, &admin, &user_id, Some(&client_id)).await
}

/// The routes of this module.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/apps/{id}/grants", post(grant).get(list))
        .route(
            "/api/v1/apps/{id}/grants/{grant_id}",
            get(get_grant).delete(revoke),
        )
        .route(
            "/api/v1/users/{id}/grants",
            get(list_user).delete(revoke_user),
        )
        .route(
            "/api/v1/users/{id}/clients/{client_id}/grants",
            get(list_user_client).delete(revoke_user_client),
        )
}
