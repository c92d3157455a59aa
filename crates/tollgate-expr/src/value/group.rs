//! A group as expressions see it: prepared once from a [`Group`], shared by every context that
//! holds it, and converted property by property when an expression asks.

use std::sync::Arc;

use time::OffsetDateTime;

use super::{Map, Value};
use crate::iso::format_iso;
use crate::parts::{Group, GroupType, JsonMap};

/// A group prepared for evaluation. Only what sorting and the `Groups.*` and
/// `getFilteredGroups` scans read is prepared up front; every other property (times, profile,
/// source, objectClass) is converted when an expression asks for it, because a user may be in
/// a thousand groups and a typical claim reads only their ids and names.
#[derive(Debug)]
pub(crate) struct GroupObj {
    pub(crate) id: Arc<str>,
    pub(crate) name: Arc<str>,
    pub(crate) name_lower: String,
    pub(crate) group_type: GroupType,
    pub(crate) source_id: Option<Arc<str>>,
    pub(crate) source_app: Option<String>,
    pub(crate) member: bool,
    description: Option<String>,
    object_class: Vec<String>,
    /// `created`, `lastUpdated`, `lastMembershipUpdated`.
    times: [Option<OffsetDateTime>; 3],
    /// Profile attributes other than `name` and `description`.
    profile: JsonMap,
}

impl GroupObj {
    /// A property as the group expression sees it; unknown names are `null`.
    pub(crate) fn field(&self, key: &str) -> Value {
        let [created, updated, membership] = self.times;
        match key {
            "id" => Value::Str(self.id.clone()),
            "name" => Value::Str(self.name.clone()),
            "description" => self.description_value(),
            "type" => Value::from(self.group_type.as_str()),
            "status" => Value::from("ACTIVE"),
            "objectClass" => string_list(self.object_class.clone()),
            "created" => time_value(created),
            "lastUpdated" => time_value(updated),
            "lastMembershipUpdated" => time_value(membership),
            "profile" => self.profile_value(),
            "source" => self.source_value(),
            _ => Value::Null,
        }
    }

    fn description_value(&self) -> Value {
        self.description.as_deref().map_or(Value::Null, Value::from)
    }

    fn profile_value(&self) -> Value {
        let mut profile = Map::from_entries([
            (Arc::from("name"), Value::Str(self.name.clone())),
            (Arc::from("description"), self.description_value()),
        ]);
        for (k, v) in &self.profile {
            if k != "name" && k != "description" {
                profile.insert(Arc::from(k.as_str()), Value::from_json(v));
            }
        }
        Value::Map(Arc::new(profile))
    }

    fn source_value(&self) -> Value {
        self.source_id.as_ref().map_or(Value::Null, |id| {
            map_value([
                ("id", Value::Str(id.clone())),
                (
                    "appName",
                    self.source_app.as_deref().map_or(Value::Null, Value::from),
                ),
            ])
        })
    }
}

pub(crate) fn group_obj(g: Group) -> Arc<GroupObj> {
    let name_lower = g.name.to_lowercase();
    let (source_id, source_app) = match g.source {
        Some(s) => (Some(Arc::from(s.id)), s.app_name),
        None => (None, None),
    };
    Arc::new(GroupObj {
        name_lower,
        id: Arc::from(g.id),
        name: Arc::from(g.name),
        group_type: g.group_type,
        source_id,
        source_app,
        member: g.member,
        description: g.description,
        object_class: g.object_class,
        times: [g.created, g.last_updated, g.last_membership_updated],
        profile: g.profile,
    })
}

pub(crate) fn map_value<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Map(Arc::new(Map::from_entries(
        entries.into_iter().map(|(k, v)| (Arc::from(k), v)),
    )))
}

pub(crate) fn string_list(items: Vec<String>) -> Value {
    Value::List(items.into_iter().map(Value::from).collect())
}

pub(crate) fn time_value(t: Option<OffsetDateTime>) -> Value {
    t.map_or(Value::Null, |t| Value::from(format_iso(t)))
}
