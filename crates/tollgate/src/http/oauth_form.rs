//! The one extractor of every OAuth endpoint: the request's parameters from the query string
//! (`GET`) or an `application/x-www-form-urlencoded` body (`POST`), and the client credentials
//! it presents, from an HTTP Basic header or the body, never the query string (RFC 6749
//! sections 2.3.1 and 3.1). Rejections are OAuth JSON errors, never cached.
//!
//! Reference: RFC 6749 sections 2.3 and 5.2; `oauth-endpoints.md` section 4.1.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use tollgate_core::app::vocab::AuthMethod;
use tollgate_core::oauth::error::{OAuthCode, OAuthError, invalid_request};
use tollgate_core::oauth::params::Params;

/// An OAuth error as JSON (RFC 6749 5.2), with `Cache-Control: no-store`.
pub fn oauth_json(error: &OAuthError, status: StatusCode) -> Response {
    let body = json!({"error": error.code.as_str(), "error_description": error.description});
    let mut resp = (status, Json(body)).into_response();
    no_store(&mut resp);
    resp
}

/// `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 5.1).
pub fn no_store(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(PRAGMA, HeaderValue::from_static("no-cache"));
}

/// A malformed OAuth request: 400 `invalid_request`.
#[derive(Debug)]
pub struct FormRejection(pub OAuthError);

impl IntoResponse for FormRejection {
    fn into_response(self) -> Response {
        oauth_json(&self.0, StatusCode::BAD_REQUEST)
    }
}

/// The parameters of an OAuth request and the credentials it carries.
#[derive(Debug, Default)]
pub struct OAuthForm {
    /// The parameters (query for `GET`, body for `POST`).
    pub params: Params,
    /// The Basic credentials of the `Authorization` header, still encoded.
    basic: Option<String>,
    /// Whether the query string carries a client secret or assertion.
    secret_in_query: bool,
}

/// The client credentials a request presented.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// `client_id`.
    pub client_id: String,
    /// The secret, if any.
    pub secret: Option<String>,
    /// How they were presented.
    pub method: AuthMethod,
}

fn is_form(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

impl<S: Send + Sync> FromRequest<S> for OAuthForm {
    type Rejection = FormRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let query = req.uri().query().unwrap_or_default().to_owned();
        let basic = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Basic ")
                    .or_else(|| v.strip_prefix("basic "))
            })
            .map(|v| v.trim().to_owned());
        let query_params = Params::parse(&query);
        let secret_in_query =
            query_params.contains("client_secret") || query_params.contains("client_assertion");
        let params = if req.method() == Method::POST {
            if !is_form(&req) {
                return Err(FormRejection(invalid_request(
                    "The request must be sent with Content-Type: application/x-www-form-urlencoded.",
                )));
            }
            let body = Bytes::from_request(req, state).await.map_err(|_| {
                FormRejection(invalid_request("The request body could not be read."))
            })?;
            Params::parse(&String::from_utf8_lossy(&body))
        } else {
            query_params
        };
        Ok(Self {
            params,
            basic,
            secret_in_query,
        })
    }
}

/// RFC 6749 2.3.1: both parts of Basic credentials are form-urlencoded before joining.
fn form_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

impl OAuthForm {
    /// Okta's refusal of a repeated parameter.
    pub fn reject_duplicates(&self) -> Result<(), OAuthError> {
        if self.params.has_duplicate() {
            return Err(invalid_request(tollgate_core::oauth::params::DUPLICATE));
        }
        Ok(())
    }

    /// Whether the request authenticated with HTTP Basic (its 401s carry a challenge).
    pub fn used_basic(&self) -> bool {
        self.basic.is_some()
    }

    /// The client credentials: from the Basic header or the body, not both, never the query.
    pub fn client_credentials(&self) -> Result<ClientCredentials, OAuthError> {
        if self.secret_in_query
            || (self.basic.is_some() && self.params.get("client_secret").is_some())
        {
            return Err(invalid_request(
                "Client credentials cannot be supplied via query parameters.",
            ));
        }
        if let Some(encoded) = &self.basic {
            let malformed = || {
                OAuthError::new(
                    OAuthCode::InvalidClient,
                    "Found Authentication header but was not valid client credentials.",
                )
            };
            let decoded = STANDARD
                .decode(encoded)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(malformed)?;
            let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
            return Ok(ClientCredentials {
                client_id: form_decode(id),
                secret: Some(form_decode(secret)),
                method: AuthMethod::ClientSecretBasic,
            });
        }
        let id = self.params.get("client_id").ok_or_else(|| {
            OAuthError::new(OAuthCode::InvalidClient, "No client credentials found.")
        })?;
        let secret = self.params.get("client_secret").map(str::to_owned);
        Ok(ClientCredentials {
            client_id: id.to_owned(),
            method: if secret.is_some() {
                AuthMethod::ClientSecretPost
            } else {
                AuthMethod::None
            },
            secret,
        })
    }
}
