//! Tollgate's domain: typed Okta-style ids, timestamps and the clock seam, secret types, the
//! models of the management API and the rules Okta applies to them.
//!
//! This crate is pure and synchronous: it does no I/O and depends on no web framework, database
//! driver or async runtime. The server loads what a decision needs, asks this crate to decide,
//! and saves the result.
//!
//! ```
//! use tollgate_core::id::UserId;
//! let id = UserId::generate();
//! assert!(id.as_str().starts_with("00u"));
//! assert_eq!(id.as_str().len(), 20);
//! ```
#![warn(missing_docs)]

pub mod admin;
pub mod app;
pub mod authz;
pub mod client_address;
pub mod clock;
pub mod directory;
pub mod error;
pub mod expr_check;
pub mod group_rule;
pub mod id;
pub mod log;
pub mod mail;
pub mod negotiate;
pub mod oauth;
pub mod org;
pub mod password;
pub mod saml;
pub mod schema;
pub mod scim;
pub mod secret;
pub mod server;
pub mod session;
pub mod sign_in_policy;
pub mod token;
pub mod trusted_origin;

pub use clock::{Clock, Timestamp};
pub use error::{Cause, Error};
/// The Okta Expression Language, re-exported so the server reaches it only through core.
pub use tollgate_expr as expr;
