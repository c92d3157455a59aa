//! `POST /oauth2[/{authServerId}]/v1/revoke` (RFC 7009), behind client authentication. Always
//! 200 once the client is authenticated, and only the client's own tokens are revoked: an
//! access token by its `jti`, a refresh token with its whole grant family.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tollgate_core::log::{Entity, Result as Outcome};

use crate::http::audit::Anonymous;
use crate::http::oauth_form::{FormRejection, OAuthForm, no_store};
use crate::oauth::client_auth::authenticate;
use crate::oauth::error::Refusal;
use crate::oauth::inspect::{Inspected, inspect};
use crate::oauth::introspect::{leeway_secs, token_param};
use crate::oauth::server::{AuthServer, ServerId};
use crate::state::AppState;

/// `POST /oauth2/v1/revoke` and `/oauth2/{authServerId}/v1/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    audit: Anonymous,
    ServerId(server_id): ServerId,
    form: Result<OAuthForm, FormRejection>,
) -> Result<Response, Refusal> {
    revoke(&state, &audit, server_id.as_deref(), form?).await
}

async fn revoke(
    state: &AppState,
    audit: &Anonymous,
    server_id: Option<&str>,
    form: OAuthForm,
) -> Result<Response, Refusal> {
    let server = AuthServer::load(state, server_id).await?;
    form.reject_duplicates()?;
    let app = authenticate(state, &form).await?;
    let token = token_param(&form)?;
    let now = state.clock().now();
    let found = inspect(state, &server, &token, leeway_secs(&app)).await?;
    let own = found
        .as_ref()
        .is_some_and(|f| f.client_id() == Some(app.credentials.client_id.as_str()));
    let kind = match found {
        Some(Inspected::Jwt {
            jti, expires_at, ..
        }) if own && jti.starts_with("AT.") => {
            state
                .store()
                .revoke_access_token(&jti, expires_at, now)
                .await?;
            Some("access token")
        }
        Some(Inspected::Refresh { token, .. }) if own => {
            // The refresh token's whole grant goes: its access tokens too (our choice).
            state.store().revoke_grant(&token.grant.id, now).await?;
            Some("refresh token")
        }
        _ => None,
    };
    if let Some(kind) = kind {
        let mut e = audit
            .event(
                Entity::client(&app),
                &format!("{}.token.revoke", server.event_prefix()),
                "OAuth2 token revocation request",
                now,
            )
            .target(Entity::app(&app))
            .outcome(Outcome::Success, None)
            .debug("tokenType", kind);
        e.client.client_id = Some(app.credentials.client_id.clone());
        state.events().record(vec![e]).await;
    }
    let mut r = StatusCode::OK.into_response();
    no_store(&mut r);
    Ok(r)
}
