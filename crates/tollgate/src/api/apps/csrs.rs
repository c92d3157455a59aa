//! Certificate signing requests of an app: `/api/v1/apps/{appId}/credentials/csrs` (create,
//! list, get, revoke) and `.../{csrId}/lifecycle/publish`, which takes the certificate a CA
//! issued for the request (PEM, base64 DER or DER) and makes its key one of the app's keys.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use tollgate_core::app::key_credentials::CsrSubject;
use tollgate_core::log::Entity;
use tollgate_core::token::keys::PublicJwk;
use tollgate_store::app_keys::{AppCsr, AppKey};

use super::keys::key_json;
use super::load_app;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult};
use crate::keys::app_keys::{app_jwk, certificate_key};
use crate::state::AppState;

fn csr_json(state: &AppState, c: &AppCsr) -> Value {
    let path = format!("/api/v1/apps/{}/credentials/csrs/{}", c.app_id, c.id);
    json!({
        "id": c.id,
        "created": c.created,
        "csr": c.csr,
        "kty": "RSA",
        "_links": {
            "publish": {"href": state.link(&format!("{path}/lifecycle/publish")), "hints": {"allow": ["POST"]}},
            "self": {"href": state.link(&path), "hints": {"allow": ["GET", "DELETE"]}},
        },
    })
}

async fn find_csr(state: &AppState, app_id: &str, csr_id: &str) -> ApiResult<AppCsr> {
    state
        .store()
        .find_app_csr(app_id, csr_id)
        .await?
        .ok_or_else(|| ApiError::not_found(csr_id, "CSR"))
}

/// `POST /api/v1/apps/{appId}/credentials/csrs`: 201 with the request (base64 DER).
pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<Value>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let app = load_app(&state, &id).await?;
    let subject = CsrSubject::parse(&body)?;
    let made = state
        .keyring()
        .new_app_csr(subject)
        .await
        .map_err(ApiError::internal)?;
    let now = state.clock().now();
    let csr = AppCsr {
        id: made.jwk.kid.clone(),
        app_id: app.id.to_string(),
        csr: STANDARD.encode(&made.der),
        jwk: made.jwk.to_json(),
        sealed: made.sealed,
        created: now,
    };
    let event = admin
        .event(
            "app.csr.generate",
            "Generate certificate signing request",
            now,
        )
        .target(Entity::app(&app));
    state.store().insert_app_csr(&csr, &[event]).await?;
    Ok((StatusCode::CREATED, Json(csr_json(&state, &csr))))
}

/// `GET /api/v1/apps/{appId}/credentials/csrs`.
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &id).await?;
    let csrs = state.store().app_csrs(app.id.as_str()).await?;
    Ok(Json(Value::Array(
        csrs.iter().map(|c| csr_json(&state, c)).collect(),
    )))
}

/// `GET /api/v1/apps/{appId}/credentials/csrs/{csrId}`.
pub async fn get(
    State(state): State<AppState>,
    _admin: Admin,
    Path((id, csr_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &id).await?;
    Ok(Json(csr_json(
        &state,
        &find_csr(&state, app.id.as_str(), &csr_id).await?,
    )))
}

/// `DELETE /api/v1/apps/{appId}/credentials/csrs/{csrId}`: 204.
pub async fn revoke(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, csr_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let app = load_app(&state, &id).await?;
    let event = admin
        .event(
            "app.csr.revoke",
            "Revoke certificate signing request",
            state.clock().now(),
        )
        .target(Entity::app(&app));
    if state
        .store()
        .delete_app_csr(app.id.as_str(), &csr_id, &[event])
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(&csr_id, "CSR"))
    }
}

/// The certificate in a publish body: PEM (`application/x-pem-file`), DER
/// (`application/pkix-cert`) or base64 DER (`application/x-x509-ca-cert`, and anything else).
fn certificate_der(headers: &HeaderMap, body: &[u8]) -> Option<Vec<u8>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if body.starts_with(b"-----BEGIN") {
        let (_, pem) = x509_parser::pem::parse_x509_pem(body).ok()?;
        return Some(pem.contents);
    }
    if content_type.starts_with("application/pkix-cert") {
        return Some(body.to_vec());
    }
    let text: String = std::str::from_utf8(body).ok()?.split_whitespace().collect();
    STANDARD.decode(text).ok()
}

/// `POST /api/v1/apps/{appId}/credentials/csrs/{csrId}/lifecycle/publish`: 201 with the key.
pub async fn publish(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, csr_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let app = load_app(&state, &id).await?;
    let csr = find_csr(&state, app.id.as_str(), &csr_id).await?;
    let unreadable = || ApiError::invalid("certificate", "The certificate could not be read");
    let der = certificate_der(&headers, &body).ok_or_else(unreadable)?;
    let (jwk, expires_at) = certificate_key(&der).ok_or_else(unreadable)?;
    let requested = PublicJwk::from_json(&csr.jwk).map(|j| j.kid);
    if requested.as_deref() != Some(jwk.kid.as_str()) {
        return Err(ApiError::invalid(
            "certificate",
            "The certificate's public key does not match the CSR",
        ));
    }
    let now = state.clock().now();
    let key = AppKey {
        app_id: Some(app.id.to_string()),
        kid: jwk.kid.clone(),
        jwk: app_jwk(&jwk, &der),
        sealed: csr.sealed,
        created: now,
        expires_at,
    };
    let event = admin
        .event(
            "app.csr.publish",
            "Publish certificate signing request",
            now,
        )
        .target(Entity::app(&app))
        .debug("kid", key.kid.as_str());
    if !state
        .store()
        .publish_app_csr(&csr_id, &key, &[event])
        .await?
    {
        return Err(ApiError::not_found(&csr_id, "CSR"));
    }
    Ok((StatusCode::CREATED, Json(key_json(&key))))
}

/// The CSR routes.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get as get_route, post};
    axum::Router::new()
        .route("/api/v1/apps/{id}/credentials/csrs", post(create).get(list))
        .route(
            "/api/v1/apps/{id}/credentials/csrs/{csr_id}",
            get_route(get).delete(revoke),
        )
        .route(
            "/api/v1/apps/{id}/credentials/csrs/{csr_id}/lifecycle/publish",
            post(publish),
        )
}
