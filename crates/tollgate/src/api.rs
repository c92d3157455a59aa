//! The Okta management API, `/api/v1/...`: one module per resource.

pub mod apps;
pub mod authorization_servers;
pub mod error;
pub mod groups;
pub mod health;
pub mod keys;
pub mod logs;
pub mod org;
pub mod users;

pub use error::{ApiError, ApiResult, OktaCode};
