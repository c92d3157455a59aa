//! The base properties Okta defines for each kind of profile. They are fixed: an org adds
//! custom properties beside them.

use serde_json::{Map, Value, json};

use super::SchemaKind;

/// `(name, title, required, extra)` of the user base properties, in Okta's order.
const USER_BASE: &[(&str, &str, bool)] = &[
    ("login", "Username", true),
    ("firstName", "First name", true),
    ("lastName", "Last name", true),
    ("middleName", "Middle name", false),
    ("honorificPrefix", "Honorific prefix", false),
    ("honorificSuffix", "Honorific suffix", false),
    ("email", "Primary email", true),
    ("title", "Title", false),
    ("displayName", "Display name", false),
    ("nickName", "Nickname", false),
    ("profileUrl", "Profile Url", false),
    ("secondEmail", "Secondary email", false),
    ("mobilePhone", "Mobile phone", false),
    ("primaryPhone", "Primary phone", false),
    ("streetAddress", "Street address", false),
    ("city", "City", false),
    ("state", "State", false),
    ("zipCode", "Zip code", false),
    ("countryCode", "Country code", false),
    ("postalAddress", "Postal Address", false),
    ("preferredLanguage", "Preferred language", false),
    ("locale", "Locale", false),
    ("timezone", "Time zone", false),
    ("userType", "User type", false),
    ("employeeNumber", "Employee number", false),
    ("costCenter", "Cost center", false),
    ("organization", "Organization", false),
    ("division", "Division", false),
    ("department", "Department", false),
    ("managerId", "ManagerId", false),
    ("manager", "Manager", false),
];

fn user_extra(name: &str) -> Value {
    match name {
        "login" => json!({"minLength": 5, "maxLength": 100}),
        "firstName" | "lastName" => json!({"minLength": 1, "maxLength": 50}),
        "email" | "secondEmail" => json!({"format": "email"}),
        "profileUrl" => json!({"format": "uri"}),
        "mobilePhone" | "primaryPhone" => json!({"maxLength": 100}),
        "countryCode" => json!({"format": "country-code"}),
        "preferredLanguage" => json!({"format": "language-code"}),
        "locale" => json!({"format": "locale"}),
        "timezone" => json!({"format": "timezone"}),
        _ => json!({}),
    }
}

fn self_action(name: &str) -> &'static str {
    match name {
        "firstName" | "lastName" | "email" | "secondEmail" | "mobilePhone" => "READ_WRITE",
        "primaryPhone" | "streetAddress" | "city" | "state" | "zipCode" | "countryCode"
        | "postalAddress" => "HIDE",
        _ => "READ_ONLY",
    }
}

fn definition(title: &str, required: bool, extra: &Value, action: &str) -> Value {
    let mut def = Map::new();
    def.insert("title".into(), json!(title));
    def.insert("type".into(), json!("string"));
    if required {
        def.insert("required".into(), json!(true));
    }
    def.insert("mutability".into(), json!("READ_WRITE"));
    def.insert("scope".into(), json!("NONE"));
    if let Some(extra) = extra.as_object() {
        for (k, v) in extra {
            def.insert(k.clone(), v.clone());
        }
    }
    def.insert(
        "permissions".into(),
        json!([{"principal": "SELF", "action": action}]),
    );
    Value::Object(def)
}

/// The base property definitions of `kind`, in Okta's order.
pub fn base_properties(kind: SchemaKind) -> Map<String, Value> {
    match kind {
        SchemaKind::User => USER_BASE
            .iter()
            .map(|(name, title, required)| {
                let def = definition(title, *required, &user_extra(name), self_action(name));
                ((*name).to_owned(), def)
            })
            .collect(),
        SchemaKind::Group => [
            (
                "name",
                definition("Name", true, &json!({"maxLength": 255}), "READ_ONLY"),
            ),
            (
                "description",
                definition(
                    "Description",
                    false,
                    &json!({"maxLength": 1024}),
                    "READ_ONLY",
                ),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
        SchemaKind::AppUser => Map::new(),
    }
}

/// The names of the required base properties of `kind`.
pub fn base_required(kind: SchemaKind) -> Vec<&'static str> {
    match kind {
        SchemaKind::User => USER_BASE
            .iter()
            .filter(|(_, _, r)| *r)
            .map(|(n, _, _)| *n)
            .collect(),
        SchemaKind::Group => vec!["name"],
        SchemaKind::AppUser => Vec::new(),
    }
}
