//! The OAuth 2.0 / OpenID Connect endpoints: `/oauth2/v1/...` for the org authorization server
//! and `/oauth2/{authServerId}/v1/...` for custom ones. One module per endpoint.

pub mod authorize;
pub mod discovery;
pub mod error;
pub mod keys;
