//! OAuth errors (RFC 6749 sections 4.1.2.1 and 5.2, RFC 6750 section 3.1, OpenID Connect Core
//! 3.1.2.6): the codes, and a refusal that pairs what the client is told with what the System
//! Log says. Core decisions return these; the server decides how they travel (JSON, an error
//! page, or a redirect in the response mode).

use std::fmt;

/// An OAuth error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthCode {
    /// `access_denied`.
    AccessDenied,
    /// `insufficient_scope` (RFC 6750).
    InsufficientScope,
    /// `invalid_client`.
    InvalidClient,
    /// `invalid_grant`.
    InvalidGrant,
    /// `invalid_request`.
    InvalidRequest,
    /// `invalid_scope`.
    InvalidScope,
    /// `invalid_token` (RFC 6750).
    InvalidToken,
    /// `login_required`.
    LoginRequired,
    /// `server_error`.
    ServerError,
    /// `temporarily_unavailable`.
    TemporarilyUnavailable,
    /// `unauthorized_client`.
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `unsupported_response_mode`.
    UnsupportedResponseMode,
    /// `unsupported_response_type`.
    UnsupportedResponseType,
}

impl OAuthCode {
    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessDenied => "access_denied",
            Self::InsufficientScope => "insufficient_scope",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::InvalidRequest => "invalid_request",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidToken => "invalid_token",
            Self::LoginRequired => "login_required",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseMode => "unsupported_response_mode",
            Self::UnsupportedResponseType => "unsupported_response_type",
        }
    }
}

impl fmt::Display for OAuthCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refusal: the code and Okta's words for the client, and the reason for the System Log
/// (which may say more than the client is told).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// The code.
    pub code: OAuthCode,
    /// `error_description`.
    pub description: String,
    /// What the System Log says; `None` means the description.
    pub reason: Option<String>,
}

impl OAuthError {
    /// A refusal whose log reason is its description.
    pub fn new(code: OAuthCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            reason: None,
        }
    }

    /// With a more detailed log reason.
    #[must_use]
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// What the System Log says.
    pub fn log_reason(&self) -> &str {
        self.reason.as_deref().unwrap_or(&self.description)
    }
}

/// Shorthand for `invalid_request` with Okta's words.
pub fn invalid_request(description: impl Into<String>) -> OAuthError {
    OAuthError::new(OAuthCode::InvalidRequest, description)
}
