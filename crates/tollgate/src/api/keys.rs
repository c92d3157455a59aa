//! `GET /api/v1/authorizationServers/{authServerId}/credentials/keys`,
//! `GET …/credentials/keys/{kid}` and `POST …/credentials/lifecycle/keyRotate`.
//!
//! Okta reference: Authorization Servers API, credentials; Tollgate reference
//! `management-api.md` section 5.2.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::log::Entity;
use tollgate_core::server::AuthServer;
use tollgate_store::StoredKey;

use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

/// A key in the management API's shape (Okta's member order).
fn key_json(state: &AppState, server_id: &str, k: &StoredKey) -> Value {
    let href = state.link(&format!(
        "/api/v1/authorizationServers/{server_id}/credentials/keys/{}",
        k.jwk.kid
    ));
    json!({
        "kty": "RSA",
        "status": k.status.as_str(),
        "alg": "RS256",
        "kid": k.jwk.kid,
        "use": "sig",
        "_links": {"self": {"href": href, "hints": {"allow": ["GET"]}}},
        "e": k.jwk.e,
        "n": k.jwk.n,
    })
}

/// The server, or Okta's 404.
pub(crate) async fn find_server(state: &AppState, id: &str) -> ApiResult<AuthServer> {
    state
        .store()
        .find_auth_server(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "AuthorizationServer"))
}

/// The keys of an existing server, made on first use.
pub async fn server_keys(state: &AppState, id: &str) -> ApiResult<Vec<StoredKey>> {
    state
        .keyring()
        .key_set(id)
        .await
        .map_err(ApiError::internal)?;
    Ok(state.store().keys(id).await?)
}

/// `GET /api/v1/authorizationServers/{id}/credentials/keys`.
pub async fn list_keys(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let server = find_server(&state, &id).await?;
    let keys = server_keys(&state, server.id.as_str()).await?;
    Ok(Json(Value::Array(
        keys.iter().map(|k| key_json(&state, &id, k)).collect(),
    )))
}

/// `GET /api/v1/authorizationServers/{id}/credentials/keys/{kid}`.
pub async fn get_key(
    State(state): State<AppState>,
    _admin: Admin,
    Path((id, kid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let server = find_server(&state, &id).await?;
    let keys = server_keys(&state, server.id.as_str()).await?;
    keys.iter()
        .find(|k| k.jwk.kid == kid)
        .map(|k| Json(key_json(&state, &id, k)))
        .ok_or_else(|| ApiError::not_found(&kid, "JsonWebKey"))
}

/// `{"use": "sig"}`.
#[derive(Debug, Deserialize)]
pub struct RotateBody {
    #[serde(default, rename = "use")]
    key_use: Option<Value>,
}

/// `POST /api/v1/authorizationServers/{id}/credentials/lifecycle/keyRotate`: the next key
/// signs from now on and a fresh next key is made; answers the keys.
pub async fn rotate_keys(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<RotateBody>,
) -> ApiResult<Json<Value>> {
    if body.key_use.as_ref().and_then(Value::as_str) != Some("sig") {
        let mut e = ApiError::with_summary(OktaCode::E0000001, "Api validation failed: rotateKeys");
        e.causes
            .push("Invalid value specified for key 'use' parameter.".to_owned());
        return Err(e);
    }
    let keys = rotate(&state, &admin.audit, &id).await?;
    Ok(Json(Value::Array(
        keys.iter().map(|k| key_json(&state, &id, k)).collect(),
    )))
}

/// Rotates server `id`'s signing keys, as the admin of `audit`; the keys after.
pub async fn rotate(state: &AppState, audit: &Audit, id: &str) -> ApiResult<Vec<StoredKey>> {
    let server = find_server(state, id).await?;
    let event = audit
        .event(
            "app.oauth2.as.key.rollover",
            "Rotate authorization server signing keys",
            state.clock().now(),
        )
        .target(Entity::new(
            server.id.as_str(),
            "AuthorizationServer",
            server.name.clone(),
            server.name.clone(),
        ));
    state
        .keyring()
        .rotate(server.id.as_str(), &[event])
        .await
        .map_err(ApiError::internal)
}
