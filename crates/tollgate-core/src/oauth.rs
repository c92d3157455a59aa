//! OAuth decisions as pure functions: which policy and rule of a custom authorization server
//! let a request through, with which scopes and lifetimes — or why not, in words an admin can
//! act on.

pub mod claims;
pub mod grant;
pub mod policy;
pub mod prepared;
pub mod tokens;
