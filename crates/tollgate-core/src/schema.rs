//! Profile schemas (`/api/v1/meta/schemas/...`): the custom properties an org adds to user,
//! group and app user profiles, the rules a profile must follow on every write, and user
//! types (`/api/v1/meta/types/user`), each with its own user schema.

mod base;
mod check;
mod property;
#[cfg(test)]
mod tests;
pub mod user_type;

use serde_json::{Map, Value};

pub use self::base::{base_properties, base_required};
pub use self::property::{Property, PropertyType};
use crate::clock::Timestamp;
use crate::error::{Cause, Error};

/// Which kind of profile a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaKind {
    /// A user profile (one schema per user type).
    User,
    /// A group profile.
    Group,
    /// An app user (assignment) profile of one app.
    AppUser,
}

impl SchemaKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
            Self::AppUser => "apps",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "user" => Self::User,
            "group" => Self::Group,
            "apps" => Self::AppUser,
            _ => return None,
        })
    }
}

/// A profile schema: the base properties Okta defines for the kind (fixed) and the custom
/// properties the org added, in the order they were added.
#[derive(Debug, Clone)]
pub struct ProfileSchema {
    /// `osc…` for a user schema, `default` for the group schema, the app id for an app user
    /// schema.
    pub id: String,
    /// What the schema describes.
    pub kind: SchemaKind,
    /// The custom properties.
    pub custom: Vec<Property>,
    /// When the schema was created.
    pub created: Timestamp,
    /// When the custom properties last changed.
    pub last_updated: Timestamp,
}

impl ProfileSchema {
    /// A schema with no custom property.
    pub fn empty(id: impl Into<String>, kind: SchemaKind, now: Timestamp) -> Self {
        Self {
            id: id.into(),
            kind,
            custom: Vec::new(),
            created: now,
            last_updated: now,
        }
    }

    /// The custom property called `name`.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.custom.iter().find(|p| p.name == name)
    }

    /// The custom properties as stored: a JSON object of their definitions.
    pub fn custom_json(&self) -> Map<String, Value> {
        self.custom
            .iter()
            .map(|p| (p.name.clone(), Value::Object(p.definition.clone())))
            .collect()
    }

    /// Reads stored custom properties back (see [`ProfileSchema::custom_json`]).
    pub fn with_custom_json(mut self, custom: &Map<String, Value>) -> Result<Self, Error> {
        self.custom = custom
            .iter()
            .map(|(name, def)| Property::parse(name, def))
            .collect::<Result<_, _>>()?;
        Ok(self)
    }

    /// Applies a `POST` body (`definitions.custom.properties`): a property sent as an object is
    /// added or replaced, one sent as `null` is removed, others stay. Base properties cannot be
    /// changed here; a custom property may not take a base property's name.
    pub fn apply_update(&mut self, body: &Value, now: Timestamp) -> Result<(), Error> {
        let Some(props) = body
            .pointer("/definitions/custom/properties")
            .filter(|v| !v.is_null())
        else {
            return Ok(());
        };
        let Some(props) = props.as_object() else {
            return Err(Error::invalid_field(
                "definitions.custom.properties",
                "must be an object",
            ));
        };
        let base = base_properties(self.kind);
        let mut next = self.custom.clone();
        let mut causes = Vec::new();
        for (name, def) in props {
            if def.is_null() {
                next.retain(|p| &p.name != name);
                continue;
            }
            if base.contains_key(name) {
                causes.push(Cause::general(format!(
                    "Property name '{name}' is already used by a base property"
                )));
                continue;
            }
            match Property::parse(name, def) {
                Ok(p) => match next.iter_mut().find(|q| q.name == p.name) {
                    Some(slot) => *slot = p,
                    None => next.push(p),
                },
                Err(Error::Invalid { causes: c, .. }) => causes.extend(c),
                Err(e) => return Err(e),
            }
        }
        if !causes.is_empty() {
            return Err(Error::Invalid {
                summary: "definitions.custom.properties".into(),
                causes,
            });
        }
        self.custom = next;
        self.last_updated = now;
        Ok(())
    }

    /// The values of `profile` that must be unique among users (`unique` string or number
    /// properties), each as `(property, value as text)`.
    pub fn unique_values(&self, profile: &Map<String, Value>) -> Vec<(String, String)> {
        self.custom
            .iter()
            .filter(|p| p.unique && !p.array)
            .filter_map(|p| match profile.get(&p.name)? {
                Value::String(s) => Some((p.name.clone(), s.clone())),
                Value::Number(n) => Some((p.name.clone(), n.to_string())),
                _ => None,
            })
            .collect()
    }

    /// Drops the attributes of `profile` that are neither base nor custom properties (values
    /// of properties since removed from the schema), so an update that does not send them
    /// is not refused for them.
    pub fn prune(&self, profile: &mut Map<String, Value>) {
        let base = base_properties(self.kind);
        profile.retain(|k, _| base.contains_key(k) || self.property(k).is_some());
    }

    /// Checks `profile` against the schema: every attribute must be a base or a custom
    /// property, custom values must have their type and meet their constraints, required
    /// custom properties must be present. Base properties are checked by their own rules
    /// (see [`crate::directory::user::validate_profile`]). `null` clears an attribute.
    pub fn check_profile(&self, profile: &Map<String, Value>) -> Result<(), Error> {
        check::check_profile(self, profile)
    }
}
