//! Custom claims of a token (`oauth-endpoints.md` section 7): which claims of a custom
//! authorization server apply to this token and these scopes, and their values — expressions
//! through `tollgate-expr`, group filters over the user's groups. Null or empty values are left
//! out. Each claim can also explain itself (kept and dropped groups), which token preview shows.

mod assemble;
mod context;
mod evaluate;
#[cfg(test)]
mod tests;
mod why_empty;

use serde_json::{Map, Value};

pub use self::assemble::{Memo, assemble, assemble_compiled, assemble_compiled_with};
pub use self::context::{context, context_cached};
pub use self::evaluate::{CompiledClaims, Program, evaluate, filter_groups};
pub use self::why_empty::why_empty;
use crate::clock::Timestamp;
use crate::directory::{Group, User};

/// Claim names the server sets itself; a custom claim of the same name is ignored.
pub use crate::authz::claim::RESERVED_NAMES as RESERVED;

/// A `GROUPS` filter claim may match at most this many groups.
pub const MAX_FILTER_GROUPS: usize = 100;

/// Which token is being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// The ID token; `thin` when it is issued together with an access token (then only
    /// `alwaysIncludeInToken` identity claims ride in it).
    Id {
        /// Thin ID token.
        thin: bool,
    },
    /// The access token.
    Access,
    /// The userinfo response (every applicable identity claim).
    UserInfo,
}

/// Everything an expression may read, prepared once per token request.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    /// The user, if any.
    pub user: Option<&'a User>,
    /// The user's groups, `Everyone` included.
    pub groups: &'a [Group],
    /// The app-user's `credentials.userName` (defaults to the login), for `appuser.userName`.
    pub app_user_name: Option<&'a str>,
    /// The app.
    pub app: &'a crate::app::App,
    /// The org.
    pub org: &'a crate::org::Org,
    /// The granted scopes, ascending.
    pub scopes: &'a [String],
    /// The session id and `amr`, when a session exists.
    pub session: Option<(&'a str, &'a [String])>,
    /// Now.
    pub now: Timestamp,
}

/// A claim that could not be computed: the token request fails with `server_error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFailure {
    /// The claim's name.
    pub claim: String,
    /// Okta's `error_description`.
    pub description: String,
    /// The evaluator's message, for the System Log (`app.oauth2.as.evaluate.claim`).
    pub detail: String,
}

/// What happened to one claim, for token preview and the System Log.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimNote {
    /// The claim's name.
    pub claim: String,
    /// `included`, `omitted: empty value`, `skipped: ...`.
    pub outcome: String,
    /// For group claims: which groups were kept or dropped and why (JSON).
    pub groups: Option<Value>,
}

/// The claims of one token and the notes that explain them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assembled {
    /// Claim name to value.
    pub claims: Map<String, Value>,
    /// One note per claim considered.
    pub notes: Vec<ClaimNote>,
    /// Claims that applied but were left out because their value was null or empty (recorded
    /// even without `explain`, so the System Log can say why a claim is missing).
    pub omitted: Vec<String>,
}

/// The note of a claim that applied: `included`, or `omitted` when its value is null or empty;
/// `groups` is its evaluation's explanation.
pub fn note(claim: &str, empty: bool, groups: Option<Value>) -> ClaimNote {
    let outcome = if empty {
        "omitted: the value is null or empty"
    } else {
        "included"
    };
    ClaimNote {
        claim: claim.to_owned(),
        outcome: outcome.to_owned(),
        groups,
    }
}
