//! An authorize request, validated: the client and its exact redirect URI first (a failure
//! there is an error page, never a redirect), then response type and mode, `state`, `prompt`,
//! `max_age`, the grant the client may use, scopes, `nonce` and PKCE (a failure there goes
//! back to the client in the response mode). The result is a typed [`AuthorizeRequest`] or a
//! typed [`AuthorizeRefusal`] that says how the error travels.
//!
//! Reference: OpenID Connect Core 3.1.2.1 and 3.1.2.6; RFC 6749 4.1.1 and 4.2.1; RFC 7636
//! 4.3; `oauth-endpoints.md` section 3.

use crate::app::App;
use crate::app::vocab::{AuthMethod, GrantType};
use crate::oauth::decision::{check_known_scopes, split_scopes};
use crate::oauth::error::{OAuthCode, OAuthError, invalid_request};
use crate::oauth::params::{DUPLICATE, Params};
use crate::oauth::pkce;

/// How the response goes back to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    /// In the redirect's query string.
    Query,
    /// In the redirect's fragment.
    Fragment,
    /// An auto-submitting form posted to the redirect URI.
    FormPost,
    /// Okta's `okta_post_message`: a page that posts the response to the opener or parent
    /// window (okta-auth-js silent renew and popups).
    PostMessage,
}

impl ResponseMode {
    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "query" => Some(Self::Query),
            "fragment" => Some(Self::Fragment),
            "form_post" => Some(Self::FormPost),
            "okta_post_message" => Some(Self::PostMessage),
            _ => None,
        }
    }
}

/// Where an error goes once the client and redirect URI are trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTo {
    /// The registered redirect URI the request named.
    pub redirect_uri: String,
    /// The response mode.
    pub mode: ResponseMode,
    /// The request's `state`, echoed.
    pub state: Option<String>,
}

/// Why an authorize request was refused, and how the client hears of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeRefusal {
    /// The client or its redirect URI cannot be trusted: an error page.
    Page(OAuthError),
    /// Back to the client.
    Redirect(OAuthError, ReplyTo),
}

/// The `response_type` values asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResponseTypes {
    /// `code`.
    pub code: bool,
    /// `token`.
    pub token: bool,
    /// `id_token`.
    pub id_token: bool,
}

impl ResponseTypes {
    fn parse(raw: &str) -> Option<Self> {
        let mut out = Self::default();
        for t in raw.split(' ').filter(|s| !s.is_empty()) {
            match t {
                "code" => out.code = true,
                "token" => out.token = true,
                "id_token" => out.id_token = true,
                _ => return None,
            }
        }
        (out != Self::default()).then_some(out)
    }

    /// Whether tokens come straight from `/authorize` (implicit or hybrid).
    pub fn implicit(self) -> bool {
        self.token || self.id_token
    }

    /// The grant as policy rules name it.
    pub fn grant(self) -> GrantType {
        if self.implicit() {
            GrantType::Implicit
        } else {
            GrantType::AuthorizationCode
        }
    }

    /// The values, space-separated in ascending order.
    pub fn as_string(self) -> String {
        let all = [
            (self.code, "code"),
            (self.id_token, "id_token"),
            (self.token, "token"),
        ];
        let on: Vec<&str> = all.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect();
        on.join(" ")
    }

    fn names(self) -> impl Iterator<Item = &'static str> {
        [
            (self.code, "code"),
            (self.token, "token"),
            (self.id_token, "id_token"),
        ]
        .into_iter()
        .filter_map(|(on, n)| on.then_some(n))
    }
}

/// `prompt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prompt {
    /// `none`: never show the sign-in page.
    pub none: bool,
    /// `login`: sign in again.
    pub login: bool,
}

/// A valid authorize request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeRequest {
    /// Where and how the answer goes.
    pub reply: ReplyTo,
    /// What is asked for.
    pub response_types: ResponseTypes,
    /// `prompt`.
    pub prompt: Prompt,
    /// `max_age`, seconds.
    pub max_age: Option<i64>,
    /// The requested scopes, ascending.
    pub scopes: Vec<String>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// The S256 `code_challenge`.
    pub code_challenge: Option<String>,
}

const INVALID_CLIENT: &str = "Invalid value for 'client_id' parameter.";
const BAD_REDIRECT: &str =
    "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings";
const VALID_MODES: &str = "The response mode is not supported by the authorization server. Valid response modes: [query, fragment, form_post, okta_post_message].";
const NO_SCOPE: &str = "The authorization server resource does not have any configured default scopes, 'scope' must be provided.";
const BAD_SCOPE: &str = "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.";
/// The longest `scope` parameter accepted.
const MAX_SCOPE_LEN: usize = 1024;

/// Validates an authorize request. `app` is the active app the `client_id` names, if any;
/// `known_scope` says which scopes the authorization server has.
pub fn validate(
    params: &Params,
    app: Option<&App>,
    known_scope: &dyn Fn(&str) -> bool,
) -> Result<AuthorizeRequest, AuthorizeRefusal> {
    let page = |e: OAuthError| AuthorizeRefusal::Page(e);
    let app = app.ok_or_else(|| page(OAuthError::new(OAuthCode::InvalidClient, INVALID_CLIENT)))?;
    let redirect_uri = params
        .get("redirect_uri")
        .filter(|r| app.settings.allows_redirect(r))
        .ok_or_else(|| page(invalid_request(BAD_REDIRECT)))?;
    if params.has_duplicate() {
        return Err(page(invalid_request(DUPLICATE)));
    }
    let types = params.get("response_type").and_then(ResponseTypes::parse);
    let implicit = types.is_some_and(ResponseTypes::implicit);
    let default_mode = if implicit {
        ResponseMode::Fragment
    } else {
        ResponseMode::Query
    };
    let requested_mode = params.get("response_mode").map(ResponseMode::parse);
    let mut reply = ReplyTo {
        redirect_uri: redirect_uri.to_owned(),
        mode: requested_mode.flatten().unwrap_or(default_mode),
        state: params.get("state").map(str::to_owned),
    };
    match check_redirected(params, app, types, requested_mode, &mut reply, known_scope) {
        Ok(request) => Ok(request),
        Err(e) => Err(AuthorizeRefusal::Redirect(e, reply)),
    }
}

/// The checks whose failures go back to the client.
fn check_redirected(
    params: &Params,
    app: &App,
    types: Option<ResponseTypes>,
    requested_mode: Option<Option<ResponseMode>>,
    reply: &mut ReplyTo,
    known_scope: &dyn Fn(&str) -> bool,
) -> Result<AuthorizeRequest, OAuthError> {
    let allowed: Vec<&str> = app
        .settings
        .response_types
        .iter()
        .map(|t| t.as_str())
        .collect();
    let Some(types) = types.filter(|t| t.names().all(|n| allowed.contains(&n))) else {
        return Err(OAuthError::new(
            OAuthCode::UnsupportedResponseType,
            format!(
                "The response type is not supported by the authorization server. Configured response types: [{}].",
                allowed.join(", ")
            ),
        ));
    };
    if requested_mode == Some(None) {
        return Err(OAuthError::new(
            OAuthCode::UnsupportedResponseMode,
            VALID_MODES,
        ));
    }
    if reply.mode == ResponseMode::Query && types.implicit() {
        reply.mode = ResponseMode::Fragment;
        return Err(OAuthError::new(
            OAuthCode::UnsupportedResponseMode,
            "'query' response mode cannot be used with either the 'id_token' or 'token' response types.",
        ));
    }
    if reply.state.is_none() {
        return Err(invalid_request(
            "The authentication request has an invalid 'state' parameter.",
        ));
    }
    let prompt = parse_prompt(params.get("prompt").unwrap_or_default())?;
    let max_age = parse_max_age(params.get("max_age"))?;
    check_grant(app, types)?;
    // External identity providers are not supported: no `idp` id is valid.
    if params.get("idp").is_some() {
        return Err(invalid_request("Identity provider is not valid."));
    }
    let scopes = requested_scopes(params, types, known_scope)?;
    let nonce = params.get("nonce").map(str::to_owned);
    if types.implicit() && nonce.is_none() {
        return Err(invalid_request(
            "The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types.",
        ));
    }
    let code_challenge = pkce::challenge(
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    )?;
    let public = app.credentials.auth_method == AuthMethod::None;
    if types.code && code_challenge.is_none() && (app.credentials.pkce_required || public) {
        return Err(invalid_request(
            "PKCE code challenge is required by the application.",
        ));
    }
    Ok(AuthorizeRequest {
        reply: reply.clone(),
        response_types: types,
        prompt,
        max_age,
        scopes,
        nonce,
        code_challenge,
    })
}

/// The requested scopes: present, not too long, known to the server, `openid` for ID tokens.
fn requested_scopes(
    params: &Params,
    types: ResponseTypes,
    known_scope: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>, OAuthError> {
    let scopes = match params.get("scope") {
        None => return Err(OAuthError::new(OAuthCode::InvalidScope, NO_SCOPE)),
        Some(raw) if raw.len() > MAX_SCOPE_LEN => {
            return Err(OAuthError::new(OAuthCode::InvalidScope, BAD_SCOPE));
        }
        Some(raw) => split_scopes(raw),
    };
    check_known_scopes(&scopes, known_scope)?;
    if types.id_token && !scopes.iter().any(|s| s == "openid") {
        return Err(OAuthError::new(
            OAuthCode::InvalidScope,
            "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.",
        ));
    }
    Ok(scopes)
}

fn parse_prompt(raw: &str) -> Result<Prompt, OAuthError> {
    let mut prompt = Prompt::default();
    let mut count = 0;
    for p in raw.split(' ').filter(|s| !s.is_empty()) {
        count += 1;
        match p {
            "none" => prompt.none = true,
            "login" => prompt.login = true,
            "consent" => {}
            _ => return Err(bad_prompt()),
        }
    }
    if prompt.none && count > 1 {
        return Err(bad_prompt());
    }
    Ok(prompt)
}

fn bad_prompt() -> OAuthError {
    invalid_request(
        "Invalid value for 'prompt' parameter. Valid values: [none, login, consent, login consent].",
    )
}

fn parse_max_age(raw: Option<&str>) -> Result<Option<i64>, OAuthError> {
    match raw.map(str::parse::<i64>) {
        None => Ok(None),
        Some(Ok(v)) if (0..=i64::from(i32::MAX)).contains(&v) => Ok(Some(v)),
        Some(_) => Err(invalid_request(
            "Invalid value for 'max_age' parameter. It should be within range 0 - 2^31-1.",
        )),
    }
}

fn check_grant(app: &App, types: ResponseTypes) -> Result<(), OAuthError> {
    let grants = &app.settings.grant_types;
    if (types.code && !grants.contains(&GrantType::AuthorizationCode))
        || (types.implicit() && !grants.contains(&GrantType::Implicit))
    {
        return Err(OAuthError::new(
            OAuthCode::UnauthorizedClient,
            format!(
                "The client is not authorized to use the provided grant type. Configured grant types: [{}].",
                configured_grants(app)
            ),
        ));
    }
    Ok(())
}

/// The app's grant types, comma-separated, for Okta's error texts.
pub fn configured_grants(app: &App) -> String {
    let names: Vec<&str> = app
        .settings
        .grant_types
        .iter()
        .map(|g| g.as_str())
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod tests;
