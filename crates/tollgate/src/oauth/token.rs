//! `POST /oauth2/v1/token` and `POST /oauth2/{authServerId}/v1/token`: authenticate the client,
//! let core validate the request into a grant, run that grant (one file each under
//! [`crate::oauth::grant`]), answer with the tokens, and write the System Log.
//!
//! Reference: RFC 6749 sections 4.1.3, 4.3, 4.4, 5 and 6; RFC 7636 section 4.6; OpenID Connect
//! Core 3.1.3; `oauth-endpoints.md` section 4.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tollgate_core::app::App;
use tollgate_core::log::{Entity, LogEvent, Result as Outcome};
use tollgate_core::oauth::token_request::{self, TokenRequest};

use crate::http::audit::Anonymous;
use crate::http::oauth_form::{FormRejection, OAuthForm, no_store};
use crate::oauth::client_auth::authenticate;
use crate::oauth::error::{OAuthCode, Refusal};
use crate::oauth::grant::{self, Issued};
use crate::oauth::server::{AuthServer, ServerId};
use crate::state::AppState;

/// `POST /oauth2/v1/token` and `/oauth2/{authServerId}/v1/token`.
pub async fn request_token(
    State(state): State<AppState>,
    audit: Anonymous,
    ServerId(server_id): ServerId,
    form: Result<OAuthForm, FormRejection>,
) -> Response {
    token(&state, &audit, server_id.as_deref(), form).await
}

async fn token(
    state: &AppState,
    audit: &Anonymous,
    server_id: Option<&str>,
    form: Result<OAuthForm, FormRejection>,
) -> Response {
    let server = match AuthServer::load(state, server_id).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let mut app_seen = None;
    match run(state, audit, &server, form, &mut app_seen).await {
        Ok(body) => {
            let mut resp = (StatusCode::OK, axum::Json(Value::Object(body))).into_response();
            no_store(&mut resp);
            resp
        }
        Err(refusal) => {
            let event = failure_event(state, audit, &server, app_seen.as_ref(), &refusal);
            state.events().record(vec![event]).await;
            refusal.into_response()
        }
    }
}

/// Authenticates the client, validates the request and runs its grant.
async fn run(
    state: &AppState,
    audit: &Anonymous,
    server: &AuthServer,
    form: Result<OAuthForm, FormRejection>,
    app_seen: &mut Option<App>,
) -> Result<Map<String, Value>, Refusal> {
    let form = form?;
    form.reject_duplicates()?;
    let app = authenticate(state, &form).await?;
    *app_seen = Some(app.clone());
    let request = token_request::validate(&form.params, &app, server.view())?;
    let grant_type = request.grant_type();
    let issued = match request {
        TokenRequest::AuthorizationCode {
            code,
            redirect_uri,
            code_verifier,
        } => {
            let exchange = grant::authorization_code::Exchange {
                code: &code,
                redirect_uri: redirect_uri.as_deref(),
                code_verifier: code_verifier.as_deref(),
            };
            grant::authorization_code::issue(state, server, &app, exchange).await?
        }
        TokenRequest::RefreshToken {
            refresh_token,
            scopes,
        } => {
            grant::refresh_token::issue(
                state,
                audit,
                server,
                &app,
                &refresh_token,
                scopes.as_deref(),
            )
            .await?
        }
        TokenRequest::Password {
            username,
            password,
            scopes,
        } => {
            grant::password::issue(state, audit, server, &app, (&username, password), &scopes)
                .await?
        }
        TokenRequest::ClientCredentials { scopes } => {
            grant::client_credentials::issue(state, server, &app, &scopes).await?
        }
    };
    let success = SuccessEvents {
        audit,
        server,
        app: &app,
        grant_type: grant_type.as_str(),
        now: state.clock().now(),
    };
    crate::telemetry::record::tokens_issued(
        &server.id,
        grant_type.as_str(),
        [
            issued.minted.access_token.is_some(),
            issued.minted.id_token.is_some(),
            issued.refresh_token.is_some(),
        ],
    );
    let (body, events) = success.answer(issued);
    state.events().record(events).await;
    Ok(body)
}

/// The System Log events of a successful token request.
struct SuccessEvents<'a> {
    audit: &'a Anonymous,
    server: &'a AuthServer,
    app: &'a App,
    grant_type: &'static str,
    now: tollgate_core::Timestamp,
}

impl SuccessEvents<'_> {
    fn event(&self, actor: &Entity, issued: &Issued, suffix: &str, message: &str) -> LogEvent {
        let prefix = self.server.event_prefix();
        let mut e = self
            .audit
            .event(
                actor.clone(),
                &format!("{prefix}.token.grant{suffix}"),
                message,
                self.now,
            )
            .target(Entity::app(self.app))
            .outcome(Outcome::Success, None)
            .debug("requestUri", format!("{}/token", self.server.base_path))
            .debug("grantType", self.grant_type);
        e.client.client_id = Some(self.app.credentials.client_id.clone());
        issued.decision.debug(e)
    }

    /// The response body and the events.
    fn answer(&self, issued: Issued) -> (Map<String, Value>, Vec<LogEvent>) {
        let actor = issued
            .person
            .as_ref()
            .map_or_else(|| Entity::client(self.app), |p| Entity::user(&p.user));
        let mut events =
            vec![
                issued
                    .minted
                    .explain(self.event(&actor, &issued, "", "OAuth2 token request")),
            ];
        let mut out = Map::new();
        out.insert("token_type".into(), json!("Bearer"));
        out.insert("expires_in".into(), json!(issued.minted.expires_in));
        if let Some(at) = &issued.minted.access_token {
            out.insert("access_token".into(), json!(at));
            events.push(self.event(
                &actor,
                &issued,
                ".access_token",
                "OAuth2 access token is granted",
            ));
        }
        out.insert("scope".into(), json!(issued.decision.scope_string()));
        if let Some(rt) = &issued.refresh_token {
            out.insert("refresh_token".into(), json!(rt));
            events.push(self.event(
                &actor,
                &issued,
                ".refresh_token",
                "OAuth2 refresh token is granted",
            ));
        }
        if let Some(id) = &issued.minted.id_token {
            out.insert("id_token".into(), json!(id));
            events.push(self.event(&actor, &issued, ".id_token", "OAuth2 ID token is granted"));
        }
        (out, events)
    }
}

/// The System Log event of a refused token request.
fn failure_event(
    state: &AppState,
    audit: &Anonymous,
    server: &AuthServer,
    app: Option<&App>,
    refusal: &Refusal,
) -> LogEvent {
    let code = refusal.error.code;
    let event_type = if code == OAuthCode::InvalidClient {
        "app.oauth2.invalid_client_credentials".to_owned()
    } else {
        format!("{}.token.grant", server.event_prefix())
    };
    let actor = app.map_or_else(
        || Entity::id_only("unknown", "PublicClientApp"),
        Entity::client,
    );
    let outcome = if code == OAuthCode::AccessDenied {
        Outcome::Deny
    } else {
        Outcome::Failure
    };
    let mut event = audit
        .event(
            actor,
            &event_type,
            "OAuth2 token request",
            state.clock().now(),
        )
        .outcome(outcome, Some(refusal.reason().to_owned()))
        .debug("requestUri", format!("{}/token", server.base_path))
        .debug("error", code.as_str());
    if let Some(app) = app {
        event = event.target(Entity::app(app));
        event.client.client_id = Some(app.credentials.client_id.clone());
    }
    event
}
