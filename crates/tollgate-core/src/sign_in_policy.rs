//! The org's sign-in policies of Okta Identity Engine (`/api/v1/policies`): the default app
//! sign-in policy (`ACCESS_POLICY`) every app uses unless assigned another, and the default
//! `PROFILE_ENROLLMENT` policy. Each org has exactly these two, made with the org (`system`),
//! with stable `rst…` ids; Tollgate serves no other policy of these types and no rules.

use crate::Timestamp;
use crate::id::random_base62;

/// The policy types Tollgate serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// `ACCESS_POLICY`: an app sign-in policy.
    Access,
    /// `PROFILE_ENROLLMENT`.
    ProfileEnrollment,
}

impl PolicyKind {
    /// Both kinds.
    pub const ALL: [Self; 2] = [Self::Access, Self::ProfileEnrollment];

    /// The wire and stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Access => "ACCESS_POLICY",
            Self::ProfileEnrollment => "PROFILE_ENROLLMENT",
        }
    }

    /// From the wire or stored form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Okta's other policy types (`PolicyType`): valid in a `type` query, but Tollgate keeps no
/// policy of them.
const OTHER_TYPES: [&str; 10] = [
    "OKTA_SIGN_ON",
    "PASSWORD",
    "MFA_ENROLL",
    "IDP_DISCOVERY",
    "POST_AUTH_SESSION",
    "ENTITY_RISK",
    "SESSION_VIOLATION_DETECTION",
    "DEVICE_SIGNAL_COLLECTION",
    "CLIENT_UPDATE",
    "IDENTITY_CLAIM_SOURCING",
];

/// What the `type` of `GET /api/v1/policies` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeQuery {
    /// A type Tollgate serves.
    Served(PolicyKind),
    /// One of Okta's types that Tollgate has no policy of: an empty list.
    NotServed,
    /// Not a policy type.
    Unknown,
}

impl TypeQuery {
    /// Reads the `type` parameter (case as Okta spells it).
    pub fn parse(s: &str) -> Self {
        match PolicyKind::parse(s) {
            Some(kind) => Self::Served(kind),
            None if OTHER_TYPES.contains(&s) => Self::NotServed,
            None => Self::Unknown,
        }
    }
}

/// An org policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPolicy {
    /// `rst` and 17 base62 characters.
    pub id: String,
    /// Its type.
    pub kind: PolicyKind,
    /// Its name.
    pub name: String,
    /// Its order among the policies of its type (1 first).
    pub priority: u32,
    /// Whether Okta (here: Tollgate) made it with the org.
    pub system: bool,
    /// `ACTIVE` or `INACTIVE`.
    pub active: bool,
    /// When it was made.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
}

impl OrgPolicy {
    /// The org's default policy of `kind`, with a fresh id.
    pub fn default_of(kind: PolicyKind, now: Timestamp) -> Self {
        Self {
            id: format!("rst{}", random_base62(17)),
            kind,
            name: "Default Policy".to_owned(),
            priority: 1,
            system: true,
            active: true,
            created: now,
            last_updated: now,
        }
    }

    /// `ACTIVE` or `INACTIVE`.
    pub fn status(&self) -> &'static str {
        if self.active { "ACTIVE" } else { "INACTIVE" }
    }

    /// Whether it passes the `status` and `q` (name prefix) refinements of a list.
    pub fn matches(&self, status: Option<&str>, name_prefix: Option<&str>) -> bool {
        status.is_none_or(|s| s == self.status())
            && name_prefix.is_none_or(|q| self.name.starts_with(q))
    }
}

/// Why a policy cannot be an app's sign-in policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignError {
    /// It is not an `ACCESS_POLICY`.
    NotAccessPolicy,
}

/// Checks that `policy` may be assigned to an app (`PUT /apps/{appId}/policies/{policyId}`).
pub fn check_app_policy(policy: &OrgPolicy) -> Result<(), AssignError> {
    match policy.kind {
        PolicyKind::Access => Ok(()),
        PolicyKind::ProfileEnrollment => Err(AssignError::NotAccessPolicy),
    }
}

/// The policies an app's JSON links to: its sign-in policy and the org's profile enrollment
/// policy. `None` only before the org's defaults exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppPolicies {
    /// The app's `ACCESS_POLICY` (the default unless one was assigned).
    pub access: Option<String>,
    /// The org's `PROFILE_ENROLLMENT` policy.
    pub profile_enrollment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_queries() {
        for (text, want) in [
            ("ACCESS_POLICY", TypeQuery::Served(PolicyKind::Access)),
            (
                "PROFILE_ENROLLMENT",
                TypeQuery::Served(PolicyKind::ProfileEnrollment),
            ),
            ("OKTA_SIGN_ON", TypeQuery::NotServed),
            ("PASSWORD", TypeQuery::NotServed),
            ("access_policy", TypeQuery::Unknown),
            ("", TypeQuery::Unknown),
            ("RESOURCE_ACCESS", TypeQuery::Unknown),
        ] {
            assert_eq!(TypeQuery::parse(text), want, "{text}");
        }
    }

    #[test]
    fn defaults_have_okta_shaped_ids_and_only_access_policies_assign() {
        let now = Timestamp::from_millis(0);
        let access = OrgPolicy::default_of(PolicyKind::Access, now);
        let enrollment = OrgPolicy::default_of(PolicyKind::ProfileEnrollment, now);
        assert!(access.id.starts_with("rst") && access.id.len() == 20);
        assert_ne!(access.id, enrollment.id);
        assert_eq!(
            (access.name.as_str(), access.system),
            ("Default Policy", true)
        );
        assert_eq!(check_app_policy(&access), Ok(()));
        assert_eq!(
            check_app_policy(&enrollment),
            Err(AssignError::NotAccessPolicy)
        );
    }

    #[test]
    fn list_refinements() {
        let p = OrgPolicy::default_of(PolicyKind::Access, Timestamp::from_millis(0));
        for (status, q, want) in [
            (None, None, true),
            (Some("ACTIVE"), None, true),
            (Some("INACTIVE"), None, false),
            (None, Some("Default"), true),
            (None, Some("default"), false),
            (Some("ACTIVE"), Some("Other"), false),
        ] {
            assert_eq!(p.matches(status, q), want, "{status:?} {q:?}");
        }
    }
}
