//! OAuth decisions as pure functions: an authorize or token request validated into a typed
//! request or a typed refusal, which policy and rule of a custom authorization server let a
//! request through with which scopes and lifetimes (or why not, in words an admin can act on),
//! the code-exchange, PKCE and refresh-token rules, and the claims of each token.

pub mod authorize;
pub mod claims;
pub mod code_exchange;
pub mod decision;
pub mod error;
pub(crate) mod expr_values;
pub mod grant;
pub mod params;
pub mod pkce;
pub mod policy;
pub mod prepared;
pub mod refresh;
#[cfg(test)]
pub(crate) mod testing;
pub mod token_request;
pub mod tokens;
