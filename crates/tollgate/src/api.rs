//! The Okta management API, `/api/v1/...`: one module per resource.

pub mod api_tokens;
pub mod app_id_token;
pub mod apps;
pub mod authn;
pub mod authn_recovery;
pub mod authorization_servers;
pub mod group_rules;
pub mod groups;
pub mod health;
pub mod json;
pub mod keys;
pub mod logs;
pub mod org;
pub mod policies;
pub mod refresh_tokens;
pub mod roles;
pub mod schemas;
pub mod sessions;
pub mod token_preview;
pub mod trusted_origins;
pub mod users;
