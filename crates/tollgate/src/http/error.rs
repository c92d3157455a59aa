//! Okta's error model for every `/api/v1` response: `errorCode`, `errorSummary`, `errorLink`,
//! `errorId`, `errorCauses`.

use std::sync::Arc;

use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tollgate_core::id::error_id;

/// The Okta error codes we emit, sorted. Each doc line: code, status, Okta's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OktaCode {
    /// E0000001, 400: "Api validation failed: {0}".
    E0000001,
    /// E0000003, 400: "The request body was not well-formed."
    E0000003,
    /// E0000004, 401: "Authentication failed".
    E0000004,
    /// E0000005, 403: "Invalid session".
    E0000005,
    /// E0000006, 403: "You do not have permission to perform the requested action".
    E0000006,
    /// E0000007, 404: "Not found: Resource not found: {id} ({Type})".
    E0000007,
    /// E0000008, 404: "The requested path was not found".
    E0000008,
    /// E0000009, 500: "Internal Server Error".
    E0000009,
    /// E0000011, 401: "Invalid token provided".
    E0000011,
    /// E0000014, 403: "Update of credentials failed".
    E0000014,
    /// E0000016, 403: "Activation failed because the user is already active".
    E0000016,
    /// E0000022, 405: "The endpoint does not support the provided HTTP method".
    E0000022,
    /// E0000029, 400: "Invalid paging request." (an `after` cursor that names nothing).
    E0000029,
    /// E0000031, 400: "Invalid search criteria.".
    E0000031,
    /// E0000032, 403: "Unlock is not allowed for this user.".
    E0000032,
    /// E0000038, 403: "This operation is not allowed in the user's current status.".
    E0000038,
    /// E0000047, 429: "API call exceeded rate limit due to too many requests.".
    E0000047,
    /// E0000053, 400: "Invalid filter" (System Log queries; free text).
    E0000053,
    /// E0000056, 403: "Delete application forbidden.".
    E0000056,
    /// E0000080, 403: "The password does not meet the complexity requirements of the current
    /// password policy."
    E0000080,
    /// E0000087, 401: "The recovery question answer did not match our records.".
    E0000087,
    /// E0000090, 409: "Duplicate role assignment exception".
    E0000090,
}

impl OktaCode {
    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::E0000001 => "E0000001",
            Self::E0000003 => "E0000003",
            Self::E0000004 => "E0000004",
            Self::E0000005 => "E0000005",
            Self::E0000006 => "E0000006",
            Self::E0000007 => "E0000007",
            Self::E0000008 => "E0000008",
            Self::E0000009 => "E0000009",
            Self::E0000011 => "E0000011",
            Self::E0000014 => "E0000014",
            Self::E0000016 => "E0000016",
            Self::E0000022 => "E0000022",
            Self::E0000029 => "E0000029",
            Self::E0000031 => "E0000031",
            Self::E0000032 => "E0000032",
            Self::E0000038 => "E0000038",
            Self::E0000047 => "E0000047",
            Self::E0000053 => "E0000053",
            Self::E0000056 => "E0000056",
            Self::E0000080 => "E0000080",
            Self::E0000087 => "E0000087",
            Self::E0000090 => "E0000090",
        }
    }

    /// The HTTP status Okta answers with.
    pub fn status(self) -> StatusCode {
        match self {
            Self::E0000001 | Self::E0000003 | Self::E0000029 | Self::E0000031 | Self::E0000053 => {
                StatusCode::BAD_REQUEST
            }
            Self::E0000004 | Self::E0000011 | Self::E0000087 => StatusCode::UNAUTHORIZED,
            Self::E0000005
            | Self::E0000006
            | Self::E0000014
            | Self::E0000016
            | Self::E0000032
            | Self::E0000038
            | Self::E0000056
            | Self::E0000080 => StatusCode::FORBIDDEN,
            Self::E0000007 | Self::E0000008 => StatusCode::NOT_FOUND,
            Self::E0000009 => StatusCode::INTERNAL_SERVER_ERROR,
            Self::E0000022 => StatusCode::METHOD_NOT_ALLOWED,
            Self::E0000047 => StatusCode::TOO_MANY_REQUESTS,
            Self::E0000090 => StatusCode::CONFLICT,
        }
    }

    /// Okta's summary for codes whose summary has no parameter.
    pub fn summary(self) -> &'static str {
        match self {
            Self::E0000001 => "Api validation failed",
            Self::E0000003 => "The request body was not well-formed.",
            Self::E0000004 => "Authentication failed",
            Self::E0000005 => "Invalid session",
            Self::E0000006 => "You do not have permission to perform the requested action",
            Self::E0000007 => "Not found: Resource not found",
            Self::E0000008 => "The requested path was not found",
            Self::E0000009 => "Internal Server Error",
            Self::E0000011 => "Invalid token provided",
            Self::E0000014 => "Update of credentials failed",
            Self::E0000016 => "Activation failed because the user is already active",
            Self::E0000022 => "The endpoint does not support the provided HTTP method",
            Self::E0000029 => "Invalid paging request.",
            Self::E0000031 => "Invalid search criteria.",
            Self::E0000032 => "Unlock is not allowed for this user.",
            Self::E0000038 => "This operation is not allowed in the user's current status.",
            Self::E0000047 => "API call exceeded rate limit due to too many requests.",
            Self::E0000053 => "Invalid filter",
            Self::E0000056 => "Delete application forbidden.",
            Self::E0000080 => {
                "The password does not meet the complexity requirements of the current password policy."
            }
            Self::E0000087 => "The recovery question answer did not match our records.",
            Self::E0000090 => "Duplicate role assignment exception",
        }
    }
}

/// An internal failure's details, carried to the logging middleware in the response
/// extensions so they are logged once, with the request's span, and never sent to the client.
#[derive(Debug, Clone)]
pub struct InternalDetails(pub Arc<String>);

/// An error answered in Okta's shape.
#[derive(Debug)]
pub struct ApiError {
    /// The code.
    pub code: OktaCode,
    /// `errorSummary`.
    pub summary: String,
    /// `errorCauses[].errorSummary`.
    pub causes: Vec<String>,
    internal: Option<String>,
    /// `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` for a throttled request.
    rate_limit: Option<(u64, u64, i64)>,
    /// 503 with `Retry-After` instead of the code's status: the server is overloaded.
    busy: bool,
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with Okta's standard summary for `code`.
    pub fn new(code: OktaCode) -> Self {
        Self {
            code,
            summary: code.summary().to_owned(),
            causes: Vec::new(),
            internal: None,
            rate_limit: None,
            busy: false,
        }
    }

    /// An error with a specific summary.
    pub fn with_summary(code: OktaCode, summary: impl Into<String>) -> Self {
        Self {
            code,
            summary: summary.into(),
            causes: Vec::new(),
            internal: None,
            rate_limit: None,
            busy: false,
        }
    }

    /// `E0000007` for an object that does not exist; `what` is Okta's type name.
    pub fn not_found(id: &str, what: &str) -> Self {
        Self::with_summary(
            OktaCode::E0000007,
            format!("Not found: Resource not found: {id} ({what})"),
        )
    }

    /// `E0000001` with one cause on `field`.
    pub fn invalid(field: &str, message: &str) -> Self {
        let mut e = Self::with_summary(
            OktaCode::E0000001,
            format!("Api validation failed: {field}"),
        );
        e.causes.push(format!("{field}: {message}"));
        e
    }

    /// Adds the three `X-Rate-Limit-*` headers (limit, remaining, reset in Unix seconds).
    #[must_use]
    pub fn rate_limit(mut self, limit: u64, remaining: u64, reset: i64) -> Self {
        self.rate_limit = Some((limit, remaining, reset));
        self
    }

    /// `E0000009` answered as 503 with `Retry-After: 1`: no database connection became free in
    /// time. Nothing was changed; the client may retry.
    pub fn busy() -> Self {
        let mut e = Self::with_summary(
            OktaCode::E0000009,
            "Service unavailable: the server is busy, retry shortly",
        );
        e.busy = true;
        e
    }

    /// Whether this is [`ApiError::busy`].
    pub fn is_busy(&self) -> bool {
        self.busy
    }

    /// `E0000009`: the client sees a generic body; `details` go to the server log.
    pub fn internal(details: impl std::fmt::Display) -> Self {
        let mut e = Self::new(OktaCode::E0000009);
        e.internal = Some(details.to_string());
        e
    }
}

impl From<tollgate_core::Error> for ApiError {
    fn from(e: tollgate_core::Error) -> Self {
        match e {
            tollgate_core::Error::NotFound { what, id } => Self::not_found(&id, what),
            tollgate_core::Error::Invalid { summary, causes } => {
                let mut err = Self::with_summary(
                    OktaCode::E0000001,
                    format!("Api validation failed: {summary}"),
                );
                err.causes = causes.iter().map(ToString::to_string).collect();
                err
            }
            tollgate_core::Error::WrongState(_) => Self::new(OktaCode::E0000038),
            tollgate_core::Error::Forbidden => Self::new(OktaCode::E0000006),
            tollgate_core::Error::AlreadyActive => Self::new(OktaCode::E0000016),
        }
    }
}

impl From<tollgate_store::Error> for ApiError {
    fn from(e: tollgate_store::Error) -> Self {
        match e {
            tollgate_store::Error::BadFilter(_) => Self::new(OktaCode::E0000031),
            tollgate_store::Error::Busy => {
                crate::telemetry::record::database_acquire_timeout();
                Self::busy()
            }
            other => Self::internal(other),
        }
    }
}

/// `E0000001` for a unique field already taken, in Okta's words.
pub fn already_exists(field: &str) -> ApiError {
    ApiError::invalid(
        field,
        "An object with this field already exists in the current organization",
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "errorCode": self.code.as_str(),
            "errorSummary": self.summary,
            "errorLink": self.code.as_str(),
            "errorId": error_id(),
            "errorCauses": self.causes.iter().map(|c| json!({"errorSummary": c})).collect::<Vec<_>>(),
        });
        let status = if self.busy {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            self.code.status()
        };
        let mut response = (status, Json(body)).into_response();
        if self.busy {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from_static("1"));
        }
        if let Some((limit, remaining, reset)) = self.rate_limit {
            let h = response.headers_mut();
            h.insert("x-rate-limit-limit", HeaderValue::from(limit));
            h.insert("x-rate-limit-remaining", HeaderValue::from(remaining));
            h.insert("x-rate-limit-reset", HeaderValue::from(reset));
        }
        if let Some(details) = self.internal {
            response
                .extensions_mut()
                .insert(InternalDetails(Arc::new(details)));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn internal_errors_keep_details_out_of_the_body() {
        let response = ApiError::internal("connection refused to db at 10.0.0.1").into_response();
        assert_eq!(response.status(), 500);
        let details = response
            .extensions()
            .get::<InternalDetails>()
            .map(|d| d.0.to_string());
        assert_eq!(
            details.as_deref(),
            Some("connection refused to db at 10.0.0.1")
        );
        let body = axum::body::to_bytes(response.into_body(), 10_000)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["errorCode"], "E0000009");
        assert!(!body.to_string().contains("10.0.0.1"));
    }

    #[test]
    fn every_code_maps_to_its_documented_status() {
        let table = [
            (OktaCode::E0000001, 400),
            (OktaCode::E0000003, 400),
            (OktaCode::E0000004, 401),
            (OktaCode::E0000005, 403),
            (OktaCode::E0000006, 403),
            (OktaCode::E0000007, 404),
            (OktaCode::E0000008, 404),
            (OktaCode::E0000009, 500),
            (OktaCode::E0000011, 401),
            (OktaCode::E0000014, 403),
            (OktaCode::E0000016, 403),
            (OktaCode::E0000022, 405),
            (OktaCode::E0000031, 400),
            (OktaCode::E0000032, 403),
            (OktaCode::E0000038, 403),
            (OktaCode::E0000047, 429),
            (OktaCode::E0000053, 400),
            (OktaCode::E0000056, 403),
            (OktaCode::E0000080, 403),
            (OktaCode::E0000087, 401),
            (OktaCode::E0000090, 409),
        ];
        for (code, status) in table {
            assert_eq!(code.status().as_u16(), status, "{code:?}");
            assert_eq!(code.as_str(), format!("{code:?}"));
        }
    }
}
