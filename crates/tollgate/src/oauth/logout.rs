//! `GET|POST /oauth2[/{authServerId}]/v1/logout` (OpenID Connect RP-Initiated Logout): ends the
//! browser session of the user the `id_token_hint` names, then returns to a registered
//! `post_logout_redirect_uri` (with `state`) or to the sign-in page.
//!
//! Reference: OpenID Connect RP-Initiated Logout 1.0 section 2; `oauth-endpoints.md` section 5.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tollgate_core::log::Entity;
use tollgate_core::token::verify::verify;

use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::login::cookie;
use crate::login::page::{error_html, html_response};
use crate::oauth::authorize::Params;
use crate::oauth::issue::AuthServer;
use crate::state::AppState;

/// `GET|POST /oauth2/v1/logout`.
pub async fn logout_org(
    State(state): State<AppState>,
    audit: Anonymous,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    logout(&state, &audit, None, &method, &uri, &headers, &body).await
}

/// `GET|POST /oauth2/{authServerId}/v1/logout`.
pub async fn logout_custom(
    State(state): State<AppState>,
    audit: Anonymous,
    Path(server_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    logout(
        &state,
        &audit,
        Some(&server_id),
        &method,
        &uri,
        &headers,
        &body,
    )
    .await
}

fn bad_request(description: &str) -> Response {
    html_response(
        StatusCode::BAD_REQUEST,
        error_html("invalid_request", description),
    )
}

async fn logout(
    state: &AppState,
    audit: &Anonymous,
    server_id: Option<&str>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let server = AuthServer::load(state, server_id).await?;
    let text = if method == Method::POST {
        String::from_utf8_lossy(body).into_owned()
    } else {
        uri.query().unwrap_or_default().to_owned()
    };
    let params = Params::parse(&text);
    let post_logout = params.get("post_logout_redirect_uri");
    let hint = match params.get("id_token_hint") {
        Some(h) => {
            let keys = state
                .keyring()
                .key_set(&server.id)
                .await
                .map_err(ApiError::internal)?;
            // An expired hint is fine: it only names who is signing out.
            match verify(h, keys.public_keys()) {
                Ok(claims)
                    if claims.get("iss").and_then(Value::as_str)
                        == Some(server.issuer.as_str()) =>
                {
                    Some(claims)
                }
                _ => return Ok(bad_request("The 'id_token_hint' parameter is not valid.")),
            }
        }
        None if post_logout.is_some() => {
            return Ok(bad_request(
                "The 'id_token_hint' parameter is required when 'post_logout_redirect_uri' is given.",
            ));
        }
        None => None,
    };
    let target = match (post_logout, &hint) {
        (Some(uri), Some(claims)) => {
            let client_id = claims
                .get("aud")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let app = state.store().find_app_by_client_id(client_id).await?;
            if !app.is_some_and(|a| a.settings.allows_post_logout_redirect(uri)) {
                return Ok(bad_request(
                    "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings",
                ));
            }
            let mut target = url::Url::parse(uri).map_err(ApiError::internal)?;
            if let Some(s) = params.get("state") {
                target.query_pairs_mut().append_pair("state", s);
            }
            target.to_string()
        }
        _ => "/login".to_owned(),
    };

    let mut response = StatusCode::FOUND.into_response();
    if let Some(session) = cookie::current(state, headers).await? {
        let sub = hint
            .as_ref()
            .and_then(|c| c.get("sub"))
            .and_then(Value::as_str);
        if sub.is_none_or(|s| s == session.user_id.as_str()) {
            let mut event =
                crate::api::sessions::end_event(&audit.0, &session, state.clock().now());
            if let Some(user) = state.store().find_user(session.user_id.as_str()).await? {
                event.actor = Entity::user(&user);
            }
            state.store().delete_session(&session.id, &[event]).await?;
            if let Some(c) = cookie::set(state, cookie::NAME, "", 0) {
                response.headers_mut().insert(SET_COOKIE, c);
            }
        }
    }
    if let Ok(v) = HeaderValue::from_str(&target) {
        response.headers_mut().insert(LOCATION, v);
    }
    Ok(response)
}
