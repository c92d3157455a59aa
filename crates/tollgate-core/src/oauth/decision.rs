//! What an authorization server grants a request: the scopes (and those a policy dropped), the
//! token lifetimes and the policy and rule that matched. The org authorization server has no
//! policies: it grants every scope it knows with Okta's fixed lifetimes; a custom server's
//! decision comes from [`super::policy::evaluate`].
//!
//! Reference: `oauth-endpoints.md` sections 5 and 6.

use crate::authz::rule::TokenLifetimes;
use crate::log::LogEvent;
use crate::oauth::error::{OAuthCode, OAuthError};
use crate::oauth::policy::{Denied, Granted, POLICY_FAILED};

/// Okta's words for a scope the server does not have.
pub const SCOPE_NOT_CONFIGURED: &str =
    "One or more scopes are not configured for the authorization server resource.";
/// Okta's words when the user is not assigned.
pub const NOT_ASSIGNED: &str = "User is not assigned to the client application.";

/// Org-server access tokens live an hour.
const ORG_ACCESS_MINUTES: i64 = 60;
/// Org-server refresh tokens live 90 days, and so does their idle window.
const ORG_REFRESH_MINUTES: i64 = 90 * 24 * 60;

/// The org authorization server's token lifetimes (not configurable in Okta).
pub const ORG_LIFETIMES: TokenLifetimes = TokenLifetimes {
    access_minutes: ORG_ACCESS_MINUTES,
    refresh_minutes: ORG_REFRESH_MINUTES,
    refresh_window_minutes: ORG_REFRESH_MINUTES,
};

/// What the server decided to grant.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Granted scopes, ascending.
    pub scopes: Vec<String>,
    /// Requested scopes the policy dropped.
    pub dropped: Vec<String>,
    /// Token lifetimes.
    pub lifetimes: TokenLifetimes,
    /// The policy that matched (custom servers): id and name.
    pub policy: Option<(String, String)>,
    /// The rule that matched: id and name.
    pub rule: Option<(String, String)>,
    /// What the policy engine looked at, in order (custom servers).
    pub trail: Vec<String>,
}

impl Decision {
    /// The org server's decision: every requested scope (already checked to exist).
    pub fn org_server(requested: &[String]) -> Self {
        Self::remembered(requested.to_vec(), ORG_LIFETIMES)
    }

    /// A decision made earlier and remembered by a grant (the code exchange).
    pub fn remembered(scopes: Vec<String>, lifetimes: TokenLifetimes) -> Self {
        Self {
            scopes,
            dropped: Vec::new(),
            lifetimes,
            policy: None,
            rule: None,
            trail: Vec::new(),
        }
    }

    /// A custom server's decision from its policy engine.
    pub fn from_policy(granted: Granted) -> Self {
        Self {
            scopes: granted.scopes,
            dropped: granted.dropped,
            lifetimes: granted.lifetimes,
            policy: Some((granted.policy_id, granted.policy_name)),
            rule: Some((granted.rule_id, granted.rule_name)),
            trail: granted.trail,
        }
    }

    /// Whether `scope` was granted.
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// The granted scopes, space-separated.
    pub fn scope_string(&self) -> String {
        self.scopes.join(" ")
    }

    /// The decision as System Log debug data.
    pub fn debug(&self, mut e: LogEvent) -> LogEvent {
        e = e.debug("grantedScopes", self.scopes.join(", "));
        if let Some((id, name)) = &self.policy {
            e = e
                .debug("policyId", id.as_str())
                .debug("policyName", name.as_str());
        }
        if let Some((id, name)) = &self.rule {
            e = e
                .debug("ruleId", id.as_str())
                .debug("ruleName", name.as_str());
        }
        if !self.dropped.is_empty() {
            e = e.debug("droppedScopes", self.dropped.join(", "));
        }
        e
    }
}

/// Whether the refusal of a policy is a 401 (no policy or rule matched) rather than a 400.
pub fn policy_refusal(denied: &Denied) -> (OAuthError, bool) {
    let unauthorized = denied.description == POLICY_FAILED;
    (
        OAuthError::new(OAuthCode::AccessDenied, denied.description).because(denied.reason()),
        unauthorized,
    )
}

/// Splits a `scope` parameter into distinct scopes, ascending.
pub fn split_scopes(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = raw
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Checks that every requested scope exists on the server (`known` says which do).
pub fn check_known_scopes(
    requested: &[String],
    known: &dyn Fn(&str) -> bool,
) -> Result<(), OAuthError> {
    match requested.iter().find(|s| !known(s)) {
        Some(unknown) => Err(
            OAuthError::new(OAuthCode::InvalidScope, SCOPE_NOT_CONFIGURED).because(format!(
                "scope '{unknown}' is not configured on this authorization server"
            )),
        ),
        None => Ok(()),
    }
}

/// Which ID token shape a flow gets (`oauth-endpoints.md` §7.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdShape {
    /// Every standard and identity claim.
    Fat,
    /// Base claims, `email`, `name`, `preferred_username`, `alwaysIncludeInToken` claims.
    Thin,
    /// Thin, plus the org server's app groups claim (the code flow on the org server).
    ThinWithGroups,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn splits_scopes_sorted_and_distinct() {
        let cases: [(&str, &[&str]); 4] = [
            ("openid profile", &["openid", "profile"]),
            ("profile  openid profile", &["openid", "profile"]),
            ("", &[]),
            ("b a", &["a", "b"]),
        ];
        for (raw, want) in cases {
            assert_eq!(split_scopes(raw), strings(want), "{raw}");
        }
    }

    #[test]
    fn unknown_scopes_are_invalid_scope_naming_the_scope_in_the_log() {
        let known = |s: &str| s == "openid";
        assert!(check_known_scopes(&strings(&["openid"]), &known).is_ok());
        let e = check_known_scopes(&strings(&["openid", "admin"]), &known).unwrap_err();
        assert_eq!(e.code, OAuthCode::InvalidScope);
        assert_eq!(e.description, SCOPE_NOT_CONFIGURED);
        assert!(e.log_reason().contains("'admin'"));
    }

    #[test]
    fn org_server_grants_what_was_asked_with_fixed_lifetimes() {
        let d = Decision::org_server(&strings(&["openid", "groups"]));
        assert_eq!(d.scopes, strings(&["openid", "groups"]));
        assert_eq!(d.lifetimes.access_minutes, 60);
        assert_eq!(d.lifetimes.refresh_minutes, 129_600);
        assert_eq!(d.lifetimes.refresh_window_minutes, 129_600);
        assert!(d.policy.is_none() && d.rule.is_none());
        assert!(d.has("groups") && !d.has("email"));
        assert_eq!(d.scope_string(), "openid groups");
    }

    #[test]
    fn policy_failure_is_unauthorized_other_denials_are_not() {
        let failed = Denied {
            description: POLICY_FAILED,
            trail: vec!["no active policy".to_owned()],
        };
        let (e, unauthorized) = policy_refusal(&failed);
        assert!(unauthorized);
        assert_eq!(e.code, OAuthCode::AccessDenied);
        assert!(e.log_reason().contains("no active policy"));
        let rejected = Denied {
            description: crate::oauth::policy::ALL_SCOPES_REJECTED,
            trail: Vec::new(),
        };
        assert!(!policy_refusal(&rejected).1);
    }
}
