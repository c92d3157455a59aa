//! The Okta management API, `/api/v1/...`: one module per resource.

pub mod error;
pub mod health;
pub mod org;

pub use error::{ApiError, ApiResult, OktaCode};
