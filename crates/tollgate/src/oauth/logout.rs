//! `GET|POST /oauth2[/{authServerId}]/v1/logout` (OpenID Connect RP-Initiated Logout): ends the
//! browser session of the user the `id_token_hint` names, then returns to a registered
//! `post_logout_redirect_uri` (with `state`) or to the sign-in page.
//!
//! Reference: OpenID Connect RP-Initiated Logout 1.0 section 2; `oauth-endpoints.md` section 5.

use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tollgate_core::log::Entity;
use tollgate_core::oauth::error::invalid_request;
use tollgate_core::token::verify::verify;

use crate::http::audit::Anonymous;
use crate::http::oauth_form::{FormRejection, OAuthForm};
use crate::login::cookie;
use crate::oauth::error::Refusal;
use crate::oauth::server::{AuthServer, ServerId};
use crate::state::AppState;

/// `GET|POST /oauth2/v1/logout` and `/oauth2/{authServerId}/v1/logout`.
pub async fn end_session(
    State(state): State<AppState>,
    audit: Anonymous,
    ServerId(server_id): ServerId,
    headers: HeaderMap,
    form: Result<OAuthForm, FormRejection>,
) -> Result<Response, Refusal> {
    logout(&state, &audit, server_id.as_deref(), &headers, form?).await
}

async fn logout(
    state: &AppState,
    audit: &Anonymous,
    server_id: Option<&str>,
    headers: &HeaderMap,
    form: OAuthForm,
) -> Result<Response, Refusal> {
    let server = AuthServer::load(state, server_id).await?;
    let bad_request = |description: &str| Refusal::page(invalid_request(description), headers);
    let params = form.params;
    let post_logout = params.get("post_logout_redirect_uri");
    let claims = match params.get("id_token_hint") {
        Some(h) => {
            let keys = state
                .keyring()
                .key_set(&server.id)
                .await
                .map_err(Refusal::internal)?;
            // An expired hint is fine: it only names who is signing out.
            match verify(h, keys.public_keys()) {
                Ok(claims)
                    if claims.get("iss").and_then(Value::as_str)
                        == Some(server.issuer.as_str()) =>
                {
                    claims
                }
                _ => return Err(bad_request("The 'id_token_hint' parameter is not valid.")),
            }
        }
        // Okta requires the hint: without it a link on any site could sign users out.
        None => return Err(bad_request("The 'id_token_hint' parameter is required.")),
    };
    let target = match post_logout {
        Some(uri) => {
            let client_id = claims
                .get("aud")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let app = state.store().find_app_by_client_id(client_id).await?;
            if !app.is_some_and(|a| a.settings.allows_post_logout_redirect(uri)) {
                return Err(bad_request(
                    "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings",
                ));
            }
            let mut target = url::Url::parse(uri).map_err(Refusal::internal)?;
            if let Some(s) = params.get("state") {
                target.query_pairs_mut().append_pair("state", s);
            }
            target.to_string()
        }
        None => "/login".to_owned(),
    };

    let mut response = StatusCode::FOUND.into_response();
    if let Some(session) = cookie::current(state, headers).await? {
        // Only the session of the user the hint names ends.
        let sub = claims.get("sub").and_then(Value::as_str);
        if sub == Some(session.user_id.as_str()) {
            let mut event = audit.0.session_end(&session, state.clock().now());
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
