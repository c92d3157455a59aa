//! Groups: `OKTA_GROUP` (managed through the API), the built-in `Everyone` and `APP_GROUP`s
//! imported from an app.

use serde_json::{Map, Value};

use crate::clock::Timestamp;
use crate::error::{Cause, Error};
use crate::id::{AppId, GroupId};

/// Where a group comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupType {
    /// Created through the API.
    OktaGroup,
    /// `Everyone`: every user is an implicit member; read-only.
    BuiltIn,
    /// Imported from an app (a directory); read-only through the API.
    AppGroup,
}

impl GroupType {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OktaGroup => "OKTA_GROUP",
            Self::BuiltIn => "BUILT_IN",
            Self::AppGroup => "APP_GROUP",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "OKTA_GROUP" => Some(Self::OktaGroup),
            "BUILT_IN" => Some(Self::BuiltIn),
            "APP_GROUP" => Some(Self::AppGroup),
            _ => None,
        }
    }

    /// The `objectClass` Okta shows.
    pub fn object_class(self) -> &'static str {
        match self {
            Self::OktaGroup | Self::BuiltIn => "okta:user_group",
            Self::AppGroup => "okta:windows_security_principal",
        }
    }
}

/// The name of the built-in group every user belongs to.
pub const EVERYONE: &str = "Everyone";

/// A group.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// `00g…`.
    pub id: GroupId,
    /// Where it comes from.
    pub kind: GroupType,
    /// The whole profile, `name` and `description` included; extra keys round-trip.
    pub profile: Map<String, Value>,
    /// The app an `APP_GROUP` was imported from.
    pub source_app: Option<AppId>,
    /// When it was created.
    pub created: Timestamp,
    /// When its profile last changed.
    pub last_updated: Timestamp,
    /// When its membership last changed.
    pub last_membership_updated: Timestamp,
    /// Bumped by every stored write to the group (profile or membership), in the same
    /// statement: caches compare it, since two writes can share a millisecond.
    pub version: i64,
}

impl Group {
    /// `profile.name`.
    pub fn name(&self) -> &str {
        self.profile
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// `profile.description`, if any.
    pub fn description(&self) -> Option<&str> {
        self.profile.get("description").and_then(Value::as_str)
    }

    /// A new group of `kind` with a validated profile.
    pub fn new(
        kind: GroupType,
        profile: Map<String, Value>,
        now: Timestamp,
    ) -> Result<Self, Error> {
        Ok(Self {
            id: GroupId::generate(),
            kind,
            profile: validate_profile(profile)?,
            source_app: None,
            created: now,
            last_updated: now,
            last_membership_updated: now,
            version: 0,
        })
    }

    /// The built-in `Everyone` group.
    pub fn everyone(now: Timestamp) -> Self {
        let mut profile = Map::new();
        profile.insert("name".into(), Value::String(EVERYONE.to_owned()));
        profile.insert(
            "description".into(),
            Value::String("All users in your organization".to_owned()),
        );
        Self {
            id: GroupId::generate(),
            kind: GroupType::BuiltIn,
            profile,
            source_app: None,
            created: now,
            last_updated: now,
            last_membership_updated: now,
            version: 0,
        }
    }

    /// Replaces the profile (`PUT /groups/{id}`); only `OKTA_GROUP`s may change.
    pub fn replace_profile(
        &mut self,
        profile: Map<String, Value>,
        now: Timestamp,
    ) -> Result<(), Error> {
        if self.kind != GroupType::OktaGroup {
            return Err(Error::Forbidden);
        }
        self.profile = validate_profile(profile)?;
        self.last_updated = now;
        Ok(())
    }
}

/// `name` is required (1 to 255 characters); `description`, when present, is text or null.
pub fn validate_profile(mut profile: Map<String, Value>) -> Result<Map<String, Value>, Error> {
    let mut causes = Vec::new();
    match profile.get("name") {
        Some(Value::String(n)) if !n.trim().is_empty() && n.chars().count() <= 255 => {}
        Some(Value::String(n)) if !n.trim().is_empty() => {
            causes.push(Cause::field("name", "must be at most 255 characters"))
        }
        _ => causes.push(Cause::field("name", "The field cannot be left blank")),
    }
    match profile.get("description") {
        None | Some(Value::Null | Value::String(_)) => {}
        Some(_) => causes.push(Cause::field("description", "must be a string")),
    }
    if let Some(Value::String(n)) = profile.get("name") {
        let trimmed = n.trim().to_owned();
        profile.insert("name".into(), Value::String(trimmed));
    }
    if causes.is_empty() {
        Ok(profile)
    } else {
        let summary = causes
            .first()
            .and_then(|c| c.field.clone())
            .unwrap_or_default();
        Err(Error::Invalid { summary, causes })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn name_is_required() {
        let now = Timestamp::from_millis(0);
        assert!(Group::new(GroupType::OktaGroup, map(json!({"name": "West"})), now).is_ok());
        assert!(Group::new(GroupType::OktaGroup, map(json!({"name": " "})), now).is_err());
        assert!(Group::new(GroupType::OktaGroup, map(json!({"description": "x"})), now).is_err());
        assert!(
            Group::new(
                GroupType::OktaGroup,
                map(json!({"name": "x", "description": 3})),
                now
            )
            .is_err()
        );
    }

    #[test]
    fn built_in_groups_are_read_only() {
        let now = Timestamp::from_millis(0);
        let mut e = Group::everyone(now);
        assert!(matches!(
            e.replace_profile(map(json!({"name": "x"})), now),
            Err(Error::Forbidden)
        ));
        let mut g = Group::new(
            GroupType::OktaGroup,
            map(json!({"name": "a", "extra": [1]})),
            now,
        )
        .unwrap();
        g.replace_profile(map(json!({"name": "b"})), Timestamp::from_millis(9))
            .unwrap();
        assert_eq!(g.name(), "b");
        assert_eq!(g.last_updated.millis(), 9);
    }
}
