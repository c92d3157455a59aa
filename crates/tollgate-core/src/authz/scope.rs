//! Scopes of a custom authorization server (`management-api.md` section 5.3).

use super::{Causes, non_blank};
use crate::clock::Timestamp;
use crate::error::Error;
use crate::id::{AuthServerId, ScopeId};

/// The system scopes every custom server has, `groups` included (see the spec's note).
pub const SYSTEM_SCOPES: [&str; 8] = [
    "openid",
    "profile",
    "email",
    "address",
    "phone",
    "offline_access",
    "device_sso",
    "groups",
];

/// Whether the user is asked to consent to a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Consent {
    /// No consent asked (`IMPLICIT`, the default).
    #[default]
    Implicit,
    /// Consent required (`REQUIRED`).
    Required,
    /// Consent asked, may be skipped (`FLEXIBLE`).
    Flexible,
}

impl Consent {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Implicit => "IMPLICIT",
            Self::Required => "REQUIRED",
            Self::Flexible => "FLEXIBLE",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "IMPLICIT" => Some(Self::Implicit),
            "REQUIRED" => Some(Self::Required),
            "FLEXIBLE" => Some(Self::Flexible),
            _ => None,
        }
    }
}

/// Whether discovery documents list a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MetadataPublish {
    /// Not listed (`NO_CLIENTS`, the default).
    #[default]
    NoClients,
    /// Listed in `scopes_supported` (`ALL_CLIENTS`).
    AllClients,
}

impl MetadataPublish {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoClients => "NO_CLIENTS",
            Self::AllClients => "ALL_CLIENTS",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "NO_CLIENTS" => Some(Self::NoClients),
            "ALL_CLIENTS" => Some(Self::AllClients),
            _ => None,
        }
    }
}

/// A scope of a custom server.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// `scp…`.
    pub id: ScopeId,
    /// The server it belongs to.
    pub server_id: AuthServerId,
    /// The name requested in `scope=`; unique per server.
    pub name: String,
    /// Shown on the consent page.
    pub display_name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Built in: cannot be deleted or renamed.
    pub system: bool,
    /// Granted when a request names no scope.
    pub default: bool,
    /// The user may leave it out on the consent page.
    pub optional: bool,
    /// Consent mode.
    pub consent: Consent,
    /// Discovery listing.
    pub metadata_publish: MetadataPublish,
    /// When it was created.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
}

/// What an admin sends for a scope; absent fields are `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScopeInput {
    /// `name`.
    pub name: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `default`.
    pub default: Option<bool>,
    /// `optional`.
    pub optional: Option<bool>,
    /// `consent`.
    pub consent: Option<String>,
    /// `metadataPublish`.
    pub metadata_publish: Option<String>,
}

/// Okta's scope-name rules: printable ASCII without space, `"` or `\`; not `okta`, `*` or an
/// `okta.`/`okta:` name; `<` and `>` not both. Returns the message of the first rule broken.
pub fn check_scope_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("The field cannot be left blank");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\')
    {
        return Err(
            "Scope names may contain printable ASCII characters except space, '\"' and '\\'",
        );
    }
    if name == "okta" || name == "*" || name.starts_with("okta.") || name.starts_with("okta:") {
        return Err("This scope name is reserved");
    }
    if name.contains('<') && name.contains('>') {
        return Err("Scope names may not contain both '<' and '>'");
    }
    Ok(())
}

struct Checked {
    name: String,
    consent: Consent,
    metadata_publish: MetadataPublish,
}

fn check(input: &ScopeInput, current: Option<&Scope>) -> Result<Checked, Error> {
    let mut causes = Causes::default();
    let name = input.name.clone().unwrap_or_default();
    if let Err(m) = check_scope_name(&name) {
        causes.add("name", m);
    }
    let consent = match input.consent.as_deref() {
        None => current.map_or(Consent::Implicit, |s| s.consent),
        Some(c) => Consent::parse(c).unwrap_or_else(|| {
            causes.add(
                "consent",
                "Invalid value; expected IMPLICIT, REQUIRED or FLEXIBLE",
            );
            Consent::Implicit
        }),
    };
    let metadata_publish = match input.metadata_publish.as_deref() {
        None => current.map_or(MetadataPublish::NoClients, |s| s.metadata_publish),
        Some(m) => MetadataPublish::parse(m).unwrap_or_else(|| {
            causes.add(
                "metadataPublish",
                "Invalid value; expected NO_CLIENTS or ALL_CLIENTS",
            );
            MetadataPublish::NoClients
        }),
    };
    causes.finish()?;
    Ok(Checked {
        name,
        consent,
        metadata_publish,
    })
}

impl Scope {
    /// A new custom scope of `server_id`.
    pub fn create(
        server_id: &AuthServerId,
        input: &ScopeInput,
        now: Timestamp,
    ) -> Result<Self, Error> {
        let c = check(input, None)?;
        Ok(Self {
            id: ScopeId::generate(),
            server_id: server_id.clone(),
            name: c.name,
            display_name: non_blank(input.display_name.as_deref()),
            description: non_blank(input.description.as_deref()),
            system: false,
            default: input.default.unwrap_or(false),
            optional: input.optional.unwrap_or(false),
            consent: c.consent,
            metadata_publish: c.metadata_publish,
            created: now,
            last_updated: now,
        })
    }

    /// Replaces the editable fields (`PUT`); the enumerated settings and flags left out keep
    /// their values, so editing a system scope's description does not unpublish it. A system
    /// scope keeps its name: renaming one is `Forbidden`.
    pub fn replace(&mut self, input: &ScopeInput, now: Timestamp) -> Result<(), Error> {
        let c = check(input, Some(self))?;
        if self.system && c.name != self.name {
            return Err(Error::Forbidden);
        }
        self.name = c.name;
        self.display_name = non_blank(input.display_name.as_deref());
        self.description = non_blank(input.description.as_deref());
        self.default = input.default.unwrap_or(self.default);
        self.optional = input.optional.unwrap_or(self.optional);
        self.consent = c.consent;
        self.metadata_publish = c.metadata_publish;
        self.last_updated = now;
        Ok(())
    }

    /// The system scopes a new server starts with.
    pub fn system_scopes(server_id: &AuthServerId, now: Timestamp) -> Vec<Self> {
        SYSTEM_SCOPES
            .iter()
            .map(|name| Self {
                id: ScopeId::generate(),
                server_id: server_id.clone(),
                name: (*name).to_owned(),
                display_name: None,
                description: Some(system_description(name).to_owned()),
                system: true,
                default: false,
                optional: false,
                consent: Consent::Implicit,
                metadata_publish: MetadataPublish::AllClients,
                created: now,
                last_updated: now,
            })
            .collect()
    }
}

fn system_description(name: &str) -> &'static str {
    match name {
        "openid" => "Signals that a request is an OpenID request.",
        "profile" => "Allows access to the user's default profile claims.",
        "email" => "Allows access to the user's email address.",
        "address" => "Allows access to the user's address.",
        "phone" => "Allows access to the user's phone number.",
        "offline_access" => "Allows requesting refresh tokens.",
        "device_sso" => "Allows requesting device secrets for native SSO.",
        _ => "Allows access to the user's groups.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules() {
        for ok in ["car:drive", "a<b", "b>c", "offline_access", "x.y/z"] {
            assert!(check_scope_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a b",
            "a\"b",
            "a\\b",
            "okta",
            "*",
            "okta.users.read",
            "okta:x",
            "<a>",
            "é",
        ] {
            assert!(check_scope_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn create_defaults_and_system_rename() {
        let server = AuthServerId::from_trusted("default");
        let input = ScopeInput {
            name: Some("car:drive".into()),
            ..ScopeInput::default()
        };
        let s = Scope::create(&server, &input, Timestamp::from_millis(1)).unwrap();
        assert_eq!(s.consent, Consent::Implicit);
        assert_eq!(s.metadata_publish, MetadataPublish::NoClients);
        assert!(!s.system);
        let bad = ScopeInput {
            consent: Some("ALWAYS".into()),
            ..input.clone()
        };
        assert!(Scope::create(&server, &bad, Timestamp::from_millis(1)).is_err());
        let mut system = Scope::system_scopes(&server, Timestamp::from_millis(1));
        assert_eq!(system.len(), 8);
        let openid = system.first_mut().unwrap();
        assert!(matches!(
            openid.replace(&input, Timestamp::from_millis(2)),
            Err(Error::Forbidden)
        ));
        let describe = ScopeInput {
            name: Some("openid".into()),
            description: Some("Sign in".into()),
            ..ScopeInput::default()
        };
        openid
            .replace(&describe, Timestamp::from_millis(2))
            .unwrap();
        assert_eq!(openid.metadata_publish, MetadataPublish::AllClients);
        assert_eq!(openid.description.as_deref(), Some("Sign in"));
    }
}
