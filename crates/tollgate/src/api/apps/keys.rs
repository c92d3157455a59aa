//! App key credentials: `/api/v1/apps/{appId}/credentials/keys` (list, get), `.../generate`
//! (a new key with a self-signed certificate) and `.../{kid}/clone` (the same key for another
//! app). Every app lists the org's default app key, made on first use, as on Okta.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::app::App;
use tollgate_core::app::key_credentials::{VALIDITY_YEARS, validity_years};
use tollgate_core::log::Entity;
use tollgate_store::app_keys::AppKey;

use super::load_app;
use crate::http::auth::Admin;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// A key as Okta shows it: its JWK and certificate with its dates.
pub fn key_json(k: &AppKey) -> Value {
    let mut v = json!({
        "kty": "RSA",
        "created": k.created,
        "lastUpdated": k.created,
        "expiresAt": k.expires_at,
    });
    if let (Some(out), Some(jwk)) = (v.as_object_mut(), k.jwk.as_object()) {
        for (name, value) in jwk {
            out.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
    v
}

/// The host the public URL names: the subject of the certificates made here.
fn org_host(state: &AppState) -> String {
    let url = state.public_url();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', ':']).next().unwrap_or(rest).to_owned()
}

/// The keys `app_id` lists, making the org's default app key first if there is none. One
/// query once the default key exists (it is listed first, so its absence shows).
pub(crate) async fn keys_of(state: &AppState, app_id: &str) -> ApiResult<Vec<AppKey>> {
    let keys = state.store().app_keys(app_id).await?;
    if keys.first().is_some_and(|k| k.app_id.is_none()) {
        return Ok(keys);
    }
    let years = *VALIDITY_YEARS.end();
    let key = state
        .keyring()
        .new_app_key(None, org_host(state), state.clock().now(), years)
        .await
        .map_err(ApiError::internal)?;
    state.store().insert_default_app_key(&key).await?;
    Ok(state.store().app_keys(app_id).await?)
}

/// Gives an app that signs (SAML, WS-Federation) its `credentials.signing.kid`: the org's
/// default app key when the request names none; a named key must be one the app lists.
pub async fn settle_signing_key(state: &AppState, app: &mut App) -> ApiResult<()> {
    let id = app.id.to_string();
    let Some(t) = app.template.as_mut().filter(|t| t.kind.signs()) else {
        return Ok(());
    };
    let keys = keys_of(state, &id).await?;
    match &t.signing_kid {
        None => t.signing_kid = keys.first().map(|k| k.kid.clone()),
        Some(kid) if keys.iter().any(|k| &k.kid == kid) => {}
        Some(_) => {
            return Err(ApiError::invalid(
                "credentials.signing.kid",
                "The app has no key with this kid",
            ));
        }
    }
    Ok(())
}

async fn find_key(state: &AppState, app_id: &str, kid: &str) -> ApiResult<AppKey> {
    keys_of(state, app_id)
        .await?
        .into_iter()
        .find(|k| k.kid == kid)
        .ok_or_else(|| ApiError::not_found(kid, "AppInstanceKey"))
}

/// `GET /api/v1/apps/{appId}/credentials/keys`.
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &id).await?;
    let keys = keys_of(&state, app.id.as_str()).await?;
    Ok(Json(Value::Array(keys.iter().map(key_json).collect())))
}

/// `GET /api/v1/apps/{appId}/credentials/keys/{keyId}`.
pub async fn get(
    State(state): State<AppState>,
    _admin: Admin,
    Path((id, kid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &id).await?;
    Ok(Json(key_json(
        &find_key(&state, app.id.as_str(), &kid).await?,
    )))
}

/// `validityYears`.
#[derive(Debug, Default, Deserialize)]
pub struct GenerateParams {
    #[serde(rename = "validityYears")]
    validity_years: Option<String>,
}

/// `POST /api/v1/apps/{appId}/credentials/keys/generate?validityYears=N`: 201 with the key.
pub async fn generate(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaQuery(p): OktaQuery<GenerateParams>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let app = load_app(&state, &id).await?;
    let years = validity_years(p.validity_years.as_deref())?;
    let now = state.clock().now();
    let key = state
        .keyring()
        .new_app_key(Some(app.id.to_string()), org_host(&state), now, years)
        .await
        .map_err(ApiError::internal)?;
    let event = admin
        .event("app.keys.generate", "Generate app key credential", now)
        .target(Entity::app(&app))
        .debug("kid", key.kid.as_str());
    state.store().insert_app_key(&key, &[event]).await?;
    Ok((StatusCode::CREATED, Json(key_json(&key))))
}

/// `targetAid`.
#[derive(Debug, Default, Deserialize)]
pub struct CloneParams {
    #[serde(rename = "targetAid")]
    target_aid: Option<String>,
}

/// `POST /api/v1/apps/{appId}/credentials/keys/{keyId}/clone?targetAid=`: the same key (and
/// certificate) becomes one of the target app's keys; 201 with it.
pub async fn clone(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, kid)): Path<(String, String)>,
    OktaQuery(p): OktaQuery<CloneParams>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let app = load_app(&state, &id).await?;
    let Some(target_id) = p.target_aid.filter(|t| !t.trim().is_empty()) else {
        return Err(ApiError::invalid(
            "targetAid",
            "The field cannot be left blank",
        ));
    };
    let target = load_app(&state, &target_id).await?;
    let source = find_key(&state, app.id.as_str(), &kid).await?;
    if keys_of(&state, target.id.as_str())
        .await?
        .iter()
        .any(|k| k.kid == kid)
    {
        return Err(ApiError::invalid(
            "targetAid",
            "The target app already has this key",
        ));
    }
    let now = state.clock().now();
    let key = AppKey {
        app_id: Some(target.id.to_string()),
        created: now,
        ..source
    };
    let event = admin
        .event("app.keys.clone", "Clone app key credential", now)
        .target(Entity::app(&target))
        .debug("kid", key.kid.as_str());
    state.store().insert_app_key(&key, &[event]).await?;
    Ok((StatusCode::CREATED, Json(key_json(&key))))
}

/// The key credential routes.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get as get_route, post};
    axum::Router::new()
        .route("/api/v1/apps/{id}/credentials/keys", get_route(list))
        .route(
            "/api/v1/apps/{id}/credentials/keys/generate",
            post(generate),
        )
        .route("/api/v1/apps/{id}/credentials/keys/{kid}", get_route(get))
        .route(
            "/api/v1/apps/{id}/credentials/keys/{kid}/clone",
            post(clone),
        )
        .merge(super::csrs::routes())
        .merge(super::client_secrets::routes())
}
