//! Schemas and user types in Okta's JSON shapes.

use serde_json::{Map, Value, json};
use tollgate_core::schema::user_type::UserType;
use tollgate_core::schema::{ProfileSchema, SchemaKind, base_properties, base_required};

use crate::state::AppState;

fn link(state: &AppState, rel: &str, path: &str) -> Value {
    json!({"rel": rel, "href": state.link(path), "method": "GET"})
}

/// What the schema is about: `(name, title, description)`.
pub struct Heading {
    /// `name`.
    pub name: String,
    /// `title`.
    pub title: String,
    /// `description`.
    pub description: String,
}

/// A schema in Okta's shape: `definitions.custom` and `definitions.base`, both merged into
/// `properties.profile`. `self_path` is the API path of the schema; `extra_links` are added.
pub fn schema_json(
    state: &AppState,
    s: &ProfileSchema,
    heading: &Heading,
    id_path: &str,
    self_path: &str,
    extra_links: &[(&str, String)],
) -> Value {
    let custom_required: Vec<&str> = s
        .custom
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    let mut links = Map::new();
    links.insert("self".into(), link(state, "self", self_path));
    for (rel, path) in extra_links {
        links.insert((*rel).to_owned(), link(state, rel, path));
    }
    json!({
        "id": state.link(id_path),
        "$schema": "http://json-schema.org/draft-04/schema#",
        "name": heading.name,
        "title": heading.title,
        "description": heading.description,
        "lastUpdated": s.last_updated,
        "created": s.created,
        "definitions": {
            "custom": {
                "id": "#custom",
                "type": "object",
                "properties": s.custom_json(),
                "required": custom_required,
            },
            "base": {
                "id": "#base",
                "type": "object",
                "properties": base_properties(s.kind),
                "required": base_required(s.kind),
            },
        },
        "type": "object",
        "properties": {"profile": {"allOf": [{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}]}},
        "_links": links,
    })
}

/// A user type's user schema.
pub fn user_schema_json(state: &AppState, s: &ProfileSchema, t: &UserType) -> Value {
    let id_path = if t.default {
        "/meta/schemas/user/default".to_owned()
    } else {
        format!("/meta/schemas/user/{}", t.schema_id)
    };
    let heading = Heading {
        name: "user".into(),
        title: t.display_name.clone(),
        description: t.description.clone().unwrap_or_default(),
    };
    schema_json(
        state,
        s,
        &heading,
        &id_path,
        &format!("/api/v1/meta/schemas/user/{}", t.schema_id),
        &[("type", format!("/api/v1/meta/types/user/{}", t.id))],
    )
}

/// The group schema.
pub fn group_schema_json(state: &AppState, s: &ProfileSchema) -> Value {
    let heading = Heading {
        name: "group".into(),
        title: "Okta group".into(),
        description: "Okta group profile template".into(),
    };
    schema_json(
        state,
        s,
        &heading,
        "/meta/schemas/group/default",
        "/api/v1/meta/schemas/group/default",
        &[],
    )
}

/// An app's app user schema.
pub fn app_user_schema_json(
    state: &AppState,
    s: &ProfileSchema,
    app_name: &str,
    label: &str,
) -> Value {
    debug_assert_eq!(s.kind, SchemaKind::AppUser);
    let heading = Heading {
        name: app_name.to_owned(),
        title: label.to_owned(),
        description: format!("{label} User"),
    };
    schema_json(
        state,
        s,
        &heading,
        &format!("/meta/schemas/apps/{}/default", s.id),
        &format!("/api/v1/meta/schemas/apps/{}/default", s.id),
        &[("app", format!("/api/v1/apps/{}", s.id))],
    )
}

/// A user type.
pub fn user_type_json(state: &AppState, t: &UserType) -> Value {
    json!({
        "id": t.id,
        "displayName": t.display_name,
        "name": t.name,
        "description": t.description,
        "createdBy": t.created_by,
        "lastUpdatedBy": t.last_updated_by,
        "created": t.created,
        "lastUpdated": t.last_updated,
        "default": t.default,
        "_links": {
            "schema": link(state, "schema", &format!("/api/v1/meta/schemas/user/{}", t.schema_id)),
            "self": link(state, "self", &format!("/api/v1/meta/types/user/{}", t.id)),
        },
    })
}
