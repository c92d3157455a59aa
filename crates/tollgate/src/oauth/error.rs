//! OAuth errors (RFC 6749): the codes, and how `/authorize` delivers them: an error page when
//! the client or redirect URI cannot be trusted, a redirect back to the client otherwise.

use std::fmt;

/// An OAuth error code (RFC 6749 section 4.1.2.1 and 5.2, OpenID Connect Core 3.1.2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthCode {
    /// `access_denied`.
    AccessDenied,
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
    /// `insufficient_scope` (RFC 6750).
    InsufficientScope,
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
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::InvalidRequest => "invalid_request",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
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

/// A refusal with Okta's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// The code.
    pub code: OAuthCode,
    /// `error_description`.
    pub description: String,
}

impl OAuthError {
    /// An error.
    pub fn new(code: OAuthCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
        }
    }
}
