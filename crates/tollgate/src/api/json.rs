//! The JSON shapes the directory resources share: a user and a group in Okta's shape with
//! their `_links`, a page of results with its `Link` headers, and the `filter`/`search`
//! parameter. Shared here so the users and groups handlers do not import each other.

use axum::Json;
use axum::http::{HeaderMap, Uri};
use serde_json::{Map, Value, json};
use tollgate_core::directory::{Group, User, user_links};
use tollgate_core::password::imported::is_imported;
use tollgate_core::schema::user_type::{DEFAULT_TYPE_ID, schema_id_of};

use crate::http::pagination::link_headers;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

/// A group in Okta's shape.
pub fn group_json(state: &AppState, g: &Group) -> Value {
    let id = g.id.as_str();
    let mut links = json!({
        "logo": [
            {"name": "medium", "href": state.link("/assets/img/logos/groups/okta-medium.png"), "type": "image/png"},
            {"name": "large", "href": state.link("/assets/img/logos/groups/okta-large.png"), "type": "image/png"}
        ],
        "users": {"href": state.link(&format!("/api/v1/groups/{id}/users"))},
        "apps": {"href": state.link(&format!("/api/v1/groups/{id}/apps"))},
    });
    if let (Some(app), Some(obj)) = (&g.source_app, links.as_object_mut()) {
        obj.insert(
            "source".into(),
            json!({"href": state.link(&format!("/api/v1/apps/{app}"))}),
        );
    }
    json!({
        "id": id,
        "created": g.created,
        "lastUpdated": g.last_updated,
        "lastMembershipUpdated": g.last_membership_updated,
        "objectClass": [g.kind.object_class()],
        "type": g.kind.as_str(),
        "profile": g.profile,
        "_links": links,
    })
}

/// A user in Okta's shape; `full` adds the lifecycle links a single-user GET shows.
pub fn user_json(state: &AppState, u: &User, full: bool) -> Value {
    let id = u.id.as_str();
    let mut links = Map::new();
    links.insert(
        "self".into(),
        json!({"href": state.link(&format!("/api/v1/users/{id}"))}),
    );
    if full {
        for link in user_links(u.status, u.password_hash.is_some()) {
            links.insert(
                link.rel().to_owned(),
                json!({"href": state.link(&format!("/api/v1/users/{id}/{}", link.path())), "method": "POST"}),
            );
        }
    }
    let type_id = u.type_id.as_deref().unwrap_or(DEFAULT_TYPE_ID);
    if full {
        links.insert(
            "type".into(),
            json!({"href": state.link(&format!("/api/v1/meta/types/user/{type_id}"))}),
        );
        links.insert(
            "schema".into(),
            json!({"href": state.link(&format!("/api/v1/meta/schemas/user/{}", schema_id_of(type_id)))}),
        );
    }
    let mut credentials = Map::new();
    if u.password_hash.is_some() {
        credentials.insert("password".into(), json!({}));
    }
    if let Some(email) = u.profile.get("email").and_then(Value::as_str) {
        credentials.insert(
            "emails".into(),
            json!([{"value": email, "status": "VERIFIED", "type": "PRIMARY"}]),
        );
    }
    if let Some(question) = &u.recovery_question {
        credentials.insert("recovery_question".into(), json!({"question": question}));
    }
    // Okta shows an imported hash's provider as IMPORT; ours turns OKTA once it is upgraded.
    let imported = u.password_hash.as_deref().is_some_and(is_imported);
    let provider = if imported { "IMPORT" } else { "OKTA" };
    credentials.insert(
        "provider".into(),
        json!({"type": provider, "name": provider}),
    );
    let mut profile = u.profile.clone();
    for shown_as_null in ["mobilePhone", "secondEmail"] {
        profile.entry(shown_as_null).or_insert(Value::Null);
    }
    json!({
        "id": id,
        "status": u.status.as_str(),
        "created": u.created,
        "activated": u.activated,
        "statusChanged": u.status_changed,
        "lastLogin": u.last_login,
        "lastUpdated": u.last_updated,
        "passwordChanged": u.password_changed,
        "type": {"id": type_id},
        "profile": profile,
        "credentials": credentials,
        "_links": links,
    })
}

pub(crate) fn parse_filter(
    filter: Option<&str>,
    search: Option<&str>,
) -> ApiResult<Option<tollgate_core::scim::Filter>> {
    match search.or(filter).map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => tollgate_core::scim::parse(text)
            .map(Some)
            .map_err(|_| ApiError::new(OktaCode::E0000031)),
        None => Ok(None),
    }
}

/// Runs one page and answers it with `Link` headers.
pub fn page_response(
    state: &AppState,
    uri: &Uri,
    items: Vec<Value>,
    next_after: Option<&str>,
) -> (HeaderMap, Json<Value>) {
    (
        link_headers(state.public_url(), uri, next_after),
        Json(Value::Array(items)),
    )
}
