//! The request bodies of authorization servers, scopes, claims, policies and rules, in Okta's
//! wire shape, and their conversion to core inputs.

use serde::Deserialize;
use serde_json::Value;
use tollgate_core::authz::{ClaimInput, People, PolicyInput, RuleInput, ScopeInput, ServerInput};

/// `{"include": [...], "exclude": [...]}`.
#[derive(Debug, Default, Deserialize)]
pub struct IncludeExclude {
    #[serde(default)]
    include: Option<Vec<String>>,
    #[serde(default)]
    exclude: Option<Vec<String>>,
}

/// A server body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerBody {
    name: Option<String>,
    description: Option<String>,
    audiences: Option<Vec<String>>,
    issuer_mode: Option<String>,
    credentials: Option<Value>,
}

impl From<ServerBody> for ServerInput {
    fn from(b: ServerBody) -> Self {
        let rotation_mode = b
            .credentials
            .as_ref()
            .and_then(|c| c.pointer("/signing/rotationMode"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Self {
            name: b.name,
            description: b.description,
            audiences: b.audiences,
            issuer_mode: b.issuer_mode,
            rotation_mode,
        }
    }
}

/// A scope body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeBody {
    name: Option<String>,
    display_name: Option<String>,
    description: Option<String>,
    default: Option<bool>,
    optional: Option<bool>,
    consent: Option<String>,
    metadata_publish: Option<String>,
}

impl From<ScopeBody> for ScopeInput {
    fn from(b: ScopeBody) -> Self {
        Self {
            name: b.name,
            display_name: b.display_name,
            description: b.description,
            default: b.default,
            optional: b.optional,
            consent: b.consent,
            metadata_publish: b.metadata_publish,
        }
    }
}

/// `{"scopes": [...]}`.
#[derive(Debug, Default, Deserialize)]
pub struct ClaimConditions {
    scopes: Option<Vec<String>>,
}

/// A claim body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimBody {
    name: Option<String>,
    status: Option<String>,
    claim_type: Option<String>,
    value_type: Option<String>,
    value: Option<String>,
    #[serde(rename = "group_filter_type", alias = "groupFilterType")]
    group_filter_type: Option<String>,
    always_include_in_token: Option<bool>,
    conditions: Option<ClaimConditions>,
}

impl From<ClaimBody> for ClaimInput {
    fn from(b: ClaimBody) -> Self {
        Self {
            name: b.name,
            status: b.status,
            claim_type: b.claim_type,
            value_type: b.value_type,
            value: b.value,
            group_filter_type: b.group_filter_type,
            always_include_in_token: b.always_include_in_token,
            scopes: b.conditions.and_then(|c| c.scopes),
        }
    }
}

/// `{"clients": {"include": [...]}}`.
#[derive(Debug, Default, Deserialize)]
pub struct PolicyConditions {
    clients: Option<IncludeExclude>,
}

/// A policy body.
#[derive(Debug, Default, Deserialize)]
pub struct PolicyBody {
    r#type: Option<String>,
    name: Option<String>,
    description: Option<String>,
    priority: Option<i64>,
    status: Option<String>,
    conditions: Option<PolicyConditions>,
}

impl From<PolicyBody> for PolicyInput {
    fn from(b: PolicyBody) -> Self {
        Self {
            kind: b.r#type,
            name: b.name,
            description: b.description,
            priority: b.priority,
            status: b.status,
            clients: b.conditions.and_then(|c| c.clients).and_then(|c| c.include),
        }
    }
}

/// `{"users": {...}, "groups": {...}}`.
#[derive(Debug, Default, Deserialize)]
pub struct PeopleBody {
    users: Option<IncludeExclude>,
    groups: Option<IncludeExclude>,
}

/// A rule's `conditions`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleConditions {
    people: Option<PeopleBody>,
    grant_types: Option<IncludeExclude>,
    scopes: Option<IncludeExclude>,
}

/// A rule's `actions.token`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenActions {
    access_token_lifetime_minutes: Option<i64>,
    refresh_token_lifetime_minutes: Option<i64>,
    refresh_token_window_minutes: Option<i64>,
}

/// A rule's `actions`.
#[derive(Debug, Default, Deserialize)]
pub struct RuleActions {
    token: Option<TokenActions>,
}

/// A rule body.
#[derive(Debug, Default, Deserialize)]
pub struct RuleBody {
    r#type: Option<String>,
    name: Option<String>,
    priority: Option<i64>,
    status: Option<String>,
    conditions: Option<RuleConditions>,
    actions: Option<RuleActions>,
}

impl From<RuleBody> for RuleInput {
    fn from(b: RuleBody) -> Self {
        let has_conditions = b.conditions.is_some();
        let c = b.conditions.unwrap_or_default();
        let people = c.people.map(|p| {
            let users = p.users.unwrap_or_default();
            let groups = p.groups.unwrap_or_default();
            People {
                users_include: users.include.unwrap_or_default(),
                users_exclude: users.exclude.unwrap_or_default(),
                groups_include: groups.include.unwrap_or_default(),
                groups_exclude: groups.exclude.unwrap_or_default(),
            }
        });
        let token = b.actions.and_then(|a| a.token).unwrap_or_default();
        Self {
            kind: b.r#type,
            name: b.name,
            priority: b.priority,
            status: b.status,
            has_conditions,
            people,
            grant_types: c.grant_types.and_then(|g| g.include),
            scopes: c.scopes.and_then(|s| s.include),
            access_minutes: token.access_token_lifetime_minutes,
            refresh_minutes: token.refresh_token_lifetime_minutes,
            refresh_window_minutes: token.refresh_token_window_minutes,
        }
    }
}
