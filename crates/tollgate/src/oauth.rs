//! The OAuth 2.0 / OpenID Connect endpoints: `/oauth2/v1/...` for the org authorization server
//! and `/oauth2/{authServerId}/v1/...` for custom ones. One module per endpoint and one per
//! grant; the rules are core's (`tollgate_core::oauth`), and these handlers load, call core,
//! save and respond.
//!
//! A token request reads top to bottom in four files: [`token`] (the endpoint), one file of
//! [`grant`], [`decide`] (assignment and policy) and [`mint`] (claims and signatures).
//! [`server`] says which authorization server answers, [`error`] is the one error surface and
//! [`reply`] the response modes of `/authorize`.

pub mod authorize;
pub mod client_auth;
pub mod decide;
pub mod discovery;
pub mod error;
pub mod grant;
pub mod inspect;
pub mod introspect;
pub mod keys;
pub mod logout;
pub mod mint;
pub mod reply;
pub mod revoke;
pub mod server;
pub mod token;
pub mod userinfo;
