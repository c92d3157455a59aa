//! What an evaluation can see, prefetched by the server: the user, the user's groups, the app, the
//! app user, the org, the granted scopes, the session and the clock. Built once per token request;
//! the group index and the sorted member list are computed here, not per evaluation.
//!
//! Two ways in: the typed [`ContextBuilder`] (the server builds it from its own models) and
//! [`Context::from_json`] (the fixture format documented in the crate README; `context/json.rs`).

mod id_hash;
mod json;

pub(crate) use crate::parts::JsonMap;
pub use crate::parts::{App, Group, GroupSource, GroupType, Org, Session, User};
pub(crate) use id_hash::IdHash;

use std::collections::HashMap;
use std::sync::Arc;

use time::OffsetDateTime;

use crate::value::group::{GroupObj, group_obj, map_value, string_list, time_value};
use crate::value::{Map, Value};

/// A group converted once and shared by any number of contexts: a server that sees the same
/// groups on every token request keeps these instead of converting a thousand groups each time.
#[derive(Clone, Debug)]
pub struct PreparedGroup(Arc<GroupObj>);

impl Group {
    /// Converts the group once, for [`ContextBuilder::prepared_groups`].
    pub fn prepare(self) -> PreparedGroup {
        PreparedGroup(group_obj(self))
    }
}

/// An app (with its profile, often a long allow-list) converted once, for
/// [`ContextBuilder::prepared_app`].
#[derive(Clone, Debug)]
pub struct PreparedApp(Value);

impl App {
    /// Converts the app once.
    pub fn prepare(self) -> PreparedApp {
        PreparedApp(app_value(self))
    }
}

/// Everything an evaluation can read. Cheap to share: build once per request, evaluate any number of
/// expressions against it, from any thread.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub(crate) user: Value,
    pub(crate) app: Value,
    pub(crate) appuser: Value,
    pub(crate) org: Value,
    pub(crate) access: Value,
    pub(crate) session: Value,
    pub(crate) now: Option<OffsetDateTime>,
    /// The groups, indexed.
    pub(crate) index: Arc<GroupIndex>,
}

/// The groups of a context, indexed once; shared between contexts built from the same
/// [`PreparedGroups`].
#[derive(Debug, Default)]
pub(crate) struct GroupIndex {
    /// Every known group, the user's first (in the order given), then the others.
    pub(crate) groups: Vec<Arc<GroupObj>>,
    /// How many leading entries of `groups` are the user's groups.
    pub(crate) member_count: usize,
    pub(crate) by_id: HashMap<Arc<str>, usize, IdHash>,
    /// The user's groups in `Groups.*` order (name ignoring case, then id), sorted on first use:
    /// `getFilteredGroups` and membership tests never need the order, so a token request whose
    /// claims use only those does not pay for sorting a thousand groups.
    sorted_members: std::sync::OnceLock<Vec<Arc<GroupObj>>>,
}

impl GroupIndex {
    fn new(groups: impl Iterator<Item = Arc<GroupObj>>) -> Self {
        let (mut groups, others): (Vec<Arc<GroupObj>>, Vec<Arc<GroupObj>>) =
            groups.partition(|g| g.member);
        let member_count = groups.len();
        groups.extend(others);
        let mut by_id = HashMap::with_capacity_and_hasher(groups.len(), IdHash);
        for (i, g) in groups.iter().enumerate() {
            // A group listed twice keeps its first (member) entry.
            by_id.entry(g.id.clone()).or_insert(i);
        }
        Self {
            groups,
            member_count,
            by_id,
            sorted_members: std::sync::OnceLock::new(),
        }
    }

    pub(crate) fn member_groups(&self) -> &[Arc<GroupObj>] {
        self.sorted_members.get_or_init(|| {
            let mut members = self.groups.get(..self.member_count).unwrap_or(&[]).to_vec();
            members.sort_by(|a, b| {
                a.name_lower
                    .cmp(&b.name_lower)
                    .then_with(|| a.id.cmp(&b.id))
            });
            members
        })
    }

    /// Whether the user's groups here are exactly `ids`, in this order.
    fn members_are<'a>(&self, mut ids: impl ExactSizeIterator<Item = &'a str>) -> bool {
        ids.len() == self.member_count
            && self
                .groups
                .iter()
                .take(self.member_count)
                .all(|g| ids.next() == Some(&*g.id))
    }
}

/// A user's whole set of groups, prepared and indexed once (see [`ContextBuilder::group_set`]).
#[derive(Clone, Debug)]
pub struct PreparedGroups(Arc<GroupIndex>);

impl PreparedGroups {
    /// Indexes `groups` (all of them the user's).
    pub fn new(groups: impl IntoIterator<Item = PreparedGroup>) -> Self {
        Self(Arc::new(GroupIndex::new(groups.into_iter().map(|g| g.0))))
    }

    /// Whether `other` is this very set (shared, not an equal copy).
    pub fn same_as(&self, other: &PreparedGroups) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Whether this set holds exactly the groups with these ids, in this order (a cache keyed
    /// by a digest checks its hit with this).
    pub fn holds_exactly<'a>(&self, ids: impl ExactSizeIterator<Item = &'a str>) -> bool {
        self.0.members_are(ids)
    }
}

/// Builds a [`Context`] from typed parts. Unset parts are absent: no user (client credentials), no
/// app, no app user, no scopes (`access.scope` is `null`, as on the org server), no session.
#[derive(Clone, Debug, Default)]
pub struct ContextBuilder {
    now: Option<OffsetDateTime>,
    user: Option<User>,
    groups: Vec<Group>,
    prepared_groups: Vec<Arc<GroupObj>>,
    group_set: Option<PreparedGroups>,
    app: Option<App>,
    prepared_app: Option<Value>,
    appuser: Option<JsonMap>,
    org: Option<Org>,
    scopes: Option<Vec<String>>,
    session: Option<Session>,
}

impl ContextBuilder {
    /// Sets the user.
    pub fn user(mut self, user: User) -> Self {
        self.user = Some(user);
        self
    }

    /// Sets the groups (the user's, and optionally others with `member: false`).
    pub fn groups(mut self, groups: impl IntoIterator<Item = Group>) -> Self {
        self.groups = groups.into_iter().collect();
        self
    }

    /// Adds groups converted beforehand (with [`Group::prepare`]) to those of
    /// [`ContextBuilder::groups`].
    pub fn prepared_groups(mut self, groups: impl IntoIterator<Item = PreparedGroup>) -> Self {
        self.prepared_groups = groups.into_iter().map(|g| g.0).collect();
        self
    }

    /// Uses a whole prepared and indexed set of groups (shared, not copied).
    pub fn group_set(mut self, set: PreparedGroups) -> Self {
        self.group_set = Some(set);
        self
    }

    /// Sets the requesting app.
    pub fn app(mut self, app: App) -> Self {
        self.app = Some(app);
        self
    }

    /// Sets the requesting app, converted beforehand (with [`App::prepare`]).
    pub fn prepared_app(mut self, app: PreparedApp) -> Self {
        self.prepared_app = Some(app.0);
        self
    }

    /// Sets the app-user profile (`appuser.*`, with `userName`).
    pub fn app_user(mut self, profile: JsonMap) -> Self {
        self.appuser = Some(profile);
        self
    }

    /// Sets the org.
    pub fn org(mut self, org: Org) -> Self {
        self.org = Some(org);
        self
    }

    /// Sets the scopes granted to the token being built (`access.scope`), in `scp` order.
    pub fn scopes(mut self, scopes: Vec<String>) -> Self {
        self.scopes = Some(scopes);
        self
    }

    /// Sets the session.
    pub fn session(mut self, session: Session) -> Self {
        self.session = Some(session);
        self
    }

    /// Builds the context, converting profiles and indexing groups once.
    pub fn build(self) -> Context {
        let user = self.user.map_or(Value::Null, |u| user_value(&u));
        let app = match (self.prepared_app, self.app) {
            (Some(prepared), _) => prepared,
            (None, Some(a)) => app_value(a),
            (None, None) => Value::Null,
        };
        let appuser = self.appuser.map_or(Value::Null, |p| json_map_value(&p));
        let org = self.org.map_or_else(
            || map_value([("name", Value::Null), ("subDomain", Value::Null)]),
            |o| {
                map_value([
                    ("name", Value::from(o.name)),
                    ("subDomain", Value::from(o.sub_domain)),
                ])
            },
        );
        let access = map_value([("scope", self.scopes.map_or(Value::Null, string_list))]);
        let session = self.session.map_or_else(
            || map_value([("id", Value::Null), ("amr", Value::Null)]),
            |s| {
                map_value([
                    ("id", s.id.map_or(Value::Null, Value::from)),
                    ("amr", string_list(s.amr)),
                ])
            },
        );
        let index = match self.group_set {
            Some(set) if self.groups.is_empty() && self.prepared_groups.is_empty() => set.0,
            set => Arc::new(GroupIndex::new(
                set.iter()
                    .flat_map(|s| s.0.groups.iter().cloned())
                    .chain(self.groups.into_iter().map(group_obj))
                    .chain(self.prepared_groups),
            )),
        };
        Context {
            user,
            app,
            appuser,
            org,
            access,
            session,
            now: self.now,
            index,
        }
    }
}

impl Context {
    /// Starts a context; `now` is what `Time.now()` returns (this crate never reads a clock).
    pub fn builder(now: OffsetDateTime) -> ContextBuilder {
        ContextBuilder {
            now: Some(now),
            ..ContextBuilder::default()
        }
    }

    /// A context with nothing in it and no clock (`Time.now()` fails).
    pub fn empty() -> Context {
        ContextBuilder::default().build()
    }

    /// The user's groups, in `Groups.*` order.
    pub(crate) fn member_groups(&self) -> &[Arc<GroupObj>] {
        self.index.member_groups()
    }
}

fn app_value(a: App) -> Value {
    map_value([
        ("id", Value::from(a.id)),
        ("clientId", Value::from(a.client_id)),
        ("profile", json_map_value(&a.profile)),
    ])
}

fn json_map_value(map: &JsonMap) -> Value {
    Value::Map(Arc::new(json_map(map)))
}

fn json_map(map: &JsonMap) -> Map {
    Map::from_entries(
        map.iter()
            .map(|(k, v)| (Arc::from(k.as_str()), Value::from_json(v))),
    )
}

/// `user.x` reads the profile, except the top-level names, which win over same-named profile
/// attributes; `user.profile` is the profile itself.
fn user_value(u: &User) -> Value {
    let profile = json_map_value(&u.profile);
    let mut map = json_map(&u.profile);
    for (k, v) in [
        ("id", Value::from(u.id.as_str())),
        ("status", Value::from(u.status.as_str())),
        ("created", time_value(u.created)),
        ("lastUpdated", time_value(u.last_updated)),
        ("passwordChanged", time_value(u.password_changed)),
        ("lastLogin", time_value(u.last_login)),
        ("profile", profile),
    ] {
        map.insert(Arc::from(k), v);
    }
    Value::Map(Arc::new(map))
}
