//! `GET|POST /oauth2[/{authServerId}]/v1/userinfo`: the claims of the user an access token of
//! this server was issued for, for the scopes it carries (OpenID Connect Core 5.3). Bearer
//! errors as RFC 6750 gives them.

use axum::extract::{Path, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tollgate_core::directory::UserStatus;

use crate::oauth::error::OAuthCode;
use crate::oauth::inspect::{Inspected, inspect};
use crate::oauth::issue::{AuthServer, Person, Refusal, userinfo_claims};
use crate::oauth::token::json_error;
use crate::state::AppState;

const INVALID: &str = "The access token is invalid.";

/// `GET|POST /oauth2/v1/userinfo`.
pub async fn userinfo_org(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    userinfo(&state, None, &uri, &headers).await
}

/// `GET|POST /oauth2/{authServerId}/v1/userinfo`.
pub async fn userinfo_custom(
    State(state): State<AppState>,
    Path(server_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    userinfo(&state, Some(&server_id), &uri, &headers).await
}

fn bearer_error(r: &Refusal) -> Response {
    let mut resp = json_error(r);
    let challenge = format!(
        "Bearer error=\"{}\", error_description=\"{}\"",
        r.error.code.as_str(),
        r.error.description.trim_end_matches('.')
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        resp.headers_mut().insert(WWW_AUTHENTICATE, v);
    }
    resp
}

async fn userinfo(
    state: &AppState,
    server_id: Option<&str>,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    let server = match AuthServer::load(state, server_id).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    match answer(state, &server, uri, headers).await {
        Ok(body) => axum::Json(body).into_response(),
        Err(r) => bearer_error(&r),
    }
}

async fn answer(
    state: &AppState,
    server: &AuthServer,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<Value, Refusal> {
    let invalid = || Refusal::new(OAuthCode::InvalidToken, INVALID);
    let in_query = uri.query().is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "access_token")
    });
    if in_query {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The access token cannot be presented in a query string.",
        ));
    }
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or_else(invalid)?;
    let found = inspect(state, server, token, 0)
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
