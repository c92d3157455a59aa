//! Claims of a custom authorization server (`management-api.md` section 5.4).
//!
//! An `EXPRESSION` value is parsed and checked when it is saved; the text is stored and the
//! token path compiles it once and caches it.

use super::{Causes, non_blank};
use crate::clock::Timestamp;
use crate::error::Error;
use crate::id::{AuthServerId, ClaimId};
use crate::server::Status;

/// The value of the system `sub` access-token claim of every custom server.
pub const SUB_EXPRESSION: &str = "(appuser != null) ? appuser.userName : app.clientId";

/// Names a custom claim may not take: the token's own claims.
pub const RESERVED_NAMES: [&str; 16] = [
    "iss",
    "aud",
    "exp",
    "iat",
    "jti",
    "cid",
    "uid",
    "scp",
    "ver",
    "amr",
    "idp",
    "nonce",
    "auth_time",
    "at_hash",
    "c_hash",
    "sub",
];

/// Which token a claim goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimType {
    /// The ID token and userinfo (`IDENTITY`).
    Identity,
    /// The access token (`RESOURCE`).
    Resource,
}

impl ClaimType {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "IDENTITY",
            Self::Resource => "RESOURCE",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "IDENTITY" => Some(Self::Identity),
            "RESOURCE" => Some(Self::Resource),
            _ => None,
        }
    }
}

/// How a claim's value is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimValueType {
    /// An Expression Language expression (`EXPRESSION`).
    Expression,
    /// The names of the user's groups matching a filter (`GROUPS`).
    Groups,
    /// Built in (`SYSTEM`); never created through the API.
    System,
}

impl ClaimValueType {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Expression => "EXPRESSION",
            Self::Groups => "GROUPS",
            Self::System => "SYSTEM",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "EXPRESSION" => Some(Self::Expression),
            "GROUPS" => Some(Self::Groups),
            "SYSTEM" => Some(Self::System),
            _ => None,
        }
    }
}

/// How a `GROUPS` claim's value matches group names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupFilterType {
    /// Prefix, case-insensitive.
    StartsWith,
    /// Whole name, case-insensitive.
    Equals,
    /// Substring, case-insensitive.
    Contains,
    /// A regular expression matching the whole name, case-sensitive.
    Regex,
}

impl GroupFilterType {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StartsWith => "STARTS_WITH",
            Self::Equals => "EQUALS",
            Self::Contains => "CONTAINS",
            Self::Regex => "REGEX",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "STARTS_WITH" => Some(Self::StartsWith),
            "EQUALS" => Some(Self::Equals),
            "CONTAINS" => Some(Self::Contains),
            "REGEX" => Some(Self::Regex),
            _ => None,
        }
    }
}

/// A claim of a custom server.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// `ocl…`.
    pub id: ClaimId,
    /// The server it belongs to.
    pub server_id: AuthServerId,
    /// The claim's name in the token; unique per server and claim type.
    pub name: String,
    /// Inactive claims are never emitted.
    pub status: Status,
    /// Which token.
    pub claim_type: ClaimType,
    /// How the value is computed.
    pub value_type: ClaimValueType,
    /// The expression (already unwrapped, checked) or the group filter text.
    pub value: String,
    /// For `GROUPS` claims.
    pub group_filter_type: Option<GroupFilterType>,
    /// For `IDENTITY` claims: also in an ID token issued with an access token. Always true for
    /// `RESOURCE` claims.
    pub always_include_in_token: bool,
    /// Emitted only when one of these scopes is granted; empty = always.
    pub scopes: Vec<String>,
    /// Built in: cannot be deleted, renamed or retyped.
    pub system: bool,
    /// When it was created.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
}

/// What an admin sends for a claim; absent fields are `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimInput {
    /// `name`.
    pub name: Option<String>,
    /// `status`.
    pub status: Option<String>,
    /// `claimType`.
    pub claim_type: Option<String>,
    /// `valueType`.
    pub value_type: Option<String>,
    /// `value`.
    pub value: Option<String>,
    /// `group_filter_type`.
    pub group_filter_type: Option<String>,
    /// `alwaysIncludeInToken`.
    pub always_include_in_token: Option<bool>,
    /// `conditions.scopes`.
    pub scopes: Option<Vec<String>>,
}

/// Checks an expression the way a save does. A value wrapped in one extra pair of double
/// quotes whose inner text is a valid expression is unwrapped (the seed page's form). Returns
/// the text to store, or the checker's message with a caret under the fault.
pub fn check_expression(value: &str) -> Result<String, String> {
    checked_expression(value).map_err(|e| e.render(value))
}

/// [`check_expression`] with the checker's error as it is (message and span in `value`).
pub fn checked_expression(value: &str) -> Result<String, crate::expr::Error> {
    match crate::expr::validate_claim(value) {
        Ok(_) => Ok(value.to_owned()),
        Err(e) => {
            let inner = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .filter(|inner| !inner.trim().is_empty());
            match inner {
                Some(inner) if crate::expr::validate_claim(inner).is_ok() => Ok(inner.to_owned()),
                _ => Err(e),
            }
        }
    }
}

struct Checked {
    name: String,
    status: Status,
    claim_type: ClaimType,
    value_type: ClaimValueType,
    value: String,
    group_filter_type: Option<GroupFilterType>,
}

fn check(input: &ClaimInput, system: bool) -> Result<Checked, Error> {
    let mut causes = Causes::default();
    let name = non_blank(input.name.as_deref()).unwrap_or_default();
    if name.is_empty() {
        causes.add("name", "The field cannot be left blank");
    } else if !system && RESERVED_NAMES.contains(&name.as_str()) {
        causes.add("name", format!("'{name}' is a reserved claim name"));
    } else if name.chars().any(char::is_whitespace) {
        causes.add("name", "Claim names may not contain whitespace");
    }
    let status = match input.status.as_deref() {
        None => Status::Active,
        Some(s) => Status::parse(s).unwrap_or_else(|| {
            causes.add("status", "Invalid value; expected ACTIVE or INACTIVE");
            Status::Active
        }),
    };
    let claim_type = match input.claim_type.as_deref().map(ClaimType::parse) {
        Some(Some(t)) => Some(t),
        Some(None) => {
            causes.add("claimType", "Invalid value; expected IDENTITY or RESOURCE");
            None
        }
        None => {
            causes.add("claimType", "The field cannot be left blank");
            None
        }
    };
    let value_type = match input.value_type.as_deref() {
        None => Some(ClaimValueType::Expression),
        Some(v) => match ClaimValueType::parse(v) {
            Some(ClaimValueType::System) if !system => {
                causes.add(
                    "valueType",
                    "SYSTEM claims are built in and cannot be created",
                );
                None
            }
            Some(t) => Some(t),
            None => {
                causes.add("valueType", "Invalid value; expected EXPRESSION or GROUPS");
                None
            }
        },
    };
    let raw = input.value.clone().unwrap_or_default();
    let mut value = raw.clone();
    let mut group_filter_type = None;
    match value_type {
        Some(ClaimValueType::Expression) => match check_expression(&raw) {
            Ok(v) if !raw.trim().is_empty() => value = v,
            Ok(_) => causes.add("value", "The field cannot be left blank"),
            Err(_) if raw.trim().is_empty() => {
                causes.add("value", "The field cannot be left blank");
            }
            Err(message) => causes.add("value", message),
        },
        Some(ClaimValueType::Groups) => {
            group_filter_type = match input
                .group_filter_type
                .as_deref()
                .map(GroupFilterType::parse)
            {
                Some(Some(f)) => Some(f),
                Some(None) => {
                    causes.add(
                        "group_filter_type",
                        "Invalid value; expected STARTS_WITH, EQUALS, CONTAINS or REGEX",
                    );
                    None
                }
                None => {
                    causes.add(
                        "group_filter_type",
                        "The field is required for GROUPS claims",
                    );
                    None
                }
            };
            if raw.is_empty() {
                causes.add("value", "The field cannot be left blank");
            } else if group_filter_type == Some(GroupFilterType::Regex)
                && let Err(e) = regex::Regex::new(&format!("^(?:{raw})$"))
            {
                causes.add("value", format!("Invalid regular expression: {e}"));
            }
        }
        Some(ClaimValueType::System) | None => {}
    }
    causes.finish()?;
    Ok(Checked {
        name,
        status,
        claim_type: claim_type.unwrap_or(ClaimType::Resource),
        value_type: value_type.unwrap_or(ClaimValueType::Expression),
        value,
        group_filter_type,
    })
}

fn always_include(claim_type: ClaimType, sent: Option<bool>) -> bool {
    claim_type == ClaimType::Resource || sent.unwrap_or(false)
}

fn scopes_of(input: &ClaimInput) -> Vec<String> {
    input
        .scopes
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.trim().to_owned())
        .collect()
}

impl Claim {
    /// A new custom claim of `server_id`.
    pub fn create(
        server_id: &AuthServerId,
        input: &ClaimInput,
        now: Timestamp,
    ) -> Result<Self, Error> {
        let c = check(input, false)?;
        Ok(Self {
            id: ClaimId::generate(),
            server_id: server_id.clone(),
            name: c.name,
            status: c.status,
            claim_type: c.claim_type,
            value_type: c.value_type,
            value: c.value,
            group_filter_type: c.group_filter_type,
            always_include_in_token: always_include(c.claim_type, input.always_include_in_token),
            scopes: scopes_of(input),
            system: false,
            created: now,
            last_updated: now,
        })
    }

    /// Replaces the editable fields (`PUT`). A system claim keeps its name, type and value
    /// type (changing them is `Forbidden`); its value, status and scopes may change.
    pub fn replace(&mut self, input: &ClaimInput, now: Timestamp) -> Result<(), Error> {
        let c = check(input, self.system)?;
        if self.system
            && (c.name != self.name
                || c.claim_type != self.claim_type
                || c.value_type != self.value_type)
        {
            return Err(Error::Forbidden);
        }
        self.name = c.name;
        self.status = c.status;
        self.claim_type = c.claim_type;
        self.value_type = c.value_type;
        self.value = c.value;
        self.group_filter_type = c.group_filter_type;
        self.always_include_in_token = always_include(c.claim_type, input.always_include_in_token);
        self.scopes = scopes_of(input);
        self.last_updated = now;
        Ok(())
    }

    /// The system `sub` access-token claim every custom server starts with.
    pub fn system_sub(server_id: &AuthServerId, now: Timestamp) -> Self {
        Self {
            id: ClaimId::generate(),
            server_id: server_id.clone(),
            name: "sub".to_owned(),
            status: Status::Active,
            claim_type: ClaimType::Resource,
            value_type: ClaimValueType::Expression,
            value: SUB_EXPRESSION.to_owned(),
            group_filter_type: None,
            always_include_in_token: true,
            scopes: Vec::new(),
            system: true,
            created: now,
            last_updated: now,
        }
    }
}

#[cfg(test)]
mod tests;
