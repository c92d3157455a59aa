//! Authorization servers: the org server (`/oauth2/v1`) and custom ones (`/oauth2/{id}/v1`).

use crate::clock::Timestamp;
use crate::id::AuthServerId;

/// The id of the built-in custom authorization server.
pub const DEFAULT_SERVER_ID: &str = "default";

/// How the issuer of a custom server is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerMode {
    /// The org's own URL (`ORG_URL`).
    OrgUrl,
    /// A custom domain (`CUSTOM_URL`); without one configured it behaves like `ORG_URL`.
    CustomUrl,
    /// Whatever host the request came to (`DYNAMIC`).
    Dynamic,
}

impl IssuerMode {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrgUrl => "ORG_URL",
            Self::CustomUrl => "CUSTOM_URL",
            Self::Dynamic => "DYNAMIC",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ORG_URL" => Some(Self::OrgUrl),
            "CUSTOM_URL" => Some(Self::CustomUrl),
            "DYNAMIC" => Some(Self::Dynamic),
            _ => None,
        }
    }
}

/// Whether an object is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// In force.
    Active,
    /// Kept but not in force.
    Inactive,
}

impl Status {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ACTIVE" => Some(Self::Active),
            "INACTIVE" => Some(Self::Inactive),
            _ => None,
        }
    }
}

/// How the signing key of a custom server is rotated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RotationMode {
    /// Okta rotates on a schedule (`AUTO`, the default).
    #[default]
    Auto,
    /// Only an admin's `keyRotate` call rotates (`MANUAL`).
    Manual,
}

impl RotationMode {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "AUTO",
            Self::Manual => "MANUAL",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "AUTO" => Some(Self::Auto),
            "MANUAL" => Some(Self::Manual),
            _ => None,
        }
    }
}

/// A custom authorization server.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthServer {
    /// `aus…`, or `default` for the built-in server.
    pub id: AuthServerId,
    /// Display name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Allowed `aud` values of access tokens.
    pub audiences: Vec<String>,
    /// How the issuer is formed.
    pub issuer_mode: IssuerMode,
    /// Active or not.
    pub status: Status,
    /// How its signing key is rotated.
    pub rotation_mode: RotationMode,
    /// When it was created.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
}

impl AuthServer {
    /// The built-in `default` server created on first start.
    pub fn builtin_default(now: Timestamp) -> Self {
        Self {
            id: AuthServerId::from_trusted(DEFAULT_SERVER_ID),
            name: "default".to_owned(),
            description: "Default Authorization Server for your Applications".to_owned(),
            audiences: vec!["api://default".to_owned()],
            issuer_mode: IssuerMode::OrgUrl,
            status: Status::Active,
            rotation_mode: RotationMode::Auto,
            created: now,
            last_updated: now,
        }
    }

    /// True for the built-in `default` server.
    pub fn is_default(&self) -> bool {
        self.id.as_str() == DEFAULT_SERVER_ID
    }

    /// The issuer for a public origin such as `https://id.example.com`.
    pub fn issuer(&self, public_url: &str) -> String {
        format!("{}/oauth2/{}", public_url.trim_end_matches('/'), self.id)
    }
}
