//! A token request, validated into the grant it asks for (RFC 6749 sections 4.1.3, 4.3.2,
//! 4.4.2 and 6): the grant type must be one Tollgate serves and the client registered,
//! `client_credentials` only on custom servers, and each grant's own parameters present.
//!
//! Reference: `oauth-endpoints.md` section 4.

use crate::app::App;
use crate::app::vocab::GrantType;
use crate::oauth::authorize::configured_grants;
use crate::oauth::decision::split_scopes;
use crate::oauth::error::{OAuthCode, OAuthError, invalid_request};
use crate::oauth::params::Params;
use crate::oauth::policy::OIDC_SCOPES;
use crate::secret::Secret;

/// A valid token request.
#[derive(Debug, Clone)]
pub enum TokenRequest {
    /// `authorization_code`.
    AuthorizationCode {
        /// `code`.
        code: String,
        /// `redirect_uri`, checked against the code's.
        redirect_uri: Option<String>,
        /// `code_verifier`.
        code_verifier: Option<String>,
    },
    /// `refresh_token`.
    RefreshToken {
        /// `refresh_token`.
        refresh_token: String,
        /// `scope`, when narrowing.
        scopes: Option<Vec<String>>,
    },
    /// `password`.
    Password {
        /// `username`.
        username: String,
        /// `password`.
        password: Secret,
        /// `scope`.
        scopes: Vec<String>,
    },
    /// `client_credentials`.
    ClientCredentials {
        /// `scope`, or the server's default scopes.
        scopes: Vec<String>,
    },
}

impl TokenRequest {
    /// The grant type.
    pub fn grant_type(&self) -> GrantType {
        match self {
            Self::AuthorizationCode { .. } => GrantType::AuthorizationCode,
            Self::RefreshToken { .. } => GrantType::RefreshToken,
            Self::Password { .. } => GrantType::Password,
            Self::ClientCredentials { .. } => GrantType::ClientCredentials,
        }
    }
}

/// What the authorization server contributes to the validation.
#[derive(Debug, Clone, Copy)]
pub struct ServerView<'a> {
    /// Whether it is the org authorization server.
    pub is_org: bool,
    /// The scopes granted when a client-credentials request names none.
    pub default_scopes: &'a [String],
}

const NO_GRANT_TYPE: &str = "The token request must specify a 'grant_type'. Valid values: [authorization_code, password, refresh_token, client_credentials]";

/// Validates a token request from `app` (already authenticated).
pub fn validate(
    params: &Params,
    app: &App,
    server: ServerView<'_>,
) -> Result<TokenRequest, OAuthError> {
    let grant = grant_type(params, app, server)?;
    let required = |name: &str| {
        params
            .get(name)
            .map(str::to_owned)
            .ok_or_else(|| invalid_request(format!("The '{name}' parameter is required.")))
    };
    match grant {
        GrantType::AuthorizationCode => Ok(TokenRequest::AuthorizationCode {
            code: required("code")?,
            redirect_uri: params.get("redirect_uri").map(str::to_owned),
            code_verifier: params.get("code_verifier").map(str::to_owned),
        }),
        GrantType::RefreshToken => Ok(TokenRequest::RefreshToken {
            refresh_token: required("refresh_token")?,
            scopes: params.get("scope").map(split_scopes),
        }),
        GrantType::Password => password(params),
        GrantType::ClientCredentials | GrantType::Implicit => client_credentials(params, server),
    }
}

/// The grant type: sent, served here, and registered for the client.
fn grant_type(params: &Params, app: &App, server: ServerView<'_>) -> Result<GrantType, OAuthError> {
    let raw = params
        .get("grant_type")
        .ok_or_else(|| invalid_request(NO_GRANT_TYPE))?;
    let grant = GrantType::parse(raw).filter(|g| *g != GrantType::Implicit).ok_or_else(|| {
        OAuthError::new(
            OAuthCode::UnsupportedGrantType,
            format!(
                "The authorization grant type is not supported by the authorization server. Configured grant types: [{}].",
                configured_grants(app)
            ),
        )
    })?;
    if grant == GrantType::ClientCredentials && server.is_org {
        return Err(OAuthError::new(
            OAuthCode::UnsupportedGrantType,
            "'client_credentials' grant type can only be used with a custom authorization server.",
        ));
    }
    if !app.settings.grant_types.contains(&grant) {
        return Err(OAuthError::new(
            OAuthCode::UnauthorizedClient,
            format!(
                "The client is not authorized to use the provided grant type. Configured grant types: [{}].",
                configured_grants(app)
            ),
        ));
    }
    Ok(grant)
}

fn password(params: &Params) -> Result<TokenRequest, OAuthError> {
    let Some(raw_scope) = params.get("scope") else {
        return Err(OAuthError::new(
            OAuthCode::InvalidScope,
            "No scopes were requested.",
        ));
    };
    let (Some(username), Some(password)) = (params.get("username"), params.get("password")) else {
        return Err(invalid_request(
            "The 'username' and 'password' parameters are required.",
        ));
    };
    Ok(TokenRequest::Password {
        username: username.to_owned(),
        password: Secret::new(password),
        scopes: split_scopes(raw_scope),
    })
}

fn client_credentials(params: &Params, server: ServerView<'_>) -> Result<TokenRequest, OAuthError> {
    let scopes = match params.get("scope") {
        Some(raw) => split_scopes(raw),
        None => server.default_scopes.to_vec(),
    };
    if scopes.is_empty() {
        return Err(OAuthError::new(
            OAuthCode::InvalidScope,
            "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
        ));
    }
    if scopes
        .iter()
        .any(|s| OIDC_SCOPES.contains(&s.as_str()) && s != "groups")
    {
        return Err(OAuthError::new(
            OAuthCode::InvalidScope,
            "Cannot request 'openid' scopes using client credentials.",
        ));
    }
    Ok(TokenRequest::ClientCredentials { scopes })
}

#[cfg(test)]
mod tests;
