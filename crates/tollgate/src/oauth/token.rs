//! `POST /oauth2/v1/token` and `POST /oauth2/{authServerId}/v1/token`: the
//! `authorization_code` (with PKCE), `refresh_token` (rotation with a leeway; replay revokes
//! the family), `password` and `client_credentials` grants.
//!
//! Reference: RFC 6749 sections 4.1.3, 4.3, 4.4, 5 and 6; RFC 7636 section 4.6; OpenID Connect
//! Core 3.1.3; `oauth-endpoints.md` section 4.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tollgate_core::Timestamp;
use tollgate_core::app::App;
use tollgate_core::app::vocab::{GrantType, RotationType};
use tollgate_core::directory::UserStatus;
use tollgate_core::log::{Entity, Result as Outcome};
use tollgate_core::oauth::grant::Grant;
use tollgate_core::oauth::policy::OIDC_SCOPES;
use tollgate_core::secret::{Secret, sha256_hex};
use tollgate_core::token::hashes::pkce_s256;
use tollgate_store::{CodeRedemption, NewRefresh};

use crate::http::audit::Anonymous;
use crate::login::password::{SignIn, check};
use crate::oauth::authorize::Params;
use crate::oauth::client_auth::authenticate;
use crate::oauth::error::OAuthCode;
use crate::oauth::issue::{
    AuthServer, Decision, IdShape, Kind, Person, Refusal, Want, decide, mint, split_scopes,
};
use crate::state::AppState;

const BAD_CODE: &str = "The authorization code is invalid or has expired.";
const BAD_REFRESH: &str = "The refresh token is invalid or expired.";
/// A refresh token with `refreshTokenLifetimeMinutes: 0` never expires by age; this stands in
/// for "never" (year 9999).
const NEVER: i64 = 253_402_300_799_000;

/// An OAuth error as JSON, never cached.
pub fn json_error(r: &Refusal) -> Response {
    let body = json!({"error": r.error.code.as_str(), "error_description": r.error.description});
    let mut resp = (r.status, axum::Json(body)).into_response();
    no_store(&mut resp);
    resp
}

/// `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 5.1).
pub fn no_store(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(PRAGMA, HeaderValue::from_static("no-cache"));
}

/// The form body of an OAuth POST, refusing other content types and repeated parameters.
pub fn form_params(headers: &HeaderMap, body: &Bytes) -> Result<Params, Refusal> {
    let is_form = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The request must be sent with Content-Type: application/x-www-form-urlencoded.",
        ));
    }
    let params = Params::parse(&String::from_utf8_lossy(body));
    if params.duplicate {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The request contained multiple parameters with the same name.",
        ));
    }
    Ok(params)
}

/// `POST /oauth2/v1/token`.
pub async fn token_org(
    State(state): State<AppState>,
    audit: Anonymous,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    token(&state, &audit, None, &uri, &headers, &body).await
}

/// `POST /oauth2/{authServerId}/v1/token`.
pub async fn token_custom(
    State(state): State<AppState>,
    audit: Anonymous,
    Path(server_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    token(&state, &audit, Some(&server_id), &uri, &headers, &body).await
}

async fn token(
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
    let mut app_seen = None;
    let outcome = run(state, audit, &server, uri, headers, body, &mut app_seen).await;
    match outcome {
        Ok(body) => {
            let mut resp = (StatusCode::OK, axum::Json(Value::Object(body))).into_response();
            no_store(&mut resp);
            resp
        }
        Err(refusal) => {
            let event_type = if refusal.error.code == OAuthCode::InvalidClient {
                "app.oauth2.invalid_client_credentials".to_owned()
            } else {
                format!("{}.token.grant", server.event_prefix())
            };
            let actor = app_seen.as_ref().map_or_else(
                || Entity::id_only("unknown", "PublicClientApp"),
                Entity::client,
            );
            let mut event = audit
                .event(
                    actor,
                    &event_type,
                    "OAuth2 token request",
                    state.clock().now(),
                )
                .outcome(
                    if refusal.error.code == OAuthCode::AccessDenied {
                        Outcome::Deny
                    } else {
                        Outcome::Failure
                    },
                    Some(refusal.reason.clone()),
                )
                .debug("requestUri", format!("{}/token", server.base_path))
                .debug("error", refusal.error.code.as_str());
            if let Some(app) = &app_seen {
                event = event.target(Entity::app(app));
                event.client.client_id = Some(app.credentials.client_id.clone());
            }
            state.events().record(vec![event]).await;
            json_error(&refusal)
        }
    }
}

fn configured(app: &App) -> String {
    app.settings
        .grant_types
        .iter()
        .map(|g| g.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn run(
    state: &AppState,
    audit: &Anonymous,
    server: &AuthServer,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    app_seen: &mut Option<App>,
) -> Result<Map<String, Value>, Refusal> {
    let params = form_params(headers, body)?;
    let app = authenticate(state, headers, uri, &params).await?;
    *app_seen = Some(app.clone());
    let Some(raw_grant) = params.get("grant_type") else {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The token request must specify a 'grant_type'. Valid values: [authorization_code, password, refresh_token, client_credentials]",
        ));
    };
    let grant = GrantType::parse(raw_grant).filter(|g| {
        matches!(
            g,
            GrantType::AuthorizationCode
                | GrantType::RefreshToken
                | GrantType::Password
                | GrantType::ClientCredentials
        )
    });
    let Some(grant) = grant else {
        return Err(Refusal::new(
            OAuthCode::UnsupportedGrantType,
            format!(
                "The authorization grant type is not supported by the authorization server. Configured grant types: [{}].",
                configured(&app)
            ),
        ));
    };
    if grant == GrantType::ClientCredentials && matches!(server.kind, Kind::Org) {
        return Err(Refusal::new(
            OAuthCode::UnsupportedGrantType,
            "'client_credentials' grant type can only be used with a custom authorization server.",
        ));
    }
    if !app.settings.grant_types.contains(&grant) {
        return Err(Refusal::new(
            OAuthCode::UnauthorizedClient,
            format!(
                "The client is not authorized to use the provided grant type. Configured grant types: [{}].",
                configured(&app)
            ),
        ));
    }
    let issued = match grant {
        GrantType::AuthorizationCode => code_grant(state, server, &app, &params).await?,
        GrantType::RefreshToken => refresh_grant(state, audit, server, &app, &params).await?,
        GrantType::Password => password_grant(state, audit, server, &app, &params).await?,
        _ => client_credentials(state, server, &app, &params).await?,
    };
    let now = state.clock().now();
    let prefix = server.event_prefix();
    let actor = issued
        .person
        .as_ref()
        .map_or_else(|| Entity::client(&app), |p| Entity::user(&p.user));
    let event = |suffix: &str, message: &str| {
        let mut e = audit
            .event(
                actor.clone(),
                &format!("{prefix}.token.grant{suffix}"),
                message,
                now,
            )
            .target(Entity::app(&app))
            .outcome(Outcome::Success, None)
            .debug("requestUri", format!("{}/token", server.base_path))
            .debug("grantType", grant.as_str());
        e.client.client_id = Some(app.credentials.client_id.clone());
        issued.decision.debug(e)
    };
    let mut events = vec![issued.minted.explain(event("", "OAuth2 token request"))];
    let mut out = Map::new();
    out.insert("token_type".into(), json!("Bearer"));
    out.insert("expires_in".into(), json!(issued.minted.expires_in));
    if let Some(at) = issued.minted.access_token {
        out.insert("access_token".into(), json!(at));
        events.push(event(".access_token", "OAuth2 access token is granted"));
    }
    out.insert("scope".into(), json!(issued.decision.scope_string()));
    if let Some(rt) = issued.refresh_token {
        out.insert("refresh_token".into(), json!(rt));
        events.push(event(".refresh_token", "OAuth2 refresh token is granted"));
    }
    if let Some(id) = issued.minted.id_token {
        out.insert("id_token".into(), json!(id));
        events.push(event(".id_token", "OAuth2 ID token is granted"));
    }
    state.events().record(events).await;
    Ok(out)
}

/// What a grant produced.
struct Issued {
    person: Option<Person>,
    decision: Decision,
    minted: crate::oauth::issue::Minted,
    refresh_token: Option<String>,
}

fn id_shape(server: &AuthServer) -> IdShape {
    match server.kind {
        Kind::Org => IdShape::ThinWithGroups,
        Kind::Custom(_) => IdShape::Thin,
    }
}

/// Whether this grant gets a refresh token: `offline_access` granted and the app has the
/// `refresh_token` grant.
fn wants_refresh(app: &App, decision: &Decision) -> bool {
    decision.has("offline_access") && app.settings.grant_types.contains(&GrantType::RefreshToken)
}

/// A new refresh token of `grant`, replacing `old` when rotating.
async fn new_refresh_token(
    state: &AppState,
    grant: &Grant,
    old: Option<&str>,
) -> Result<String, Refusal> {
    let now = state.clock().now().millis();
    let token = Secret::generate(32);
    let minutes = |m: i64| now.saturating_add(m.saturating_mul(60_000));
    let expires_at = match grant.lifetimes.refresh_minutes {
        0 => NEVER,
        m => minutes(m),
    };
    let idle = minutes(grant.lifetimes.refresh_window_minutes).min(expires_at);
    state
        .store()
        .create_refresh_token(
            &grant.id,
            NewRefresh {
                digest: &token.digest(),
                expires_at: Timestamp::from_millis(expires_at),
                idle_expires_at: Timestamp::from_millis(idle),
            },
            old,
            Timestamp::from_millis(now),
        )
        .await?;
    Ok(token.expose().to_owned())
}

async fn active_user(
    state: &AppState,
    user_id: Option<&str>,
) -> Result<Option<tollgate_core::directory::User>, Refusal> {
    let Some(id) = user_id else {
        return Ok(None);
    };
    Ok(state
        .store()
        .find_user(id)
        .await
        .map_err(Refusal::internal)?
        .filter(|u| matches!(u.status, UserStatus::Active | UserStatus::PasswordExpired)))
}

async fn code_grant(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    params: &Params,
) -> Result<Issued, Refusal> {
    let invalid = |why: &str| Refusal::new(OAuthCode::InvalidGrant, BAD_CODE).because(why);
    let Some(code) = params.get("code") else {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The 'code' parameter is required.",
        ));
    };
    let now = state.clock().now();
    let (grant, redirect_uri, challenge) = match state
        .store()
        .redeem_code(&sha256_hex(code.as_bytes()), now)
        .await?
    {
        CodeRedemption::Fresh {
            grant,
            redirect_uri,
            code_challenge,
        } => (grant, redirect_uri, code_challenge),
        CodeRedemption::Replayed => {
            return Err(invalid(
                "the authorization code was already used; the tokens it issued are revoked",
            ));
        }
        CodeRedemption::Invalid => return Err(invalid("unknown or expired code")),
    };
    if grant.server_id != server.id {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The grant was issued for another authorization server.",
        ));
    }
    if grant.client_id != app.credentials.client_id {
        return Err(Refusal::new(
            OAuthCode::InvalidGrant,
            "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.",
        ));
    }
    if params.get("redirect_uri") != Some(redirect_uri.as_str()) {
        return Err(Refusal::new(
            OAuthCode::InvalidGrant,
            "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
        ));
    }
    if let Some(challenge) = challenge {
        let Some(verifier) = params.get("code_verifier") else {
            return Err(Refusal::new(
                OAuthCode::InvalidRequest,
                "PKCE code verifier is required by the application.",
            ));
        };
        if pkce_s256(verifier) != challenge {
            return Err(Refusal::new(
                OAuthCode::InvalidGrant,
                "PKCE verification failed.",
            ));
        }
    }
    let Some(user) = active_user(state, grant.user_id.as_deref()).await? else {
        return Err(invalid("the user is no longer active"));
    };
    let person = Person::load(
        state,
        user,
        grant.auth_time,
        grant.amr.clone(),
        grant.session_id.clone(),
    )
    .await?;
    let decision = Decision {
        scopes: grant.scopes.clone(),
        dropped: Vec::new(),
        lifetimes: grant.lifetimes,
        policy: None,
        rule: None,
    };
    let minted = mint(
        state,
        server,
        app,
        Some(&person),
        &decision,
        Want {
            access: true,
            id: Some(id_shape(server)),
            nonce: grant.nonce.as_deref(),
            code: None,
            grant_id: Some(&grant.id),
        },
    )
    .await?;
    let refresh_token = if wants_refresh(app, &decision) {
        Some(new_refresh_token(state, &grant, None).await?)
    } else {
        None
    };
    Ok(Issued {
        person: Some(person),
        decision,
        minted,
        refresh_token,
    })
}

async fn refresh_grant(
    state: &AppState,
    audit: &Anonymous,
    server: &AuthServer,
    app: &App,
    params: &Params,
) -> Result<Issued, Refusal> {
    let invalid = |why: &str| Refusal::new(OAuthCode::InvalidGrant, BAD_REFRESH).because(why);
    let Some(presented) = params.get("refresh_token") else {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The 'refresh_token' parameter is required.",
        ));
    };
    let digest = sha256_hex(presented.as_bytes());
    let Some(found) = state.store().find_refresh_token(&digest).await? else {
        return Err(invalid("unknown or revoked refresh token"));
    };
    let grant = found.grant;
    if grant.client_id != app.credentials.client_id || grant.server_id != server.id {
        return Err(invalid(
            "the refresh token was issued to another client or server",
        ));
    }
    let now = state.clock().now();
    if found.expires_at <= now || found.idle_expires_at <= now {
        return Err(invalid("the refresh token has expired"));
    }
    let settings = app.settings.refresh_token;
    if let Some(replaced) = found.replaced_at {
        let leeway_ms = settings.as_ref().map_or(0, |s| i64::from(s.leeway)) * 1000;
        if now.millis() > replaced.millis() + leeway_ms {
            state.store().revoke_grant(&grant.id, now).await?;
            let mut e = audit
                .event(
                    Entity::client(app),
                    &format!("{}.token.detect_reuse", server.event_prefix()),
                    "OAuth2 refresh token reuse detected",
                    now,
                )
                .target(Entity::app(app))
                .outcome(
                    Outcome::Failure,
                    Some("A rotated refresh token was used after its leeway; every token of its grant is revoked.".to_owned()),
                );
            e.client.client_id = Some(app.credentials.client_id.clone());
            state.events().record(vec![e]).await;
            return Err(invalid(
                "a rotated refresh token was reused after its leeway",
            ));
        }
    }
    let requested = match params.get("scope") {
        Some(raw) => split_scopes(raw),
        None => grant.scopes.clone(),
    };
    let extra: Vec<&str> = requested
        .iter()
        .filter(|s| !grant.has_scope(s))
        .map(String::as_str)
        .collect();
    if !extra.is_empty() {
        return Err(Refusal::new(
            OAuthCode::AccessDenied,
            format!(
                "Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: {}",
                extra.join(", ")
            ),
        ));
    }
    let user = active_user(state, grant.user_id.as_deref()).await?;
    if grant.user_id.is_some() && user.is_none() {
        return Err(invalid("the user is no longer active"));
    }
    let person = match user {
        Some(u) => Some(
            Person::load(
                state,
                u,
                grant.auth_time,
                grant.amr.clone(),
                grant.session_id.clone(),
            )
            .await?,
        ),
        None => None,
    };
    // Assignment and policy are checked again: a refresh must not outlive the access that
    // granted it.
    let mut decision = decide(
        state,
        server,
        app,
        person.as_ref(),
        grant.grant_type,
        &requested,
    )
    .await?;
    decision.scopes.retain(|s| requested.contains(s));
    let minted = mint(
        state,
        server,
        app,
        person.as_ref(),
        &decision,
        Want {
            access: true,
            id: Some(id_shape(server)),
            nonce: None,
            code: None,
            grant_id: Some(&grant.id),
        },
    )
    .await?;
    let rotate = settings.is_some_and(|s| s.rotation_type == RotationType::Rotate);
    let refresh_token = if rotate {
        new_refresh_token(state, &grant, Some(&digest)).await?
    } else {
        let idle = now
            .millis()
            .saturating_add(
                grant
                    .lifetimes
                    .refresh_window_minutes
                    .saturating_mul(60_000),
            )
            .min(found.expires_at.millis());
        state
            .store()
            .touch_refresh_token(&digest, Timestamp::from_millis(idle))
            .await?;
        presented.to_owned()
    };
    Ok(Issued {
        person,
        decision,
        minted,
        refresh_token: Some(refresh_token),
    })
}

async fn password_grant(
    state: &AppState,
    audit: &Anonymous,
    server: &AuthServer,
    app: &App,
    params: &Params,
) -> Result<Issued, Refusal> {
    let Some(raw_scope) = params.get("scope") else {
        return Err(Refusal::new(
            OAuthCode::InvalidScope,
            "No scopes were requested.",
        ));
    };
    let (Some(username), Some(password)) = (params.get("username"), params.get("password")) else {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The 'username' and 'password' parameters are required.",
        ));
    };
    let user = match check(state, audit, username, Secret::new(password)).await? {
        SignIn::Success(u) => u,
        SignIn::PasswordExpired(_) => {
            return Err(Refusal::new(
                OAuthCode::InvalidGrant,
                "Password has expired.",
            ));
        }
        SignIn::Failed => {
            return Err(Refusal::new(
                OAuthCode::InvalidGrant,
                "The credentials provided were invalid.",
            ));
        }
    };
    let now = state.clock().now();
    let person = Person::load(state, user, Some(now), vec!["pwd".to_owned()], None).await?;
    let requested = split_scopes(raw_scope);
    let decision = decide(
        state,
        server,
        app,
        Some(&person),
        GrantType::Password,
        &requested,
    )
    .await?;
    let grant = Grant {
        id: Grant::new_id(),
        server_id: server.id.clone(),
        client_id: app.credentials.client_id.clone(),
        user_id: Some(person.user.id.as_str().to_owned()),
        grant_type: GrantType::Password,
        scopes: decision.scopes.clone(),
        auth_time: person.auth_time,
        amr: person.amr.clone(),
        session_id: None,
        nonce: None,
        lifetimes: decision.lifetimes,
        created: now,
    };
    let refresh = wants_refresh(app, &decision);
    if refresh {
        state.store().create_grant(&grant).await?;
    }
    let minted = mint(
        state,
        server,
        app,
        Some(&person),
        &decision,
        Want {
            access: true,
            id: Some(IdShape::Thin),
            nonce: None,
            code: None,
            grant_id: refresh.then_some(grant.id.as_str()),
        },
    )
    .await?;
    let refresh_token = if refresh {
        Some(new_refresh_token(state, &grant, None).await?)
    } else {
        None
    };
    Ok(Issued {
        person: Some(person),
        decision,
        minted,
        refresh_token,
    })
}

async fn client_credentials(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    params: &Params,
) -> Result<Issued, Refusal> {
    let requested = match params.get("scope") {
        Some(raw) => split_scopes(raw),
        None => server.default_scopes(),
    };
    if requested.is_empty() {
        return Err(Refusal::new(
            OAuthCode::InvalidScope,
            "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
        ));
    }
    if requested
        .iter()
        .any(|s| OIDC_SCOPES.contains(&s.as_str()) && s != "groups")
    {
        return Err(Refusal::new(
            OAuthCode::InvalidScope,
            "Cannot request 'openid' scopes using client credentials.",
        ));
    }
    let decision = decide(
        state,
        server,
        app,
        None,
        GrantType::ClientCredentials,
        &requested,
    )
    .await?;
    let minted = mint(
        state,
        server,
        app,
        None,
        &decision,
        Want {
            access: true,
            ..Want::default()
        },
    )
    .await?;
    Ok(Issued {
        person: None,
        decision,
        minted,
        refresh_token: None,
    })
}
