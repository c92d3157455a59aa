//! Consent grants of an app to Okta's management scopes (`okta.users.read`, ...): what an admin
//! grants through `POST /api/v1/apps/{appId}/grants` (`source: ADMIN`), or a user on a consent
//! page (`END_USER`).

use crate::clock::Timestamp;
use crate::error::Error;

/// The resource families of Okta's management scopes: each has `okta.{family}.read` and
/// `okta.{family}.manage`.
const FAMILIES: [&str; 33] = [
    "apiTokens",
    "appGrants",
    "apps",
    "authenticators",
    "authorizationServers",
    "behaviors",
    "brands",
    "captchas",
    "clients",
    "devices",
    "domains",
    "emailDomains",
    "eventHooks",
    "factors",
    "features",
    "groups",
    "idps",
    "inlineHooks",
    "linkedObjects",
    "logStreams",
    "networkZones",
    "orgs",
    "policies",
    "profileMappings",
    "rateLimits",
    "roles",
    "schemas",
    "sessions",
    "templates",
    "trustedOrigins",
    "userTypes",
    "users",
    "uischemas",
];

/// Management scopes outside the read/manage pattern.
const OTHER_SCOPES: [&str; 4] = [
    "okta.logs.read",
    "okta.clients.register",
    "okta.users.read.self",
    "okta.users.manage.self",
];

/// Whether `scope` is one of Okta's management scopes.
pub fn is_management_scope(scope: &str) -> bool {
    if OTHER_SCOPES.contains(&scope) {
        return true;
    }
    let Some(rest) = scope.strip_prefix("okta.") else {
        return false;
    };
    match rest.rsplit_once('.') {
        Some((family, "read" | "manage")) => FAMILIES.contains(&family),
        _ => false,
    }
}

/// Who granted consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantSource {
    /// An admin, through the API.
    Admin,
    /// The user, on a consent page.
    EndUser,
}

impl GrantSource {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "ADMIN",
            Self::EndUser => "END_USER",
        }
    }

    /// From the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ADMIN" => Some(Self::Admin),
            "END_USER" => Some(Self::EndUser),
            _ => None,
        }
    }
}

/// A consent grant.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentGrant {
    /// `oag…`.
    pub id: String,
    /// The app it was granted to.
    pub app_id: String,
    /// The app's client id when granted.
    pub client_id: String,
    /// The management scope (`okta.users.read`).
    pub scope_id: String,
    /// The org authorization server's issuer.
    pub issuer: String,
    /// Who granted it.
    pub source: GrantSource,
    /// The user that consented (`END_USER` grants).
    pub user_id: Option<String>,
    /// Id and type of who created it (`createdBy`).
    pub created_by: (String, String),
    /// When it was created.
    pub created: Timestamp,
}

/// Checks an admin's grant: `scopeId` must be a management scope and `issuer` the org's
/// issuer (`org_issuer`, compared without a trailing slash). Answers the scope.
pub fn check_admin_grant(
    scope_id: Option<&str>,
    issuer: Option<&str>,
    org_issuer: &str,
) -> Result<String, Error> {
    let scope = scope_id.map(str::trim).unwrap_or_default();
    if scope.is_empty() {
        return Err(Error::invalid_field("scopeId", "scopeId is required"));
    }
    if !is_management_scope(scope) {
        return Err(Error::invalid_field(
            "scopeId",
            format!("The scope '{scope}' is not an Okta management scope"),
        ));
    }
    let trimmed = |s: &str| s.trim().trim_end_matches('/').to_owned();
    match issuer {
        None => Err(Error::invalid_field("issuer", "issuer is required")),
        Some(i) if trimmed(i) != trimmed(org_issuer) => Err(Error::invalid_field(
            "issuer",
            format!("The issuer must be the org authorization server's issuer, {org_issuer}"),
        )),
        Some(_) => Ok(scope.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn management_scopes() {
        for ok in [
            "okta.users.read",
            "okta.users.manage",
            "okta.roles.read",
            "okta.logs.read",
            "okta.apps.manage",
            "okta.clients.register",
        ] {
            assert!(is_management_scope(ok), "{ok}");
        }
        for bad in [
            "okta.users",
            "okta.logs.manage",
            "okta.nothing.read",
            "openid",
            "okta.users.write",
            "users.read",
            "",
        ] {
            assert!(!is_management_scope(bad), "{bad}");
        }
    }

    #[test]
    fn admin_grants() {
        let org = "https://id.example.com";
        let cases: &[(Option<&str>, Option<&str>, Option<&str>)] = &[
            (Some("okta.users.read"), Some(org), None),
            (
                Some("okta.users.read"),
                Some("https://id.example.com/"),
                None,
            ),
            (Some(" okta.apps.read "), Some(org), None),
            (None, Some(org), Some("scopeId")),
            (Some("openid"), Some(org), Some("scopeId")),
            (Some("okta.users.read"), None, Some("issuer")),
            (
                Some("okta.users.read"),
                Some("https://evil.example"),
                Some("issuer"),
            ),
        ];
        for (n, (scope, issuer, refused_on)) in cases.iter().enumerate() {
            let got = check_admin_grant(*scope, *issuer, org);
            match (refused_on, got) {
                (None, Ok(s)) => assert!(s.starts_with("okta."), "case {n}"),
                (Some(field), Err(Error::Invalid { causes, .. })) => {
                    assert_eq!(causes[0].field.as_deref(), Some(*field), "case {n}");
                }
                (want, got) => panic!("case {n}: wanted {want:?}, got {got:?}"),
            }
        }
        assert_eq!(
            check_admin_grant(Some(" okta.apps.read "), Some(org), org).unwrap(),
            "okta.apps.read"
        );
    }
}
