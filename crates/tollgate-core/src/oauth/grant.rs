//! A grant: what one authorization gave a client, remembered so the artefacts that carry it
//! (an authorization code, refresh tokens) can mint tokens later without asking again.

use crate::app::vocab::GrantType;
use crate::authz::rule::TokenLifetimes;
use crate::clock::Timestamp;

/// What was granted, to whom, by which server.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// The family id: the code, refresh tokens and access tokens of this grant share it.
    pub id: String,
    /// The authorization server (`org` for the org server).
    pub server_id: String,
    /// The client.
    pub client_id: String,
    /// The user, if any.
    pub user_id: Option<String>,
    /// The grant the policy saw (`authorization_code` or `password`); refreshes use it too.
    pub grant_type: GrantType,
    /// The granted scopes, ascending.
    pub scopes: Vec<String>,
    /// When the user authenticated.
    pub auth_time: Option<Timestamp>,
    /// How the user authenticated.
    pub amr: Vec<String>,
    /// The browser session, if any.
    pub session_id: Option<String>,
    /// The authorize request's `nonce`, for the ID token of the code exchange.
    pub nonce: Option<String>,
    /// Lifetimes from the rule that matched.
    pub lifetimes: TokenLifetimes,
    /// When it was granted.
    pub created: Timestamp,
}

impl Grant {
    /// A new grant family id.
    pub fn new_id() -> String {
        crate::id::GrantId::generate().into_string()
    }

    /// Whether `scope` was granted.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// Authorization codes live five minutes.
pub const CODE_SECS: i64 = 300;
