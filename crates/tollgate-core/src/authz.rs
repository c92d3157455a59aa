//! Custom authorization servers and what hangs off them: scopes, claims, access policies and
//! their rules, with Okta's validation rules (`management-api.md` section 5).
//!
//! Everything a token decision needs for one server is gathered in [`ServerConfig`], which the
//! store loads in one call (`Store::server_config`); policy and claim evaluation are pure
//! functions over it.

pub mod associated;
pub mod claim;
pub mod policy;
pub mod rule;
pub mod scope;
pub mod server;

pub use claim::{Claim, ClaimInput, ClaimType, ClaimValueType, GroupFilterType};
pub use policy::{ALL_CLIENTS, Policy, PolicyInput};
pub use rule::{EVERYONE, People, Rule, RuleInput, TokenLifetimes};
pub use scope::{Consent, MetadataPublish, Scope, ScopeInput};
pub use server::ServerInput;

use crate::Cause;
use crate::error::Error;
use crate::server::AuthServer;

/// A policy with its rules, both in ascending priority.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyWithRules {
    /// The policy.
    pub policy: Policy,
    /// Its rules, by ascending priority.
    pub rules: Vec<Rule>,
}

/// Everything a token decision needs for one server: the server, its scopes, its claims and
/// its policies with their rules (inactive ones included; the engine skips them), each list in
/// the order the engine walks it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerConfig {
    /// The server.
    pub server: AuthServer,
    /// Its scopes, by name.
    pub scopes: Vec<Scope>,
    /// Its claims, by name then type.
    pub claims: Vec<Claim>,
    /// Its policies, by ascending priority, each with its rules.
    pub policies: Vec<PolicyWithRules>,
}

/// Collects causes and turns them into one `Invalid` error whose summary is the first field.
#[derive(Debug, Default)]
pub(crate) struct Causes(Vec<Cause>);

impl Causes {
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(Cause::field(field, message));
    }

    pub(crate) fn finish(self) -> Result<(), Error> {
        match self.0.first() {
            None => Ok(()),
            Some(first) => Err(Error::Invalid {
                summary: first.field.clone().unwrap_or_default(),
                causes: self.0,
            }),
        }
    }
}

/// Trims `value`; `None` when absent or blank.
pub(crate) fn non_blank(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}
