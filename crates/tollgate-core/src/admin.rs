//! Admin roles and what they allow: Okta's standard role types ([`role`]), the classification
//! of a management request into an [`access::Action`] (family, read or write, target), and the
//! one authorization decision ([`decide::permits`]) every `/api/v1` call goes through.

pub mod access;
pub mod decide;
pub mod role;

#[cfg(test)]
mod tests;

pub use access::{Access, Action, Family, Op, Target, classify};
pub use decide::{Facts, Grant, needs_app_name, needs_user_groups, permits};
pub use role::{AppTarget, RoleType, TargetKind};
