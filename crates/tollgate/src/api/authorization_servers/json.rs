//! Okta's wire shapes of authorization servers, scopes, claims, policies and rules; the request
//! bodies that convert to core inputs are in `body`.

mod body;

use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::authz::{Claim, Policy, Rule, Scope};
use tollgate_core::server::{AuthServer, RotationMode, Status};

pub use self::body::{
    ClaimBody, ClaimConditions, IncludeExclude, PeopleBody, PolicyBody, PolicyConditions,
    RuleActions, RuleBody, RuleConditions, ScopeBody, ServerBody, TokenActions,
};
use crate::state::AppState;

fn link(href: String, allow: &[&str]) -> Value {
    json!({"href": href, "hints": {"allow": allow}})
}

/// `/api/v1/authorizationServers/{id}` under the public URL.
pub fn server_path(state: &AppState, id: &str) -> String {
    state.link(&format!("/api/v1/authorizationServers/{id}"))
}

/// What `credentials.signing` shows of the server's keys.
#[derive(Debug, Clone, Default)]
pub struct Signing {
    /// The active key's id.
    pub kid: Option<String>,
    /// When the keys last rotated.
    pub last_rotated: Option<Timestamp>,
}

/// Auto rotation happens every 90 days.
const ROTATION_MILLIS: i64 = 90 * 24 * 3600 * 1000;

/// A server in Okta's shape.
pub fn server_json(state: &AppState, s: &AuthServer, signing: &Signing) -> Value {
    let id = s.id.as_str();
    let base = server_path(state, id);
    let mut sig = json!({"rotationMode": s.rotation_mode.as_str(), "use": "sig"});
    if let Some(obj) = sig.as_object_mut() {
        if let Some(kid) = &signing.kid {
            obj.insert("kid".into(), json!(kid));
        }
        if let Some(at) = signing.last_rotated {
            obj.insert("lastRotated".into(), json!(at));
            if s.rotation_mode == RotationMode::Auto {
                obj.insert(
                    "nextRotation".into(),
                    json!(Timestamp::from_millis(
                        at.millis().saturating_add(ROTATION_MILLIS)
                    )),
                );
            }
        }
    }
    let issuer = state.link(&format!("/oauth2/{id}"));
    let lifecycle = if s.status == Status::Active {
        ("deactivate", format!("{base}/lifecycle/deactivate"))
    } else {
        ("activate", format!("{base}/lifecycle/activate"))
    };
    let mut links = json!({
        "self": link(base.clone(), &["GET", "DELETE", "PUT"]),
        "scopes": link(format!("{base}/scopes"), &["GET", "POST"]),
        "claims": link(format!("{base}/claims"), &["GET", "POST"]),
        "policies": link(format!("{base}/policies"), &["GET", "POST"]),
        "keys": link(format!("{base}/credentials/keys"), &["GET"]),
        "rotateKey": link(format!("{base}/credentials/lifecycle/keyRotate"), &["POST"]),
        "metadata": [
            {"name": "oauth-authorization-server", "href": format!("{issuer}/.well-known/oauth-authorization-server"), "hints": {"allow": ["GET"]}},
            {"name": "openid-configuration", "href": format!("{issuer}/.well-known/openid-configuration"), "hints": {"allow": ["GET"]}},
        ],
    });
    if let Some(obj) = links.as_object_mut() {
        obj.insert(lifecycle.0.into(), link(lifecycle.1, &["POST"]));
    }
    let mut out = json!({
        "id": id,
        "name": s.name,
        "audiences": s.audiences,
        "issuer": issuer,
        "issuerMode": s.issuer_mode.as_str(),
        "status": s.status.as_str(),
        "default": s.is_default(),
        "created": s.created,
        "lastUpdated": s.last_updated,
        "credentials": {"signing": sig},
        "_links": links,
    });
    if !s.description.is_empty()
        && let Some(obj) = out.as_object_mut()
    {
        obj.insert("description".into(), json!(s.description));
    }
    out
}

/// A scope in Okta's shape.
pub fn scope_json(state: &AppState, s: &Scope) -> Value {
    let href = format!(
        "{}/scopes/{}",
        server_path(state, s.server_id.as_str()),
        s.id
    );
    json!({
        "id": s.id.as_str(),
        "name": s.name,
        "displayName": s.display_name,
        "description": s.description,
        "system": s.system,
        "default": s.default,
        "optional": s.optional,
        "consent": s.consent.as_str(),
        "metadataPublish": s.metadata_publish.as_str(),
        "_links": {"self": link(href, &["GET", "PUT", "DELETE"])},
    })
}

/// A claim in Okta's shape.
pub fn claim_json(state: &AppState, c: &Claim) -> Value {
    let href = format!(
        "{}/claims/{}",
        server_path(state, c.server_id.as_str()),
        c.id
    );
    let mut out = json!({
        "id": c.id.as_str(),
        "name": c.name,
        "status": c.status.as_str(),
        "claimType": c.claim_type.as_str(),
        "valueType": c.value_type.as_str(),
        "value": c.value,
        "alwaysIncludeInToken": c.always_include_in_token,
        "conditions": {"scopes": c.scopes},
        "system": c.system,
        "_links": {"self": link(href, &["GET", "PUT", "DELETE"])},
    });
    if let (Some(g), Some(obj)) = (c.group_filter_type, out.as_object_mut()) {
        obj.insert("group_filter_type".into(), json!(g.as_str()));
    }
    out
}

fn lifecycle_link(base: &str, status: Status) -> (&'static str, Value) {
    if status == Status::Active {
        (
            "deactivate",
            link(format!("{base}/lifecycle/deactivate"), &["POST"]),
        )
    } else {
        (
            "activate",
            link(format!("{base}/lifecycle/activate"), &["POST"]),
        )
    }
}

/// A policy in Okta's shape.
pub fn policy_json(state: &AppState, p: &Policy) -> Value {
    let base = format!(
        "{}/policies/{}",
        server_path(state, p.server_id.as_str()),
        p.id
    );
    let (rel, lc) = lifecycle_link(&base, p.status);
    json!({
        "type": tollgate_core::authz::policy::POLICY_TYPE,
        "id": p.id.as_str(),
        "status": p.status.as_str(),
        "name": p.name,
        "description": p.description,
        "priority": p.priority,
        "system": p.system,
        "conditions": {"clients": {"include": p.clients}},
        "created": p.created,
        "lastUpdated": p.last_updated,
        "_links": {
            "self": link(base.clone(), &["GET", "PUT", "DELETE"]),
            "rules": link(format!("{base}/rules"), &["GET", "POST"]),
            rel: lc,
        },
    })
}

/// A rule in Okta's shape.
pub fn rule_json(state: &AppState, r: &Rule) -> Value {
    let base = format!(
        "{}/policies/{}/rules/{}",
        server_path(state, r.server_id.as_str()),
        r.policy_id,
        r.id
    );
    let (rel, lc) = lifecycle_link(&base, r.status);
    let grants: Vec<&str> = r.grant_types.iter().map(|g| g.as_str()).collect();
    json!({
        "type": tollgate_core::authz::rule::RULE_TYPE,
        "id": r.id.as_str(),
        "status": r.status.as_str(),
        "name": r.name,
        "priority": r.priority,
        "system": r.system,
        "created": r.created,
        "lastUpdated": r.last_updated,
        "conditions": {
            "people": {
                "users": {"include": r.people.users_include, "exclude": r.people.users_exclude},
                "groups": {"include": r.people.groups_include, "exclude": r.people.groups_exclude},
            },
            "grantTypes": {"include": grants},
            "scopes": {"include": r.scopes},
        },
        "actions": {"token": {
            "accessTokenLifetimeMinutes": r.token.access_minutes,
            "refreshTokenLifetimeMinutes": r.token.refresh_minutes,
            "refreshTokenWindowMinutes": r.token.refresh_window_minutes,
        }},
        "_links": {"self": link(base, &["GET", "PUT", "DELETE"]), rel: lc},
    })
}
