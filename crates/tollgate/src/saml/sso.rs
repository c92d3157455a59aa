//! `GET|POST /app/{appName}/{appId}/sso/saml`: SP-initiated single sign-on (an AuthnRequest
//! over the HTTP-Redirect or HTTP-POST binding) and IdP-initiated (no `SAMLRequest`). The app
//! must be an active SAML app and the request's ACS URL one it allows; without a session the
//! browser goes through the sign-in page and comes back; the user must be assigned. The answer
//! posts a signed `SAMLResponse` to the ACS URL, and the System Log records
//! `user.authentication.sso`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tollgate_core::app::{App, AppStatus};
use tollgate_core::directory::UserStatus;
use tollgate_core::log::{Entity, Result as Outcome};
use tollgate_core::saml::request::{AuthnRequest, acs_url};
use tollgate_core::saml::sign_on::SamlSignOn;

use super::app::sign_on;
use super::issue::{Grant, issue};
use super::page::{error_page, post_form};
use super::request::{Binding, decode, encode_for_redirect, parse};
use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::login::resolve::{Demands, signed_in_user};
use crate::state::AppState;

/// Why SSO answers with an error page (or, for a server fault, Okta's error JSON).
enum Refused {
    Page(StatusCode, &'static str, String),
    Api(ApiError),
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Self::Page(status, title, message) => error_page(status, title, &message),
            Self::Api(e) => e.into_response(),
        }
    }
}

/// The parameters of an SSO request.
#[derive(Debug, Default)]
struct SsoParams {
    saml_request: Option<String>,
    relay_state: Option<String>,
    session_token: Option<String>,
}

impl SsoParams {
    fn read(form: &str) -> Self {
        let mut p = Self::default();
        for (k, v) in url::form_urlencoded::parse(form.as_bytes()) {
            let slot = match k.as_ref() {
                "SAMLRequest" => &mut p.saml_request,
                "RelayState" => &mut p.relay_state,
                "sessionToken" => &mut p.session_token,
                _ => continue,
            };
            *slot = Some(v.into_owned());
        }
        p
    }
}

/// `GET /app/{appName}/{appId}/sso/saml`: HTTP-Redirect binding, or IdP-initiated.
pub async fn sso_get(
    State(state): State<AppState>,
    audit: Anonymous,
    Path((_name, id)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let params = SsoParams::read(uri.query().unwrap_or_default());
    sso(&state, &audit, &id, &headers, params, Binding::Redirect)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// `POST /app/{appName}/{appId}/sso/saml`: HTTP-POST binding.
pub async fn sso_post(
    State(state): State<AppState>,
    audit: Anonymous,
    Path((_name, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = SsoParams::read(&String::from_utf8_lossy(&body));
    sso(&state, &audit, &id, &headers, params, Binding::Post)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

fn page(status: StatusCode, title: &'static str, message: impl Into<String>) -> Refused {
    Refused::Page(status, title, message.into())
}

/// The active SAML app `id` names.
async fn saml_app(state: &AppState, id: &str) -> Result<(App, SamlSignOn), Refused> {
    let not_found = || page(StatusCode::NOT_FOUND, "Not found", "The app was not found.");
    let app = state
        .store()
        .find_app(id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(not_found)?;
    let s = sign_on(&app).ok_or_else(not_found)?;
    if app.status != AppStatus::Active {
        return Err(page(
            StatusCode::FORBIDDEN,
            "App not active",
            "This app is not active.",
        ));
    }
    Ok((app, s))
}

/// The AuthnRequest, as XML and as fields.
fn authn_request(
    p: &SsoParams,
    binding: Binding,
) -> Result<Option<(String, AuthnRequest)>, Refused> {
    let Some(raw) = p.saml_request.as_deref() else {
        return Ok(None);
    };
    let bad = |e: super::request::BadRequest| page(StatusCode::BAD_REQUEST, "Bad request", e.0);
    let xml = decode(raw, binding).map_err(bad)?;
    let request = parse(&xml).map_err(bad)?;
    Ok(Some((xml, request)))
}

async fn sso(
    state: &AppState,
    audit: &Anonymous,
    id: &str,
    headers: &HeaderMap,
    p: SsoParams,
    binding: Binding,
) -> Result<Response, Refused> {
    let (app, s) = saml_app(state, id).await?;
    let request = authn_request(&p, binding)?;
    let acs = acs_url(request.as_ref().map(|(_, r)| r), &s)
        .map_err(|r| page(StatusCode::BAD_REQUEST, "Bad request", r.message()))?;
    // ForceAuthn (when the app honours it) wants a sign-in made for this request: the session
    // token the sign-in page comes back with, not an older session.
    let force = s.honor_force_authn && request.as_ref().is_some_and(|(_, r)| r.force_authn);
    let demands = Demands {
        session_token: p.session_token.as_deref(),
        force_login: force,
        max_age: None,
    };
    let Some(signed_in) = signed_in_user(state, audit, headers, demands).await? else {
        return Ok(sign_in_first(
            &app,
            request.as_ref().map(|(x, _)| x.as_str()),
            &p,
        ));
    };
    let relay_state = match &request {
        Some(_) => p.relay_state.clone(),
        None => p
            .relay_state
            .clone()
            .or_else(|| s.default_relay_state.clone()),
    };
    let grant = Grant {
        app: &app,
        sign_on: &s,
        request: request.as_ref().map(|(_, r)| r),
        acs_url: &acs,
        user: &signed_in.user,
        session: &signed_in.session,
    };
    let mut r = answer(state, audit, &grant, relay_state.as_deref()).await?;
    if let Some(c) = signed_in.set_cookie {
        r.headers_mut().append(SET_COOKIE, c);
    }
    Ok(r)
}

/// The user must be active and assigned; then the response is issued and logged.
async fn answer(
    state: &AppState,
    audit: &Anonymous,
    g: &Grant<'_>,
    relay_state: Option<&str>,
) -> Result<Response, Refused> {
    let assigned = state
        .store()
        .is_user_assigned(g.app.id.as_str(), g.user.id.as_str())
        .await
        .map_err(ApiError::from)?;
    let refusal = match (g.user.status == UserStatus::Active, assigned) {
        (false, _) => Some("The user is not active."),
        (true, false) => Some("The user is not assigned to this app."),
        (true, true) => None,
    };
    if let Some(reason) = refusal {
        log(state, audit, g, Outcome::Deny, Some(reason.to_owned())).await;
        return Err(page(
            StatusCode::FORBIDDEN,
            "Sorry, you can't access this app",
            format!("{reason} Ask your administrator to assign it to you."),
        ));
    }
    let saml_response = issue(state, g).await?;
    log(state, audit, g, Outcome::Success, None).await;
    Ok(post_form(g.acs_url, &saml_response, relay_state))
}

async fn log(
    state: &AppState,
    audit: &Anonymous,
    g: &Grant<'_>,
    outcome: Outcome,
    reason: Option<String>,
) {
    let event = audit
        .event(
            Entity::user(g.user),
            "user.authentication.sso",
            "User single sign on to app",
            state.clock().now(),
        )
        .target(Entity::app(g.app))
        .outcome(outcome, reason)
        .debug(
            "initiatedBy",
            if g.request.is_some() { "SP" } else { "IdP" },
        );
    state.events().record(vec![event]).await;
}

/// No session: the sign-in page, which comes back here with the request (re-encoded for the
/// HTTP-Redirect binding) and a one-time session token.
fn sign_in_first(app: &App, request_xml: Option<&str>, p: &SsoParams) -> Response {
    let mut back = url::form_urlencoded::Serializer::new(String::new());
    if let Some(encoded) = request_xml.and_then(encode_for_redirect) {
        back.append_pair("SAMLRequest", &encoded);
    }
    if let Some(rs) = &p.relay_state {
        back.append_pair("RelayState", rs);
    }
    let query = back.finish();
    let mut from = format!("/app/{}/{}/sso/saml", app.name(), app.id);
    if !query.is_empty() {
        from.push('?');
        from.push_str(&query);
    }
    let login = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("fromURI", &from)
        .finish();
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/login?{login}")) {
        r.headers_mut().insert(LOCATION, v);
    }
    r
}
