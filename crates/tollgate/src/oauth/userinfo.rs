//! `GET|POST /oauth2[/{authServerId}]/v1/userinfo`: the claims of the user an access token of
//! this server was issued for, for the scopes it carries (OpenID Connect Core 5.3). Bearer
//! errors as RFC 6750 gives them.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tollgate_core::directory::UserStatus;
use tollgate_core::oauth::params::Params;

use crate::http::oauth_form::no_store;
use crate::oauth::decide::Person;
use crate::oauth::error::{Delivery, OAuthCode, Refusal};
use crate::oauth::inspect::{Inspected, inspect};
use crate::oauth::mint::userinfo_claims;
use crate::oauth::server::{AuthServer, ServerId};
use crate::state::AppState;

const INVALID: &str = "The access token is invalid.";

/// `GET|POST /oauth2/v1/userinfo` and `/oauth2/{authServerId}/v1/userinfo`.
pub async fn get_userinfo(
    State(state): State<AppState>,
    ServerId(server_id): ServerId,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    userinfo(&state, server_id.as_deref(), &uri, &headers, &body).await
}

async fn userinfo(
    state: &AppState,
    server_id: Option<&str>,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    let server = match AuthServer::load(state, server_id).await {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    match answer(state, &server, uri, headers, body).await {
        Ok(body) => {
            let mut resp = axum::Json(body).into_response();
            no_store(&mut resp);
            resp
        }
        Err(r) => r.delivered(Delivery::Bearer).into_response(),
    }
}

/// The bearer token, from the `Authorization` header or a form body's `access_token`
/// (RFC 6750 2.1, 2.2), never the query string, and from exactly one place (RFC 6750 2).
fn bearer_token(uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Result<Option<String>, Refusal> {
    let in_query = uri
        .query()
        .is_some_and(|q| Params::parse(q).contains("access_token"));
    if in_query {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The access token cannot be presented in a query string.",
        ));
    }
    let is_form = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let in_body = is_form
        .then(|| Params::parse(&String::from_utf8_lossy(body)))
        .and_then(|p| p.get("access_token").map(str::to_owned));
    let mut all: Vec<String> = headers
        .get_all(AUTHORIZATION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned())
        .collect();
    all.extend(in_body);
    if all.len() > 1 {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The access token must be presented in exactly one place.",
        ));
    }
    Ok(all.pop())
}

async fn answer(
    state: &AppState,
    server: &AuthServer,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Value, Refusal> {
    let invalid = || Refusal::new(OAuthCode::InvalidToken, INVALID);
    let token = bearer_token(uri, headers, body)?.ok_or_else(invalid)?;
    let found = inspect(state, server, &token, 0)
        .await?
        .ok_or_else(invalid)?;
    if !found.is_access_token() || !found.live() {
        return Err(invalid());
    }
    let Inspected::Jwt { claims, .. } = found else {
        return Err(invalid());
    };
    let scopes: Vec<String> = claims
        .get("scp")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if !scopes.iter().any(|s| s == "openid") {
        return Err(Refusal::new(
            OAuthCode::InsufficientScope,
            "The access token must provide access to at least one of these scopes - profile, email, address or phone",
        ));
    }
    // Client-credentials tokens have no user: nothing to describe.
    let uid = claims
        .get("uid")
        .and_then(Value::as_str)
        .ok_or_else(invalid)?;
    let user = state
        .store()
        .find_user(uid)
        .await?
        .filter(|u| u.status == UserStatus::Active)
        .ok_or_else(invalid)?;
    let cid = claims
        .get("cid")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let app = state
        .store()
        .find_app_by_client_id(cid)
        .await?
        .ok_or_else(invalid)?;
    let person = Person::load(state, user, None, Vec::new(), None).await?;
    let out = userinfo_claims(state, server, &app, &person, &scopes).await?;
    Ok(Value::Object(out))
}
