//! Users and groups: the models and the rules Okta applies to them.

pub mod group;
pub mod login;
pub mod sign_in;
pub mod subscription;
pub mod user;

pub use group::{Group, GroupType};
pub use user::{User, UserLink, UserStatus, user_links};
