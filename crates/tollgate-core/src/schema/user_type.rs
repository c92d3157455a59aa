//! User types (`/api/v1/meta/types/user`): a name, a display name and a user schema of their
//! own. The built-in default type cannot be deleted.

use serde_json::Value;

use crate::clock::Timestamp;
use crate::error::{Cause, Error};
use crate::id::random_base62;

/// The id of the built-in default user type.
pub const DEFAULT_TYPE_ID: &str = "oty00000000000000000";
/// The id of the default type's user schema.
pub const DEFAULT_SCHEMA_ID: &str = "osc00000000000000000";

/// The id of user type `type_id`'s schema: the same random part behind `osc`, so a user's
/// `_links.schema` needs no lookup.
pub fn schema_id_of(type_id: &str) -> String {
    format!("osc{}", type_id.get(3..).unwrap_or_default())
}

/// A user type.
#[derive(Debug, Clone, PartialEq)]
pub struct UserType {
    /// `oty…`.
    pub id: String,
    /// Unique; starts with a letter, then letters, digits, underscores. Fixed after creation.
    pub name: String,
    /// `displayName`.
    pub display_name: String,
    /// `description`.
    pub description: Option<String>,
    /// The built-in type.
    pub default: bool,
    /// `osc…`: the type's user schema.
    pub schema_id: String,
    /// When it was created, and by whom.
    pub created: Timestamp,
    /// `createdBy`.
    pub created_by: String,
    /// When it last changed.
    pub last_updated: Timestamp,
    /// `lastUpdatedBy`.
    pub last_updated_by: String,
}

fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl UserType {
    /// A new type from a `POST /api/v1/meta/types/user` body.
    pub fn create(body: &Value, actor: &str, now: Timestamp) -> Result<Self, Error> {
        let mut causes = Vec::new();
        let name = text(body, "name");
        match &name {
            None => causes.push(Cause::field("name", "The field cannot be left blank")),
            Some(n) if !valid_name(n) => causes.push(Cause::field(
                "name",
                "The name must start with a letter and contain only letters, digits or underscores",
            )),
            Some(_) => {}
        }
        let display_name = text(body, "displayName");
        if display_name.is_none() {
            causes.push(Cause::field(
                "displayName",
                "The field cannot be left blank",
            ));
        }
        Error::unless_causes(causes)?;
        let random = random_base62(17);
        Ok(Self {
            id: format!("oty{random}"),
            name: name.unwrap_or_default(),
            display_name: display_name.unwrap_or_default(),
            description: text(body, "description"),
            default: false,
            schema_id: format!("osc{random}"),
            created: now,
            created_by: actor.to_owned(),
            last_updated: now,
            last_updated_by: actor.to_owned(),
        })
    }

    /// The built-in default type.
    pub fn built_in(now: Timestamp) -> Self {
        Self {
            id: DEFAULT_TYPE_ID.to_owned(),
            name: "user".to_owned(),
            display_name: "User".to_owned(),
            description: Some("Okta user profile template with default permission settings".into()),
            default: true,
            schema_id: DEFAULT_SCHEMA_ID.to_owned(),
            created: now,
            created_by: String::new(),
            last_updated: now,
            last_updated_by: String::new(),
        }
    }

    /// `POST` (partial: fields sent change) or `PUT` (`replace`: `displayName` required, an
    /// absent description is cleared). The name cannot change.
    pub fn update(
        &mut self,
        body: &Value,
        replace: bool,
        actor: &str,
        now: Timestamp,
    ) -> Result<(), Error> {
        let mut causes = Vec::new();
        if let Some(name) = text(body, "name")
            && name != self.name
        {
            causes.push(Cause::field(
                "name",
                "The name of a user type cannot be changed",
            ));
        }
        let display_name = text(body, "displayName");
        if replace && display_name.is_none() {
            causes.push(Cause::field(
                "displayName",
                "The field cannot be left blank",
            ));
        }
        Error::unless_causes(causes)?;
        if let Some(d) = display_name {
            self.display_name = d;
        }
        if replace || body.get("description").is_some() {
            self.description = text(body, "description");
        }
        self.last_updated = now;
        actor.clone_into(&mut self.last_updated_by);
        Ok(())
    }

    /// Refuses to delete the default type.
    pub fn check_delete(&self) -> Result<(), Error> {
        if self.default {
            Err(Error::Forbidden)
        } else {
            Ok(())
        }
    }
}
