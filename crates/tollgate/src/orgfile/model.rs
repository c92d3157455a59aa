//! The YAML shape of an org file. Keys follow Okta's JSON casing (camelCase), except the OAuth
//! client fields of an app, which keep the snake_case names Okta's own `oauthClient` objects
//! use, so that values can be copied between an org file and an API body unchanged.
//!
//! Unknown keys are errors, so a typo fails the whole file instead of being ignored.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use super::model_meta::{AdminRoleSpec, GroupRuleSpec, SchemasSpec, UserTypeSpec};
pub use super::model_password::PasswordHashSpec;
pub use super::model_recovery::RecoveryQuestionSpec;

/// A whole org file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OrgFile {
    /// Custom properties of the default user schema and of the group schema.
    #[serde(default, skip_serializing_if = "SchemasSpec::is_empty")]
    pub schemas: SchemasSpec,
    /// User types besides the default one, each with its own schema's custom properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_types: Vec<UserTypeSpec>,
    /// People.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<UserSpec>,
    /// Groups and their members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSpec>,
    /// OpenID Connect apps, their assignments and their org-server groups claim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<AppSpec>,
    /// Authorization servers (`default` included) with scopes, claims, policies and rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorization_servers: Vec<ServerSpec>,
    /// Admin API tokens.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_tokens: Vec<ApiTokenSpec>,
    /// Group rules (applied after users and groups, which they name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_rules: Vec<GroupRuleSpec>,
    /// Admin roles of users and groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_roles: Vec<AdminRoleSpec>,
}

/// A user, matched by `id` or else by `login`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UserSpec {
    /// A fixed id (`00u…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `profile.login`.
    pub login: String,
    /// `profile.email`; the login when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `profile.firstName`.
    pub first_name: String,
    /// `profile.lastName`.
    pub last_name: String,
    /// Other profile attributes.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub profile: Map<String, Value>,
    /// A password in clear (checked against the password policy, stored as argon2id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// A password hash, as `tollgate export` writes it (see [`PasswordHashSpec`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<PasswordHashSpec>,
    /// The recovery question, with its answer's hash (see [`RecoveryQuestionSpec`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_question: Option<RecoveryQuestionSpec>,
    /// `ACTIVE` (the default), `STAGED`, `SUSPENDED`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// A group, matched by `id` or else by `name`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupSpec {
    /// A fixed id (`00g…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `profile.name`.
    pub name: String,
    /// `profile.description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Logins of members (added; members not listed stay).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// An app, matched by `id`, else `client_id`, else `label`: an OpenID Connect client (the
/// default), or another kind named by `name` and `signOnMode` with its `app` and `signOn`
/// settings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AppSpec {
    /// A fixed id (`0oa…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The display name.
    pub label: String,
    /// `name`: `oidc_client` (the default), `bookmark`, `template_basic_auth`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `signOnMode`: `OPENID_CONNECT` (the default), `BOOKMARK`, `SAML_2_0`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_on_mode: Option<String>,
    /// `settings.app` of the other kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<Map<String, Value>>,
    /// `settings.signOn` of custom SAML and auto-login apps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_on: Option<Map<String, Value>>,
    /// `credentials.scheme` of password-based apps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// `ACTIVE` (the default) or `INACTIVE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `credentials.oauthClient.client_id`; the app id when left out.
    #[serde(rename = "client_id")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `credentials.oauthClient.client_secret`, in clear.
    #[serde(rename = "client_secret")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// The hex SHA-256 digest of the client secret, as `tollgate export` writes it (a secret
    /// is stored only as its digest, so an export cannot give it in clear).
    #[serde(rename = "client_secret_digest")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_digest: Option<String>,
    /// `credentials.oauthClient.token_endpoint_auth_method`.
    #[serde(rename = "token_endpoint_auth_method")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_method: Option<String>,
    /// `credentials.oauthClient.pkce_required`.
    #[serde(rename = "pkce_required")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pkce_required: Option<bool>,
    /// `settings.oauthClient`, in Okta's names (`redirect_uris`, `grant_types`, ...).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub settings: Map<String, Value>,
    /// The free-form app profile.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub profile: Map<String, Value>,
    /// The org authorization server's ID-token groups claim of this app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token_groups_claim: Option<GroupsClaimSpec>,
    /// Who is assigned.
    #[serde(default, skip_serializing_if = "Assignments::is_empty")]
    pub assignments: Assignments,
}

/// The app's ID-token groups claim on the org server.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupsClaimSpec {
    /// The claim name (default `groups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `EXPRESSION` or `GROUPS`.
    pub value_type: String,
    /// The expression or the filter value.
    pub value: String,
    /// For `GROUPS`: `STARTS_WITH`, `EQUALS`, `CONTAINS` or `REGEX`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_filter_type: Option<String>,
}

/// Direct assignments of an app (added; assignments not listed stay).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Assignments {
    /// User logins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
    /// Group names (`Everyone` included).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

impl Assignments {
    /// Whether nothing is assigned.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.groups.is_empty()
    }
}

/// An authorization server, matched by `id` (`default` for the built-in one) or else `name`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServerSpec {
    /// A fixed id (`aus…`, or `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name; may be left out for an existing server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Exactly one audience; may be left out for an existing server.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    /// Custom scopes, matched by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<ScopeSpec>,
    /// Custom claims, matched by name and claim type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ClaimSpec>,
    /// Access policies, matched by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PolicySpec>,
}

/// A scope.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ScopeSpec {
    /// A fixed id (`scp…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The scope name.
    pub name: String,
    /// `displayName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// `optional`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// `consent`: `IMPLICIT`, `REQUIRED` or `FLEXIBLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
    /// `metadataPublish`: `ALL_CLIENTS` or `NO_CLIENTS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_publish: Option<String>,
}

/// A claim.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClaimSpec {
    /// A fixed id (`ocl…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The claim name.
    pub name: String,
    /// `IDENTITY` (ID token) or `RESOURCE` (access token).
    pub claim_type: String,
    /// `EXPRESSION` (the default) or `GROUPS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_type: Option<String>,
    /// The expression (checked exactly as the API checks it) or the group filter value.
    pub value: String,
    /// For `GROUPS`: the filter operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_filter_type: Option<String>,
    /// `alwaysIncludeInToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always_include_in_token: Option<bool>,
    /// `ACTIVE` (the default) or `INACTIVE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `conditions.scopes`: the claim is added only when one of these is granted (none: always).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
}

/// An access policy.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PolicySpec {
    /// A fixed id (`00p…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The policy name.
    pub name: String,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Evaluation order (1 first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// `conditions.clients.include`: client ids, or `ALL_CLIENTS` (the default).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<String>,
    /// Its rules, matched by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleSpec>,
}

/// A policy rule.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RuleSpec {
    /// A fixed id (`0pr…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The rule name.
    pub name: String,
    /// Evaluation order within the policy (1 first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// `conditions.grantTypes.include`.
    pub grant_types: Vec<String>,
    /// `conditions.scopes.include` (`*` for any).
    pub scopes: Vec<String>,
    /// `conditions.people.users.include`: user ids or logins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
    /// `conditions.people.groups.include`: group ids or names, or `EVERYONE` (the default
    /// when no user or group is listed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// `conditions.people.users.exclude`: user ids or logins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_users: Vec<String>,
    /// `conditions.people.groups.exclude`: group ids or names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_groups: Vec<String>,
    /// `actions.token.accessTokenLifetimeMinutes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_lifetime_minutes: Option<i64>,
    /// `actions.token.refreshTokenLifetimeMinutes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_lifetime_minutes: Option<i64>,
    /// `actions.token.refreshTokenWindowMinutes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_window_minutes: Option<i64>,
}

/// An admin API token, matched by its value's digest.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiTokenSpec {
    /// A name to recognise it by.
    pub name: String,
    /// The token in clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The hex SHA-256 digest of the token, as `tollgate export` writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_digest: Option<String>,
}
