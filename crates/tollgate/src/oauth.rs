//! The OAuth 2.0 / OpenID Connect endpoints: `/oauth2/v1/...` for the org authorization server
//! and `/oauth2/{authServerId}/v1/...` for custom ones. One module per endpoint; [`issue`] is
//! what they share (deciding and minting).

pub mod authorize;
pub mod client_auth;
pub mod discovery;
pub mod error;
pub mod inspect;
pub mod introspect;
pub mod issue;
pub mod keys;
pub mod logout;
pub mod token;
pub mod userinfo;
