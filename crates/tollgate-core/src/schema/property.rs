//! One custom property: its definition as Okta shows it, and the parts validation reads.

use regex::Regex;
use serde_json::{Map, Value, json};

use crate::error::{Cause, Error};

/// The JSON type of a property's value (or of an array's items).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyType {
    /// `string`.
    String,
    /// `integer`: a whole number.
    Integer,
    /// `number`: any number.
    Number,
    /// `boolean`.
    Boolean,
}

impl PropertyType {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "string" => Self::String,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "boolean" => Self::Boolean,
            _ => return None,
        })
    }

    /// Okta's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
        }
    }

    /// Whether `v` is a value of this type.
    pub fn accepts(self, v: &Value) -> bool {
        match self {
            Self::String => v.is_string(),
            Self::Integer => v.is_i64() || v.is_u64(),
            Self::Number => v.is_number(),
            Self::Boolean => v.is_boolean(),
        }
    }
}

/// A custom property.
#[derive(Debug, Clone)]
pub struct Property {
    /// The variable name (`age`).
    pub name: String,
    /// The value's type, or the items' type when [`Property::array`].
    pub kind: PropertyType,
    /// `type: array`.
    pub array: bool,
    /// `required: true`.
    pub required: bool,
    /// `unique: "UNIQUE_VALIDATED"`.
    pub unique: bool,
    /// `minLength`, `maxLength` (strings).
    pub length: (Option<u64>, Option<u64>),
    /// `minimum`, `maximum` (numbers).
    pub range: (Option<f64>, Option<f64>),
    /// `enum` or the `const`s of `oneOf`: the only values allowed.
    pub allowed: Option<Vec<Value>>,
    /// `pattern`, anchored to the whole value.
    pub pattern: Option<Regex>,
    /// The definition as Okta shows it, defaults filled in.
    pub definition: Map<String, Value>,
}

fn bad(name: &str, message: impl Into<String>) -> Cause {
    Cause::field(name, message)
}

fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 100
}

impl Property {
    /// Parses and checks the definition of custom property `name`; fills in Okta's defaults
    /// (`mutability`, `scope`, `permissions`).
    pub fn parse(name: &str, def: &Value) -> Result<Self, Error> {
        let Some(obj) = def.as_object() else {
            return Err(Error::invalid_field(
                name,
                "The property definition must be an object",
            ));
        };
        let mut causes = Vec::new();
        if !is_variable_name(name) {
            causes.push(bad(name, "Variable name must start with a letter and hold only letters, digits and underscores"));
        }
        let title = obj.get("title").and_then(Value::as_str).unwrap_or_default();
        if title.trim().is_empty() {
            causes.push(bad(name, "title: The field cannot be left blank"));
        }
        let type_name = obj.get("type").and_then(Value::as_str).unwrap_or_default();
        let array = type_name == "array";
        let kind = if array {
            obj.get("items")
                .and_then(|i| i.get("type"))
                .and_then(Value::as_str)
                .and_then(PropertyType::parse)
        } else {
            PropertyType::parse(type_name)
        };
        let Some(kind) = kind else {
            causes.push(bad(
                name,
                "type must be one of string, integer, number, boolean or an array of those",
            ));
            return Err(Error::Invalid {
                summary: name.to_owned(),
                causes,
            });
        };
        let uint = |key: &str, causes: &mut Vec<Cause>| match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => v.as_u64().or_else(|| {
                causes.push(bad(name, format!("{key} must be a non-negative integer")));
                None
            }),
        };
        let length = (
            uint("minLength", &mut causes),
            uint("maxLength", &mut causes),
        );
        let num = |key: &str, causes: &mut Vec<Cause>| match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => v.as_f64().or_else(|| {
                causes.push(bad(name, format!("{key} must be a number")));
                None
            }),
        };
        let range = (num("minimum", &mut causes), num("maximum", &mut causes));
        if let (Some(lo), Some(hi)) = length
            && lo > hi
        {
            causes.push(bad(name, "minLength cannot exceed maxLength"));
        }
        if let (Some(lo), Some(hi)) = range
            && lo > hi
        {
            causes.push(bad(name, "minimum cannot exceed maximum"));
        }
        let allowed = allowed_values(name, obj, array, kind, &mut causes);
        let pattern = match obj.get("pattern") {
            None | Some(Value::Null) => None,
            Some(Value::String(p)) => Regex::new(&format!("^(?:{p})$"))
                .map_err(|_| causes.push(bad(name, "pattern is not a valid regular expression")))
                .ok(),
            Some(_) => {
                causes.push(bad(name, "pattern must be a string"));
                None
            }
        };
        if !causes.is_empty() {
            return Err(Error::Invalid {
                summary: name.to_owned(),
                causes,
            });
        }
        // `"UNIQUE_VALIDATED"` in Okta's answers, a boolean in its OpenAPI description.
        let unique = matches!(
            obj.get("unique"),
            Some(Value::Bool(true)) | Some(Value::String(_))
        ) && obj.get("unique").and_then(Value::as_str) != Some("NOT_UNIQUE");
        let mut definition = obj.clone();
        for (key, default) in [
            ("mutability", json!("READ_WRITE")),
            ("scope", json!("NONE")),
            (
                "permissions",
                json!([{"principal": "SELF", "action": "READ_ONLY"}]),
            ),
        ] {
            definition.entry(key).or_insert(default);
        }
        definition.remove("required");
        let required = obj
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if required {
            definition.insert("required".into(), json!(true));
        }
        Ok(Self {
            name: name.to_owned(),
            kind,
            array,
            required,
            unique,
            length,
            range,
            allowed,
            pattern,
            definition,
        })
    }
}

/// `enum` (a list of values of the property's type) or `oneOf` (`{const, title}` entries).
fn allowed_values(
    name: &str,
    obj: &Map<String, Value>,
    array: bool,
    kind: PropertyType,
    causes: &mut Vec<Cause>,
) -> Option<Vec<Value>> {
    let items = if array {
        obj.get("items").unwrap_or(&Value::Null)
    } else {
        &Value::Null
    };
    let pick = |key: &str| {
        obj.get(key)
            .or_else(|| items.get(key))
            .filter(|v| !v.is_null())
    };
    let mut values: Option<Vec<Value>> = None;
    if let Some(list) = pick("enum") {
        match list.as_array() {
            Some(list) => values = Some(list.clone()),
            None => causes.push(bad(name, "enum must be an array")),
        }
    }
    if let Some(list) = pick("oneOf") {
        let consts: Option<Vec<Value>> = list
            .as_array()
            .map(|l| l.iter().map(|e| e.get("const").cloned()).collect())
            .unwrap_or(None);
        match consts {
            Some(c) => values = Some(c),
            None => causes.push(bad(name, "oneOf must be an array of objects with a const")),
        }
    }
    if let Some(vals) = &values
        && vals.iter().any(|v| !kind.accepts(v))
    {
        causes.push(bad(
            name,
            format!("enum values must be of type {}", kind.as_str()),
        ));
    }
    values
}
