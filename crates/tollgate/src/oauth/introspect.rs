//! `POST /oauth2[/{authServerId}]/v1/introspect` (RFC 7662) and `.../revoke` (RFC 7009), both
//! behind client authentication. Introspection always answers 200: anything not live is
//! `{"active": false}`. Revocation always answers 200 once the client is authenticated, and
//! revokes only the client's own tokens.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tollgate_core::log::{Entity, Result as Outcome};

use crate::http::audit::Anonymous;
use crate::oauth::client_auth::authenticate;
use crate::oauth::error::OAuthCode;
use crate::oauth::inspect::{Inspected, inspect};
use crate::oauth::issue::{AuthServer, Refusal};
use crate::oauth::token::{form_params, json_error, no_store};
use crate::state::AppState;

/// `POST /oauth2/v1/introspect`.
pub async fn introspect_org(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    introspect(&state, None, &uri, &headers, &body).await
}

/// `POST /oauth2/{authServerId}/v1/introspect`.
pub async fn introspect_custom(
    State(state): State<AppState>,
    Path(server_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    introspect(&state, Some(&server_id), &uri, &headers, &body).await
}

/// `POST /oauth2/v1/revoke`.
pub async fn revoke_org(
    State(state): State<AppState>,
    audit: Anonymous,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    revoke(&state, &audit, None, &uri, &headers, &body).await
}

/// `POST /oauth2/{authServerId}/v1/revoke`.
pub async fn revoke_custom(
    State(state): State<AppState>,
    audit: Anonymous,
    Path(server_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    revoke(&state, &audit, Some(&server_id), &uri, &headers, &body).await
}

fn token_param(params: &crate::oauth::authorize::Params) -> Result<String, Refusal> {
    params.get("token").map(str::to_owned).ok_or_else(|| {
        Refusal::new(
            OAuthCode::InvalidRequest,
            "The 'token' parameter is required.",
        )
    })
}

fn leeway(app: &tollgate_core::app::App) -> i64 {
    app.settings
        .refresh_token
        .as_ref()
        .map_or(0, |s| i64::from(s.leeway))
}

async fn introspect(
    state: &AppState,
    server_id: Option<&str>,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    let server = match AuthServer::load(state, server_id).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let answer = async {
        let params = form_params(headers, body)?;
        let app = authenticate(state, headers, uri, &params).await?;
        let token = token_param(&params)?;
        let found = inspect(state, &server, &token, leeway(&app)).await?;
        describe(state, found, &app).await
    }
    .await;
    match answer {
        Ok(body) => {
            let mut r = (StatusCode::OK, axum::Json(Value::Object(body))).into_response();
            no_store(&mut r);
            r
        }
        Err(refusal) => json_error(&refusal),
    }
}

async fn describe(
    state: &AppState,
    found: Option<Inspected>,
    app: &tollgate_core::app::App,
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
        Inspected::Jwt {
            mut claims, jti, ..
        } => {
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

async fn revoke(
    state: &AppState,
    audit: &Anonymous,
    server_id: Option<&str>,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    let server = match AuthServer::load(state, server_id).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let answer = async {
        let params = form_params(headers, body)?;
        let app = authenticate(state, headers, uri, &params).await?;
        let token = token_param(&params)?;
        let now = state.clock().now();
        let found = inspect(state, &server, &token, leeway(&app)).await?;
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
        Ok::<_, Refusal>(())
    }
    .await;
    match answer {
        Ok(()) => {
            let mut r = StatusCode::OK.into_response();
            no_store(&mut r);
            r
        }
        Err(refusal) => json_error(&refusal),
    }
}
