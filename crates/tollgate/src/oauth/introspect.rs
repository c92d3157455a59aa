//! `POST /oauth2[/{authServerId}]/v1/introspect` (RFC 7662), behind client authentication.
//! Introspection always answers 200 once the client is authenticated: anything not live is
//! `{"active": false}`, a refresh token is described only to its own client, and the tokens
//! of a user who is no longer active are inactive.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tollgate_core::app::App;
use tollgate_core::oauth::error::invalid_request;
use tollgate_core::oauth::refresh::leeway_millis;

use crate::http::oauth_form::{FormRejection, OAuthForm, no_store};
use crate::oauth::client_auth::authenticate;
use crate::oauth::error::Refusal;
use crate::oauth::inspect::{Inspected, inspect};
use crate::oauth::server::{AuthServer, ServerId};
use crate::state::AppState;

/// `POST /oauth2/v1/introspect` and `/oauth2/{authServerId}/v1/introspect`.
pub async fn introspect_token(
    State(state): State<AppState>,
    ServerId(server_id): ServerId,
    form: Result<OAuthForm, FormRejection>,
) -> Result<Response, Refusal> {
    introspect(&state, server_id.as_deref(), form?).await
}

/// The `token` parameter of introspection and revocation.
pub fn token_param(form: &OAuthForm) -> Result<String, Refusal> {
    form.params
        .get("token")
        .map(str::to_owned)
        .ok_or_else(|| invalid_request("The 'token' parameter is required.").into())
}

/// The leeway of `app`'s rotated refresh tokens, seconds.
pub fn leeway_secs(app: &App) -> i64 {
    leeway_millis(app.settings.refresh_token) / 1000
}

async fn introspect(
    state: &AppState,
    server_id: Option<&str>,
    form: OAuthForm,
) -> Result<Response, Refusal> {
    let server = AuthServer::load(state, server_id).await?;
    form.reject_duplicates()?;
    let app = authenticate(state, &form).await?;
    let token = token_param(&form)?;
    let found = inspect(state, &server, &token, leeway_secs(&app)).await?;
    let body = describe(state, found, &app).await?;
    let mut r = (StatusCode::OK, axum::Json(Value::Object(body))).into_response();
    no_store(&mut r);
    Ok(r)
}

async fn describe(
    state: &AppState,
    found: Option<Inspected>,
    app: &App,
) -> Result<Map<String, Value>, Refusal> {
    let mut out = Map::new();
    let inactive = || {
        let mut m = Map::new();
        m.insert("active".into(), json!(false));
        m
    };
    let Some(found) = found.filter(Inspected::live) else {
        return Ok(inactive());
    };
    match found {
        Inspected::Jwt { claims, jti, .. } => {
            // A user who is no longer active makes their tokens inactive.
            if let Some(uid) = claims.get("uid").and_then(Value::as_str) {
                let active = state
                    .store()
                    .find_user(uid)
                    .await?
                    .is_some_and(|u| u.status == tollgate_core::directory::UserStatus::Active);
                if !active {
                    return Ok(inactive());
                }
            }
            return Ok(jwt_description(claims, &jti));
        }
        Inspected::Refresh { token, .. } => {
            if token.grant.client_id != app.credentials.client_id {
                return Ok(inactive());
            }
            out.insert("active".into(), json!(true));
            out.insert("token_type".into(), json!("Bearer"));
            out.insert("scope".into(), json!(token.grant.scopes.join(" ")));
            out.insert("client_id".into(), json!(token.grant.client_id));
            if let Some(uid) = &token.grant.user_id
                && let Some(u) = state.store().find_user(uid).await?
            {
                out.insert("username".into(), json!(u.login()));
                out.insert("sub".into(), json!(u.login()));
                out.insert("uid".into(), json!(uid));
            }
            out.insert(
                "exp".into(),
                // The sooner of the absolute and the idle expiry: when it stops working unless used.
                json!(
                    token
                        .expires_at
                        .min(token.idle_expires_at)
                        .millis()
                        .div_euclid(1000)
                ),
            );
        }
    }
    Ok(out)
}

/// What introspection says of a live JWT (RFC 7662 2.2): `scope` as a string, `username` and
/// `token_type` for access tokens, `client_id`, then the token's own claims.
fn jwt_description(mut claims: Map<String, Value>, jti: &str) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("active".into(), json!(true));
    if let Some(scp) = claims.remove("scp") {
        let scopes: Vec<&str> = scp
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        out.insert("scope".into(), json!(scopes.join(" ")));
    }
    if jti.starts_with("AT.") {
        if let Some(sub) = claims.get("sub").filter(|_| claims.contains_key("uid")) {
            out.insert("username".into(), sub.clone());
        }
        out.insert("token_type".into(), json!("Bearer"));
    }
    if let Some(cid) = claims.remove("cid") {
        out.insert("client_id".into(), cid);
    } else if let Some(aud) = claims.get("aud") {
        out.insert("client_id".into(), aud.clone());
    }
    for (k, v) in claims {
        out.entry(k).or_insert(v);
    }
    out
}
