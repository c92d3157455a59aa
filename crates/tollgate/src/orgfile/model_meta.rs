//! The org file sections about the directory's rules: profile schemas, user types, group
//! rules and admin roles.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A group rule, matched by `id` or else by `name`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupRuleSpec {
    /// A fixed id (`0pr…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The rule's name.
    pub name: String,
    /// `conditions.expression.value`, e.g. `user.department == "Engineering"`.
    pub expression: String,
    /// Names (or ids) of the groups the rule assigns to.
    pub groups: Vec<String>,
    /// Logins (or ids) of users the rule never adds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// `ACTIVE` (the default) or `INACTIVE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// Custom properties by name, each an Okta property definition (`title`, `type`, ...).
/// Properties listed are added or replaced; stored ones not listed stay.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SchemasSpec {
    /// The default user type's schema.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub user: Map<String, Value>,
    /// The group schema.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub group: Map<String, Value>,
}

impl SchemasSpec {
    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.user.is_empty() && self.group.is_empty()
    }
}

/// A user type, matched by `name`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UserTypeSpec {
    /// `name` (fixed once created).
    pub name: String,
    /// `displayName`.
    pub display_name: String,
    /// `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The custom properties of the type's schema.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub properties: Map<String, Value>,
}

/// An admin role held by a user or a group (give one of `user`, `group`), with the groups or
/// apps it is limited to. Applying adds the role and its targets; nothing is removed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AdminRoleSpec {
    /// The user (login or id) holding it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The group (name or id) whose members hold it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// `SUPER_ADMIN`, `USER_ADMIN`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Groups (name or id) a user, membership or help-desk admin is limited to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_targets: Vec<String>,
    /// Catalog apps (`oidc_client`) or app instances (`oidc_client/0oa…`) an app admin is
    /// limited to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app_targets: Vec<String>,
}
