//! `GET|POST /oauth2/v1/authorize` and `GET|POST /oauth2/{authServerId}/v1/authorize`: checks
//! the server, the client and its exact redirect URI (else an error page, never a redirect),
//! validates the request, and resolves the signed-in user from a `sessionToken`, the session
//! cookie or the sign-in page, honouring `prompt` and `max_age`. Minting tokens is the next
//! step of the flow.
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
use tollgate_core::app::App;
use tollgate_core::directory::UserStatus;
use tollgate_core::log::{Entity, Result as Outcome};

use crate::api::ApiError;
use crate::http::audit::Anonymous;
use crate::login::page::escape;
use crate::login::resolve::{Demands, signed_in_user};
use crate::oauth::error::{OAuthCode, OAuthError};
use crate::state::AppState;

/// The request's parameters, each at most once.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
    duplicate: bool,
}

impl Params {
    fn parse(text: &str) -> Self {
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

    fn get(&self, name: &str) -> Option<&str> {
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
    let (issuer, base_path, event_type) = match server_id {
        None => (
            state.public_url().to_owned(),
            "/oauth2/v1".to_owned(),
            "app.oauth2.authorize",
        ),
        Some(id) => match state.store().find_auth_server(id).await? {
            Some(s) if s.status == tollgate_core::server::Status::Active => (
                s.issuer(state.public_url()),
                format!("/oauth2/{id}/v1"),
                "app.oauth2.as.authorize",
            ),
            _ => return Err(ApiError::not_found(id, "AuthorizationServer")),
        },
    };
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
        Some(_) => Err(()),
    };
    let mut reply = Reply {
        redirect_uri,
        mode: requested_mode.unwrap_or(default_mode),
        state: params.get("state"),
        issuer,
    };
    let fail = |reply: &Reply<'_>, e: OAuthError| reply.error(&e);

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
        return Ok(fail(&reply, e));
    };
    if requested_mode.is_err() {
        let e = OAuthError::new(
            OAuthCode::UnsupportedResponseMode,
            "The response mode is not supported by the authorization server. Valid response modes: [query, fragment, form_post, okta_post_message].",
        );
        return Ok(fail(&reply, e));
    }
    if reply.mode == Mode::Query && implicit {
        reply.mode = Mode::Fragment;
        let e = OAuthError::new(
            OAuthCode::UnsupportedResponseMode,
            "'query' response mode cannot be used with either the 'id_token' or 'token' response types.",
        );
        return Ok(fail(&reply, e));
    }
    if reply.state.is_none() {
        return Ok(fail(
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
        return Ok(fail(&reply, e));
    }
    let max_age = match params.get("max_age").map(str::parse::<i64>) {
        None => None,
        Some(Ok(v)) if (0..=i64::from(i32::MAX)).contains(&v) => Some(v),
        Some(_) => {
            let e = OAuthError::new(
                OAuthCode::InvalidRequest,
                "Invalid value for 'max_age' parameter. It should be within range 0 - 2^31-1.",
            );
            return Ok(fail(&reply, e));
        }
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
    let user = signed_in.map(|s| s.user);
    let Some(user) = user else {
        if prompt.contains("none") {
            return Ok(fail(
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

    // 5. The user must be active and assigned to the app.
    let denial = if user.status != UserStatus::Active {
        Some(OAuthError::new(
            OAuthCode::AccessDenied,
            "The user is not active.",
        ))
    } else if !state
        .store()
        .is_user_assigned(app.id.as_str(), user.id.as_str())
        .await?
    {
        Some(OAuthError::new(
            OAuthCode::AccessDenied,
            "User is not assigned to the client application.",
        ))
    } else {
        None
    };
    let event = |result: Outcome, reason: Option<String>| {
        let mut e = audit
            .event(
                Entity::user(&user),
                event_type,
                "OAuth2 authorization request",
                now,
            )
            .target(Entity::app(&app))
            .outcome(result, reason)
            .debug("requestUri", format!("{base_path}/authorize"))
            .debug(
                "responseType",
                types.iter().copied().collect::<Vec<_>>().join(" "),
            )
            .debug("requestedScopes", params.get("scope").unwrap_or_default());
        e.client.client_id = Some(app.credentials.client_id.clone());
        e
    };
    let mut response = match denial {
        Some(e) => {
            state
                .store()
                .append_events(&[event(Outcome::Deny, Some(e.description.clone()))])
                .await?;
            fail(&reply, e)
        }
        None => {
            // Minting tokens (the OAuth endpoints) is not built yet; say so plainly.
            let e = OAuthError::new(
                OAuthCode::TemporarilyUnavailable,
                "The user is signed in and assigned to the application, but this server does not issue tokens yet.",
            );
            state
                .store()
                .append_events(&[event(Outcome::Failure, Some(e.description.clone()))])
                .await?;
            fail(&reply, e)
        }
    };
    if let Some(c) = set_cookie {
        response.headers_mut().insert(SET_COOKIE, c);
    }
    Ok(response)
}
