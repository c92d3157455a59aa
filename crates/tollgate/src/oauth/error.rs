//! The one error surface of the OAuth endpoints: a [`Refusal`] is a core [`OAuthError`] plus
//! its HTTP status and how it travels: JSON (`/token`, `/introspect`, `/revoke`, with a
//! `WWW-Authenticate: Basic` challenge when the client authenticated that way), a Bearer
//! challenge (`/userinfo`), an error page (an `/authorize` request whose client or redirect URI
//! cannot be trusted), a redirect in the response mode, or Okta's management-API error (an
//! unknown or inactive authorization server is Okta's 404).
//!
//! Reference: RFC 6749 sections 4.1.2.1 and 5.2; RFC 6750 section 3.

use axum::http::header::{ACCEPT, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tollgate_core::oauth::authorize::ReplyTo;
pub use tollgate_core::oauth::error::{OAuthCode, OAuthError};

use crate::http::ApiError;
use crate::http::oauth_form::{FormRejection, oauth_json};
use crate::oauth::reply;

/// Okta's words for an unexpected failure.
pub const SERVER_ERROR: &str = "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.";

/// How a refusal reaches the client.
#[derive(Debug)]
pub enum Delivery {
    /// An OAuth JSON error; `basic` adds the HTTP Basic challenge to a 401.
    Json {
        /// The request authenticated with HTTP Basic.
        basic: bool,
    },
    /// An OAuth JSON error with a Bearer challenge (RFC 6750 3).
    Bearer,
    /// An error page (JSON when the caller asks for it).
    Page {
        /// The caller accepts `application/json`.
        json: bool,
    },
    /// A redirect to the client in its response mode, with `state` and `iss`.
    Redirect {
        /// Where and how.
        to: ReplyTo,
        /// The issuer (RFC 9207 `iss`).
        issuer: String,
    },
    /// Okta's management-API error as it is.
    Api(ApiError),
}

/// A refusal on the OAuth endpoints.
#[derive(Debug)]
pub struct Refusal {
    /// What the client is told and what the System Log says.
    pub error: OAuthError,
    /// The HTTP status where the refusal is not a redirect.
    pub status: StatusCode,
    /// How it travels (boxed: the redirect and API forms are large, the common JSON one small).
    pub delivery: Box<Delivery>,
}

fn default_status(code: OAuthCode) -> StatusCode {
    match code {
        OAuthCode::InvalidClient | OAuthCode::InvalidToken => StatusCode::UNAUTHORIZED,
        OAuthCode::InsufficientScope => StatusCode::FORBIDDEN,
        OAuthCode::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    }
}

impl From<OAuthError> for Refusal {
    fn from(error: OAuthError) -> Self {
        Self {
            status: default_status(error.code),
            error,
            delivery: Box::new(Delivery::Json { basic: false }),
        }
    }
}

impl Refusal {
    /// A JSON refusal whose log reason is its description.
    pub fn new(code: OAuthCode, description: impl Into<String>) -> Self {
        OAuthError::new(code, description).into()
    }

    /// With a more detailed log reason.
    #[must_use]
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.error.reason = Some(reason.into());
        self
    }

    /// With another HTTP status.
    #[must_use]
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// Delivered another way.
    #[must_use]
    pub fn delivered(mut self, delivery: Delivery) -> Self {
        self.delivery = Box::new(delivery);
        self
    }

    /// An error page for an `/authorize` request (JSON when `headers` ask for it).
    pub fn page(error: OAuthError, headers: &HeaderMap) -> Self {
        let json = headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json"));
        Self::from(error)
            .with_status(StatusCode::BAD_REQUEST)
            .delivered(Delivery::Page { json })
    }

    /// An unexpected failure: logged in full on the server, generic to the client.
    pub fn internal(details: impl std::fmt::Display) -> Self {
        tracing::error!(error = %details, "OAuth request failed");
        Self::new(OAuthCode::ServerError, SERVER_ERROR)
            .with_status(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// `temporarily_unavailable` (503): no database connection became free in time.
    pub fn busy() -> Self {
        tracing::warn!("OAuth request refused: no database connection became free in time");
        Self::new(
            OAuthCode::TemporarilyUnavailable,
            "The server is busy; retry shortly.",
        )
        .with_status(StatusCode::SERVICE_UNAVAILABLE)
    }

    /// What the System Log says.
    pub fn reason(&self) -> &str {
        self.error.log_reason()
    }
}

impl From<ApiError> for Refusal {
    /// A management-API error met on an OAuth path: an unexpected failure becomes OAuth's
    /// `server_error`; anything else (an unknown server's 404, a 429) is answered as it is.
    fn from(e: ApiError) -> Self {
        if e.is_busy() {
            return Self::busy();
        }
        let status = e.code.status();
        if status.is_server_error() {
            return Self::internal(format!("{e:?}"));
        }
        Self::new(OAuthCode::ServerError, SERVER_ERROR)
            .because(format!("{e:?}"))
            .with_status(status)
            .delivered(Delivery::Api(e))
    }
}

impl From<FormRejection> for Refusal {
    fn from(r: FormRejection) -> Self {
        r.0.into()
    }
}

impl From<tollgate_store::Error> for Refusal {
    fn from(e: tollgate_store::Error) -> Self {
        match e {
            tollgate_store::Error::Busy => {
                crate::telemetry::record::database_acquire_timeout();
                Self::busy()
            }
            other => Self::internal(other),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let e = &self.error;
        match *self.delivery {
            Delivery::Json { basic } => {
                let mut resp = oauth_json(e, self.status);
                if basic && self.status == StatusCode::UNAUTHORIZED {
                    resp.headers_mut().insert(
                        WWW_AUTHENTICATE,
                        HeaderValue::from_static("Basic realm=\"Tollgate\""),
                    );
                }
                resp
            }
            Delivery::Bearer => {
                let mut resp = oauth_json(e, self.status);
                let challenge = format!(
                    "Bearer error=\"{}\", error_description=\"{}\"",
                    e.code.as_str(),
                    e.description.trim_end_matches('.')
                );
                if let Ok(v) = HeaderValue::from_str(&challenge) {
                    resp.headers_mut().insert(WWW_AUTHENTICATE, v);
                }
                resp
            }
            Delivery::Page { json: true } => {
                let body = json!({"error": e.code.as_str(), "error_description": e.description});
                (self.status, axum::Json(body)).into_response()
            }
            Delivery::Page { json: false } => {
                let html = crate::login::page::error_html(e.code.as_str(), &e.description);
                crate::pages::html_response(self.status, html)
            }
            Delivery::Redirect { to, issuer } => reply::send(
                &to,
                &issuer,
                &[
                    ("error", e.code.as_str()),
                    ("error_description", &e.description),
                ],
            ),
            Delivery::Api(api) => api.into_response(),
        }
    }
}
