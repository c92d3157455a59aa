//! HTTP plumbing shared by every surface: extractors whose rejections speak Okta, SSWS
//! authentication, response headers and rate limiting.

pub mod audit;
pub mod auth;
pub mod authorize;
pub mod body;
pub mod cors;
pub mod error;
pub mod headers;
pub mod invalidate;
pub mod limits;
pub mod oauth_form;
pub mod observe;
pub mod pagination;
pub mod path;
pub mod query;
pub mod rate_limit;
pub mod throttle;

pub use error::{ApiError, ApiResult, OktaCode};
