//! The typed parts a server builds a [`crate::Context`] from.

use time::OffsetDateTime;

/// A JSON object, as profiles are kept.
pub(crate) type JsonMap = serde_json::Map<String, serde_json::Value>;

/// A group's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupType {
    /// `OKTA_GROUP`: created in the org.
    OktaGroup,
    /// `APP_GROUP`: imported from a directory or app.
    AppGroup,
    /// `BUILT_IN`: `Everyone`.
    BuiltIn,
}

impl GroupType {
    /// The wire spelling (`OKTA_GROUP`, `APP_GROUP`, `BUILT_IN`).
    pub fn as_str(self) -> &'static str {
        match self {
            GroupType::OktaGroup => "OKTA_GROUP",
            GroupType::AppGroup => "APP_GROUP",
            GroupType::BuiltIn => "BUILT_IN",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(s: &str) -> Option<GroupType> {
        [
            GroupType::OktaGroup,
            GroupType::AppGroup,
            GroupType::BuiltIn,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// The app a group was imported from.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct GroupSource {
    /// The app instance id (`0oa…`).
    pub id: String,
    /// The app's type name (`active_directory`, `google`, …), matched by `Groups.*` sources.
    pub app_name: Option<String>,
}

impl GroupSource {
    /// A source app instance.
    pub fn new(id: impl Into<String>, app_name: Option<String>) -> Self {
        Self {
            id: id.into(),
            app_name,
        }
    }
}

/// A group as the server knows it. `member` says whether the user belongs to it: the context should
/// hold the user's groups (including `Everyone`), and may hold other groups so that a traced
/// evaluation can name whitelisted groups the user is not in.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Group {
    /// Group id (`00g…`).
    pub id: String,
    /// `profile.name`.
    pub name: String,
    /// `profile.description`.
    pub description: Option<String>,
    /// The group's type.
    pub group_type: GroupType,
    /// `objectClass`; [`Group::new`] fills Okta's default for the type.
    pub object_class: Vec<String>,
    /// Creation time.
    pub created: Option<OffsetDateTime>,
    /// Last update.
    pub last_updated: Option<OffsetDateTime>,
    /// Last membership change.
    pub last_membership_updated: Option<OffsetDateTime>,
    /// Source app of an `APP_GROUP`.
    pub source: Option<GroupSource>,
    /// Other profile attributes (`windowsDomainQualifiedName`, …).
    pub profile: JsonMap,
    /// Whether the user is a member.
    pub member: bool,
}

impl Group {
    /// A group the user is a member of, with `objectClass` defaulted from its type.
    pub fn new(id: impl Into<String>, name: impl Into<String>, group_type: GroupType) -> Self {
        let object_class = match group_type {
            GroupType::OktaGroup | GroupType::BuiltIn => vec!["okta:user_group".to_owned()],
            GroupType::AppGroup => Vec::new(),
        };
        Self {
            id: id.into(),
            name: name.into(),
            description: None,
            group_type,
            object_class,
            created: None,
            last_updated: None,
            last_membership_updated: None,
            source: None,
            profile: JsonMap::new(),
            member: true,
        }
    }
}

/// The user the token is for.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct User {
    /// User id (`00u…`).
    pub id: String,
    /// Lifecycle status (`ACTIVE`, …).
    pub status: String,
    /// Creation time.
    pub created: Option<OffsetDateTime>,
    /// Last update.
    pub last_updated: Option<OffsetDateTime>,
    /// Last password change.
    pub password_changed: Option<OffsetDateTime>,
    /// Last login.
    pub last_login: Option<OffsetDateTime>,
    /// The Okta profile (`login`, `email`, custom attributes).
    pub profile: JsonMap,
}

impl User {
    /// A user with an empty profile and no timestamps.
    pub fn new(id: impl Into<String>, status: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            status: status.into(),
            created: None,
            last_updated: None,
            password_changed: None,
            last_login: None,
            profile: JsonMap::new(),
        }
    }
}

/// The requesting OIDC app.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct App {
    /// App instance id.
    pub id: String,
    /// OAuth client id.
    pub client_id: String,
    /// The free-form profile bag.
    pub profile: JsonMap,
}

impl App {
    /// An app with an empty profile.
    pub fn new(id: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            client_id: client_id.into(),
            profile: JsonMap::new(),
        }
    }
}

/// The tenant.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Org {
    /// `org.name`.
    pub name: String,
    /// `org.subDomain`.
    pub sub_domain: String,
}

impl Org {
    /// An org.
    pub fn new(name: impl Into<String>, sub_domain: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            sub_domain: sub_domain.into(),
        }
    }
}

/// The sign-in session.
#[derive(Clone, Debug, PartialEq, Default)]
#[non_exhaustive]
pub struct Session {
    /// Session id.
    pub id: Option<String>,
    /// Authentication methods (`["pwd"]`).
    pub amr: Vec<String>,
}

impl Session {
    /// A session.
    pub fn new(id: Option<String>, amr: Vec<String>) -> Self {
        Self { id, amr }
    }
}
