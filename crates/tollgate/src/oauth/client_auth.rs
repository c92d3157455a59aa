//! Client authentication for `/token`, `/introspect` and `/revoke`: `client_secret_basic`,
//! `client_secret_post` and `none`, each accepted only when it is the method the app
//! registered. Failures answer Okta's words with HTTP 401 (400 for a malformed request).
//!
//! Reference: RFC 6749 section 2.3; `oauth-endpoints.md` section 4.1.

use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode, Uri};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tollgate_core::app::vocab::AuthMethod;
use tollgate_core::app::{App, AppStatus};

use crate::oauth::authorize::Params;
use crate::oauth::error::OAuthCode;
use crate::oauth::issue::Refusal;
use crate::state::AppState;

/// Okta's words for every failed authentication of a known request shape.
pub const AUTH_FAILED: &str =
    "Client authentication failed. Either the client or the client credentials are invalid.";

/// The credentials a request presented.
struct Presented {
    client_id: String,
    secret: Option<String>,
    method: AuthMethod,
}

fn form_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn presented(headers: &HeaderMap, uri: &Uri, params: &Params) -> Result<Presented, Refusal> {
    let in_query = uri.query().is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .any(|(k, _)| k == "client_secret" || k == "client_assertion")
    });
    let basic = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        });
    if in_query || (basic.is_some() && params.get("client_secret").is_some()) {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "Client credentials cannot be supplied via query parameters.",
        ));
    }
    if let Some(encoded) = basic {
        let malformed = || {
            Refusal::new(
                OAuthCode::InvalidClient,
                "Found Authentication header but was not valid client credentials.",
            )
        };
        let decoded = STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(malformed)?;
        let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
        // RFC 6749 2.3.1: both parts are form-urlencoded before they are joined.
        return Ok(Presented {
            client_id: form_decode(id),
            secret: Some(form_decode(secret)),
            method: AuthMethod::ClientSecretBasic,
        });
    }
    match (params.get("client_id"), params.get("client_secret")) {
        (Some(id), Some(secret)) => Ok(Presented {
            client_id: id.to_owned(),
            secret: Some(secret.to_owned()),
            method: AuthMethod::ClientSecretPost,
        }),
        (Some(id), None) => Ok(Presented {
            client_id: id.to_owned(),
            secret: None,
            method: AuthMethod::None,
        }),
        (None, _) => Err(Refusal::new(
            OAuthCode::InvalidClient,
            "No client credentials found.",
        )),
    }
}

/// The app that authenticated this request.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    params: &Params,
) -> Result<App, Refusal> {
    let p = presented(headers, uri, params)?;
    let failed = |why: String| {
        Refusal::new(OAuthCode::InvalidClient, AUTH_FAILED)
            .because(why)
            .with_status(StatusCode::UNAUTHORIZED)
    };
    let Some(app) = state.caches().app_by_client_id(&p.client_id).await? else {
        return Err(failed(format!("no app has client_id {}", p.client_id)));
    };
    if app.status != AppStatus::Active {
        return Err(failed(format!("app {} is not active", app.id)));
    }
    let registered = app.credentials.auth_method;
    if registered != p.method {
        return Err(failed(format!(
            "the client authenticated with {} but is registered for {}",
            p.method.as_str(),
            registered.as_str()
        )));
    }
    if let Some(secret) = &p.secret
        && !app.credentials.verify_secret(secret)
    {
        return Err(failed("wrong client secret".to_owned()));
    }
    Ok(App::clone(&app))
}
