//! The `filter` parameter of `GET /api/v1/apps`.

use super::AppStatus;
use crate::id::{GroupId, UserId};

/// The one `filter` expression `GET /api/v1/apps` accepts: a single `eq` on one attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppFilter {
    /// `status eq "ACTIVE"`.
    Status(AppStatus),
    /// `name eq "oidc_client"`.
    Name(String),
    /// `user.id eq "00u…"`: apps the user is assigned to, directly or through a group.
    User(UserId),
    /// `group.id eq "00g…"`: apps assigned to the group.
    Group(GroupId),
    /// `credentials.signing.kid eq "…"`: apps that sign with the key.
    SigningKid(String),
}

impl AppFilter {
    /// Parses `attribute eq "value"` (the operator in any case). Anything else is refused, as
    /// Okta refuses it with "Invalid search criteria.".
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (attr, rest) = text.split_once(char::is_whitespace)?;
        let (op, literal) = rest.trim_start().split_once(char::is_whitespace)?;
        if !op.eq_ignore_ascii_case("eq") {
            return None;
        }
        let value: String = serde_json::from_str(literal.trim()).ok()?;
        match attr {
            "status" => AppStatus::parse(&value).map(Self::Status),
            "name" => Some(Self::Name(value)),
            "user.id" => value.parse().ok().map(Self::User),
            "group.id" => value.parse().ok().map(Self::Group),
            "credentials.signing.kid" => Some(Self::SigningKid(value)),
            _ => None,
        }
    }
}
