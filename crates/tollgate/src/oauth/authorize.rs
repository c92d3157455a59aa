//! `GET|POST /oauth2/v1/authorize` and `GET|POST /oauth2/{authServerId}/v1/authorize`: checks
//! the server, the client and its exact redirect URI (else an error page, never a redirect),
//! validates the request, resolves the signed-in user from a `sessionToken`, the session
//! cookie or the sign-in page (honouring `prompt` and `max_age`), decides the request
//! (assignment, policy) and answers with a code, tokens, or both, in the requested mode.
//!
//! Reference: OpenID Connect Core 3.1.2; RFC 6749 4.1 and 4.2; RFC 9207; Tollgate's
//! `oauth-endpoints.md` section 3.

use std::collections::BTreeSet;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{
    ACCEPT, CACHE_CONTROL, CONTENT_TYPE, LOCATION, REFERRER_POLICY, SET_COOKIE,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tollgate_core::Timestamp;
use tollgate_core::app::App;
use tollgate_core::app::vocab::{AuthMethod, GrantType};
use tollgate_core::directory::UserStatus;
use tollgate_core::log::{Entity, LogEvent, Result as Outcome};
use tollgate_core::oauth::grant::{CODE_SECS, Grant};
use tollgate_core::secret::Secret;

use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::login::page::escape;
use crate::login::resolve::{Demands, SignedIn, signed_in_user};
use crate::oauth::error::{OAuthCode, OAuthError};
use crate::oauth::issue::{
    AuthServer, IdShape, Person, Refusal, Want, check_scopes, decide, mint, split_scopes,
};
use crate::state::AppState;

/// The request's parameters, each at most once.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
    pub(crate) duplicate: bool,
}

impl Params {
    pub(crate) fn parse(text: &str) -> Self {
        let mut out = Self::default();
        let mut seen = BTreeSet::new();
        for (k, v) in url::form_urlencoded::parse(text.as_bytes()) {
            if !seen.insert(k.to_string()) {
                out.duplicate = true;
            }
            out.pairs.push((k.into_owned(), v.into_owned()));
        }
        out
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The query string of this request without the given parameters.
    fn query_without(&self, drop: &[&str]) -> String {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            if !drop.contains(&k.as_str()) {
                ser.append_pair(k, v);
            }
        }
        ser.finish()
    }
}

/// How the response goes back to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Query,
    Fragment,
    FormPost,
    /// Okta's `okta_post_message`: a page that posts the response to the opener or parent
    /// window (okta-auth-js silent renew and popups).
    PostMessage,
}

/// Where errors go once the client and redirect URI are trusted.
struct Reply<'a> {
    redirect_uri: &'a str,
    mode: Mode,
    state: Option<&'a str>,
    issuer: String,
}

impl Reply<'_> {
    fn send(&self, fields: &[(&str, &str)]) -> Response {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if let Some(s) = self.state {
            all.push(("state", s));
        }
        all.push(("iss", &self.issuer));
        let encoded = {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &all {
                ser.append_pair(k, v);
            }
            ser.finish()
        };
        match self.mode {
            Mode::PostMessage => post_message_page(self.redirect_uri, &all),
            Mode::FormPost => {
                let inputs: String = all
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            r#"<input type="hidden" name="{}" value="{}">"#,
                            escape(k),
                            escape(v)
                        )
                    })
                    .collect();
                let html = format!(
                    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Submit</title></head>\
                     <body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{}\">{inputs}\
                     <noscript><button type=\"submit\">Continue</button></noscript></form></body></html>",
                    escape(self.redirect_uri)
                );
                let mut r = (StatusCode::OK, html).into_response();
                let h = r.headers_mut();
                h.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
                r
            }
            Mode::Query | Mode::Fragment => {
                let sep = match self.mode {
                    Mode::Fragment => "#",
                    _ if self.redirect_uri.contains('?') => "&",
                    _ => "?",
                };
                let target = format!("{}{sep}{encoded}", self.redirect_uri);
                let mut r = StatusCode::FOUND.into_response();
                if let Ok(v) = HeaderValue::from_str(&target) {
                    r.headers_mut().insert(LOCATION, v);
                }
                r.headers_mut()
                    .insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
                r
            }
        }
    }

    fn error(&self, e: &OAuthError) -> Response {
        self.send(&[
            ("error", e.code.as_str()),
            ("error_description", &e.description),
        ])
    }
}

/// The `okta_post_message` page: posts the response fields to `window.opener` (a popup) or
/// `window.parent` (an iframe), only to the origin of the registered redirect URI.
fn post_message_page(redirect_uri: &str, fields: &[(&str, &str)]) -> Response {
    let target = url::Url::parse(redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let data: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(k, v)| {
            let value = match (*k, v.parse::<i64>()) {
                ("expires_in", Ok(n)) => json!(n),
                _ => json!(v),
            };
            ((*k).to_owned(), value)
        })
        .collect();
    // JSON inside a script element: escape what could close it or start markup.
    let script_safe = |v: &serde_json::Value| {
        v.to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    };
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Tollgate</title></head><body>\
         <script>(function () {{ var data = {}; var target = {}; \
         var w = window.opener || window.parent; if (w && w !== window) {{ w.postMessage(data, target); }} }})();</script>\
         </body></html>",
        script_safe(&serde_json::Value::Object(data)),
        script_safe(&json!(target)),
    );
    let mut r = (StatusCode::OK, html).into_response();
    let h = r.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The error page for a request whose client or redirect URI cannot be trusted: never a
/// redirect. JSON when the caller asks for it.
fn error_page(headers: &HeaderMap, e: &OAuthError) -> Response {
    let wants_json = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    if wants_json {
        let body = json!({"error": e.code.as_str(), "error_description": e.description});
        return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    }
    let html = crate::login::page::error_html(e.code.as_str(), &e.description);
    crate::login::page::html_response(StatusCode::BAD_REQUEST, html)
}

fn parse_response_type(raw: &str) -> Option<BTreeSet<&str>> {
    let set: BTreeSet<&str> = raw.split(' ').filter(|s| !s.is_empty()).collect();
    (!set.is_empty()
        && set
            .iter()
            .all(|t| matches!(*t, "code" | "token" | "id_token")))
    .then_some(set)
}

/// `GET|POST /oauth2/v1/authorize` (the org authorization server).
pub async fn authorize_org(
    State(state): State<AppState>,
    audit: Anonymous,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    authorize(&state, &audit, None, &method, &uri, &headers, &body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// `GET|POST /oauth2/{authServerId}/v1/authorize`.
pub async fn authorize_custom(
    State(state): State<AppState>,
    audit: Anonymous,
    Path(server_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    authorize(
        &state,
        &audit,
        Some(&server_id),
        &method,
        &uri,
        &headers,
        &body,
    )
    .await
    .unwrap_or_else(IntoResponse::into_response)
}

async fn authorize(
    state: &AppState,
    audit: &Anonymous,
    server_id: Option<&str>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, ApiError> {
    // 1. The authorization server.
    let server = AuthServer::load(state, server_id).await?;
    let issuer = server.issuer.clone();
    let base_path = server.base_path.clone();
    let text = if method == Method::POST {
        String::from_utf8_lossy(body).into_owned()
    } else {
        uri.query().unwrap_or_default().to_owned()
    };
    let params = Params::parse(&text);

    // 2. The client and its redirect URI, or an error page.
    let app: App = match params.get("client_id") {
        Some(id) => match state.store().find_app_by_client_id(id).await? {
            Some(app) if app.status == tollgate_core::app::AppStatus::Active => app,
            _ => {
                return Ok(error_page(
                    headers,
                    &OAuthError::new(
                        OAuthCode::InvalidClient,
                        "Invalid value for 'client_id' parameter.",
                    ),
                ));
            }
        },
        None => {
            return Ok(error_page(
                headers,
                &OAuthError::new(
                    OAuthCode::InvalidClient,
                    "Invalid value for 'client_id' parameter.",
                ),
            ));
        }
    };
    let Some(redirect_uri) = params
        .get("redirect_uri")
        .filter(|r| app.settings.allows_redirect(r))
    else {
        let e = OAuthError::new(
            OAuthCode::InvalidRequest,
            "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings",
        );
        return Ok(error_page(headers, &e));
    };
    if params.duplicate {
        let e = OAuthError::new(
            OAuthCode::InvalidRequest,
            "The request contained multiple parameters with the same name.",
        );
        return Ok(error_page(headers, &e));
    }

    // 3. From here on, errors go back to the client.
    let response_types = params.get("response_type").and_then(parse_response_type);
    let implicit = response_types
        .as_ref()
        .is_some_and(|t| t.contains("token") || t.contains("id_token"));
    let default_mode = if implicit {
        Mode::Fragment
    } else {
        Mode::Query
    };
    let requested_mode = match params.get("response_mode") {
        None => Ok(default_mode),
        Some("query") => Ok(Mode::Query),
        Some("fragment") => Ok(Mode::Fragment),
        Some("form_post") => Ok(Mode::FormPost),
        Some("okta_post_message") => Ok(Mode::PostMessage),
        Some(_) => Err(()),
    };
    let mut reply = Reply {
        redirect_uri,
        mode: requested_mode.unwrap_or(default_mode),
        state: params.get("state"),
        issuer,
    };
    // Refusals before the user is known are logged too, with the client as the actor.
    macro_rules! fail {
        ($reply:expr, $e:expr $(,)?) => {{
            let e: OAuthError = $e;
            let mut event = audit
                .event(
                    Entity::client(&app),
                    &format!("{}.authorize", server.event_prefix()),
                    "OAuth2 authorization request",
                    state.clock().now(),
                )
                .target(Entity::app(&app))
                .outcome(Outcome::Failure, Some(e.description.clone()))
                .debug("requestUri", format!("{base_path}/authorize"))
                .debug("error", e.code.as_str());
            event.client.client_id = Some(app.credentials.client_id.clone());
            state.events().record(vec![event]).await;
            $reply.error(&e)
        }};
    }

    let allowed: Vec<&str> = app
        .settings
        .response_types
        .iter()
        .map(|t| t.as_str())
        .collect();
    let Some(types) = response_types.filter(|t| t.iter().all(|x| allowed.contains(x))) else {
        let e = OAuthError::new(
            OAuthCode::UnsupportedResponseType,
            format!(
                "The response type is not supported by the authorization server. Configured response types: [{}].",
                allowed.join(", ")
            ),
        );
        return Ok(fail!(&reply, e));
    };
    if requested_mode.is_err() {
        let e = OAuthError::new(
            OAuthCode::UnsupportedResponseMode,
            "The response mode is not supported by the authorization server. Valid response modes: [query, fragment, form_post, okta_post_message].",
        );
        return Ok(fail!(&reply, e));
    }
    if reply.mode == Mode::Query && implicit {
        reply.mode = Mode::Fragment;
        let e = OAuthError::new(
            OAuthCode::UnsupportedResponseMode,
            "'query' response mode cannot be used with either the 'id_token' or 'token' response types.",
        );
        return Ok(fail!(&reply, e));
    }
    if reply.state.is_none() {
        return Ok(fail!(
            &reply,
            OAuthError::new(
                OAuthCode::InvalidRequest,
                "The authentication request has an invalid 'state' parameter.",
            ),
        ));
    }
    let prompt: BTreeSet<&str> = params
        .get("prompt")
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .collect();
    if !prompt
        .iter()
        .all(|p| matches!(*p, "none" | "login" | "consent"))
        || (prompt.contains("none") && prompt.len() > 1)
    {
        let e = OAuthError::new(
            OAuthCode::InvalidRequest,
            "Invalid value for 'prompt' parameter. Valid values: [none, login, consent, login consent].",
        );
        return Ok(fail!(&reply, e));
    }
    let max_age = match params.get("max_age").map(str::parse::<i64>) {
        None => None,
        Some(Ok(v)) if (0..=i64::from(i32::MAX)).contains(&v) => Some(v),
        Some(_) => {
            let e = OAuthError::new(
                OAuthCode::InvalidRequest,
                "Invalid value for 'max_age' parameter. It should be within range 0 - 2^31-1.",
            );
            return Ok(fail!(&reply, e));
        }
    };

    let checked = match check_request(&server, &app, &params, &types, redirect_uri) {
        Ok(c) => c,
        Err(refusal) => return Ok(fail!(&reply, refusal.error)),
    };

    // 4. Who is signed in: a sessionToken wins, then the session cookie.
    let now = state.clock().now();
    let demands = Demands {
        session_token: params.get("sessionToken"),
        force_login: prompt.contains("login"),
        max_age,
    };
    let signed_in = signed_in_user(state, audit, headers, demands).await?;
    let set_cookie = signed_in.as_ref().and_then(|s| s.set_cookie.clone());
    let Some(SignedIn { user, session, .. }) = signed_in else {
        if prompt.contains("none") {
            return Ok(fail!(
                &reply,
                OAuthError::new(
                    OAuthCode::LoginRequired,
                    "The client specified not to prompt, but the user is not logged in.",
                ),
            ));
        }
        // Back here after signing in; `prompt=login` is satisfied by that sign-in.
        let back = format!(
            "{base_path}/authorize?{}",
            params.query_without(&["sessionToken", "prompt"])
        );
        let mut login = url::form_urlencoded::Serializer::new(String::new());
        login.append_pair("fromURI", &back);
        if let Some(hint) = params.get("login_hint") {
            login.append_pair("login_hint", hint);
        }
        let mut r = StatusCode::FOUND.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("/login?{}", login.finish())) {
            r.headers_mut().insert(LOCATION, v);
        }
        return Ok(r);
    };

    // 5. The user must be active and assigned; custom servers then apply their policies.
    let grant = if implicit {
        GrantType::Implicit
    } else {
        GrantType::AuthorizationCode
    };
    let person = Person::load(
        state,
        user,
        Some(session.auth_time),
        session.amr.clone(),
        Some(session.id.clone()),
    )
    .await;
    let mut response = match person {
        Ok(person) => {
            let outcome = if person.user.status == UserStatus::Active {
                respond(
                    state, audit, &server, &app, &person, grant, &checked, &reply,
                )
                .await
            } else {
                Err(
                    Refusal::new(OAuthCode::AccessDenied, "The user is not active.").because(
                        format!("user {} is {}", person.user.id, person.user.status.as_str()),
                    ),
                )
            };
            match outcome {
                Ok(r) => r,
                Err(refusal) => {
                    let event = audit
                        .event(
                            Entity::user(&person.user),
                            &format!("{}.authorize", server.event_prefix()),
                            "OAuth2 authorization request",
                            now,
                        )
                        .target(Entity::app(&app))
                        .outcome(
                            if refusal.error.code == OAuthCode::AccessDenied {
                                Outcome::Deny
                            } else {
                                Outcome::Failure
                            },
                            Some(refusal.reason.clone()),
                        )
                        .debug("requestUri", format!("{base_path}/authorize"))
                        .debug("responseType", checked.response_type.clone())
                        .debug("requestedScopes", checked.scopes.join(" "))
                        .debug("error", refusal.error.code.as_str());
                    let event = with_client(event, &app);
                    state.events().record(vec![event]).await;
                    reply.error(&refusal.error)
                }
            }
        }
        Err(refusal) => reply.error(&refusal.error),
    };
    if let Some(c) = set_cookie {
        response.headers_mut().insert(SET_COOKIE, c);
    }
    Ok(response)
}

/// The scope, nonce and PKCE checks of `oauth-endpoints.md` §3.1.
fn check_request(
    server: &AuthServer,
    app: &App,
    params: &Params,
    types: &BTreeSet<&str>,
    redirect_uri: &str,
) -> Result<Checked, Refusal> {
    let code = types.contains("code");
    let token = types.contains("token");
    let id_token = types.contains("id_token");
    let grants = &app.settings.grant_types;
    if (code && !grants.contains(&GrantType::AuthorizationCode))
        || ((token || id_token) && !grants.contains(&GrantType::Implicit))
    {
        return Err(Refusal::new(
            OAuthCode::UnauthorizedClient,
            format!(
                "The client is not authorized to use the provided grant type. Configured grant types: [{}].",
                grants
                    .iter()
                    .map(|g| g.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    // External identity providers are not supported: no `idp` id is valid.
    if params.get("idp").is_some() {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "Identity provider is not valid.",
        ));
    }
    let Some(raw_scope) = params.get("scope") else {
        return Err(Refusal::new(
            OAuthCode::InvalidScope,
            "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
        ));
    };
    if raw_scope.len() > 1024 {
        return Err(Refusal::new(
            OAuthCode::InvalidScope,
            "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.",
        ));
    }
    let scopes = split_scopes(raw_scope);
    check_scopes(server, &scopes)?;
    if id_token && !scopes.iter().any(|s| s == "openid") {
        return Err(Refusal::new(
            OAuthCode::InvalidScope,
            "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.",
        ));
    }
    let nonce = params.get("nonce").map(str::to_owned);
    if (token || id_token) && nonce.is_none() {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types.",
        ));
    }
    let code_challenge = match params.get("code_challenge") {
        Some(challenge) => {
            if params.get("code_challenge_method") != Some("S256") {
                return Err(Refusal::new(
                    OAuthCode::InvalidRequest,
                    "PKCE code challenge method is not supported. Valid values: [S256]",
                ));
            }
            let well_formed = challenge.len() == 43
                && challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !well_formed {
                return Err(Refusal::new(
                    OAuthCode::InvalidRequest,
                    "PKCE code challenge contains illegal characters.",
                ));
            }
            Some(challenge.to_owned())
        }
        None => None,
    };
    let public = app.credentials.auth_method == AuthMethod::None;
    if code && code_challenge.is_none() && (app.credentials.pkce_required || public) {
        return Err(Refusal::new(
            OAuthCode::InvalidRequest,
            "PKCE code challenge is required by the application.",
        ));
    }
    Ok(Checked {
        response_type: types.iter().copied().collect::<Vec<_>>().join(" "),
        code,
        token,
        id_token,
        scopes,
        nonce,
        code_challenge,
        redirect_uri: redirect_uri.to_owned(),
    })
}

fn with_client(mut e: LogEvent, app: &App) -> LogEvent {
    e.client.client_id = Some(app.credentials.client_id.clone());
    e
}

/// What the validated request asks for.
struct Checked {
    response_type: String,
    code: bool,
    token: bool,
    id_token: bool,
    scopes: Vec<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    redirect_uri: String,
}

/// Decides and mints, for a signed-in, active user.
#[allow(
    clippy::too_many_arguments,
    reason = "one call site; a struct would only rename them"
)]
async fn respond(
    state: &AppState,
    audit: &Anonymous,
    server: &AuthServer,
    app: &App,
    person: &Person,
    grant: GrantType,
    checked: &Checked,
    reply: &Reply<'_>,
) -> Result<Response, Refusal> {
    let decision = decide(state, server, app, Some(person), grant, &checked.scopes).await?;
    let now = state.clock().now();
    let prefix = server.event_prefix();
    let event = |kind: &str, message: &str| {
        let e = audit
            .event(
                Entity::user(&person.user),
                &format!("{prefix}{kind}"),
                message,
                now,
            )
            .target(Entity::app(app))
            .outcome(Outcome::Success, None)
            .debug("requestUri", format!("{}/authorize", server.base_path))
            .debug("responseType", checked.response_type.clone())
            .debug("grantType", grant.as_str())
            .debug("requestedScopes", checked.scopes.join(" "));
        with_client(decision.debug(e), app)
    };
    let mut events = Vec::new();
    if !decision.dropped.is_empty() {
        events.push(
            event(".authorize.scope_denied", "OAuth2 scopes denied by policy").outcome(
                Outcome::Deny,
                Some(format!(
                    "The policy did not grant: {}",
                    decision.dropped.join(", ")
                )),
            ),
        );
    }

    let code = checked.code.then(|| Secret::generate(32));
    let id_shape = if checked.token {
        IdShape::Thin
    } else {
        IdShape::Fat
    };
    let minted = mint(
        state,
        server,
        app,
        Some(person),
        &decision,
        Want {
            access: checked.token,
            id: checked.id_token.then_some(id_shape),
            nonce: checked.nonce.as_deref(),
            code: code.as_ref().map(Secret::expose),
            grant_id: None,
        },
    )
    .await?;
    events.insert(
        0,
        minted
            .explain(event(".authorize", "OAuth2 authorization request"))
            .debug("omittedClaims", minted.omitted.len()),
    );
    if minted.access_token.is_some() {
        events.push(event(
            ".authorize.implicit.access_token",
            "OAuth2 authorization implicit access token request",
        ));
    }
    if minted.id_token.is_some() {
        events.push(event(
            ".authorize.implicit.id_token",
            "OAuth2 authorization implicit ID token request",
        ));
    }
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(code) = &code {
        events.push(event(
            ".authorize.code",
            "OAuth2 authorization code request",
        ));
        let g = Grant {
            id: Grant::new_id(),
            server_id: server.id.clone(),
            client_id: app.credentials.client_id.clone(),
            user_id: Some(person.user.id.as_str().to_owned()),
            grant_type: GrantType::AuthorizationCode,
            scopes: decision.scopes.clone(),
            auth_time: person.auth_time,
            amr: person.amr.clone(),
            session_id: person.session_id.clone(),
            nonce: checked.nonce.clone(),
            lifetimes: decision.lifetimes,
            created: now,
        };
        state
            .store()
            .create_code(
                &g,
                &code.digest(),
                &checked.redirect_uri,
                checked.code_challenge.as_deref(),
                Timestamp::from_millis(now.millis() + CODE_SECS * 1000),
                &events,
            )
            .await?;
        fields.push(("code", code.expose().to_owned()));
    } else {
        state.events().record(events).await;
    }
    if let Some(at) = minted.access_token {
        fields.push(("access_token", at));
        fields.push(("token_type", "Bearer".to_owned()));
        fields.push(("expires_in", minted.expires_in.to_string()));
        fields.push(("scope", decision.scope_string()));
    }
    if let Some(id) = minted.id_token {
        fields.push(("id_token", id));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Ok(reply.send(&borrowed))
}
