//! Who may use an app: users assigned directly (app users) and groups assigned to it.

use serde_json::{Map, Value};

use crate::app::invalid;
use crate::clock::Timestamp;
use crate::error::{Cause, Error};
use crate::id::{AppId, GroupId, UserId};

/// How a user came to be assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentScope {
    /// Directly (an app-user record exists).
    User,
    /// Only through a group assigned to the app.
    Group,
}

impl AssignmentScope {
    /// The wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "USER",
            Self::Group => "GROUP",
        }
    }
}

/// A user's assignment to an app.
#[derive(Debug, Clone, PartialEq)]
pub struct AppUser {
    /// The app.
    pub app_id: AppId,
    /// The user.
    pub user_id: UserId,
    /// Direct or through a group.
    pub scope: AssignmentScope,
    /// `credentials.userName`: the user's name in the app (`appuser.userName` in expressions).
    pub user_name: String,
    /// The app-specific profile.
    pub profile: Map<String, Value>,
    /// `credentials.password`, sealed under the master key; never shown.
    pub password: Option<Vec<u8>>,
    /// When the password was last set.
    pub password_changed: Option<Timestamp>,
    /// When the assignment was made.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
}

/// What an assign or update request says; `None` = left out.
#[derive(Debug, Clone, Default)]
pub struct AppUserDraft {
    /// `credentials.userName`.
    pub user_name: Option<String>,
    /// `profile`.
    pub profile: Option<Value>,
    /// `credentials.password.value`, already sealed (the caller checked the app's scheme).
    pub password: Option<Vec<u8>>,
}

impl AppUser {
    /// A direct assignment of `user_id`: the user name defaults to `default_name` (what the
    /// app's `userNameTemplate` gives; see [`super::app_user_credentials::default_user_name`]).
    pub fn assign(
        app_id: AppId,
        user_id: UserId,
        default_name: &str,
        draft: AppUserDraft,
        now: Timestamp,
    ) -> Result<Self, Error> {
        let mut causes = Vec::new();
        let user_name = check_user_name(
            draft.user_name.unwrap_or_else(|| default_name.to_owned()),
            &mut causes,
        );
        let profile = object_or_empty("profile", draft.profile, &mut causes);
        if !causes.is_empty() {
            return Err(invalid(causes));
        }
        Ok(Self {
            app_id,
            user_id,
            scope: AssignmentScope::User,
            user_name,
            profile,
            password_changed: draft.password.as_ref().map(|_| now),
            password: draft.password,
            created: now,
            last_updated: now,
        })
    }

    /// This direct assignment with the fields the request sent replaced.
    pub fn update(&self, draft: AppUserDraft, now: Timestamp) -> Result<Self, Error> {
        let mut causes = Vec::new();
        let user_name = match draft.user_name {
            Some(n) => check_user_name(n, &mut causes),
            None => self.user_name.clone(),
        };
        let profile = match draft.profile {
            Some(p) => object_or_empty("profile", Some(p), &mut causes),
            None => self.profile.clone(),
        };
        if !causes.is_empty() {
            return Err(invalid(causes));
        }
        let (password, password_changed) = match draft.password {
            Some(p) => (Some(p), Some(now)),
            None => (self.password.clone(), self.password_changed),
        };
        Ok(Self {
            scope: AssignmentScope::User,
            user_name,
            profile,
            password,
            password_changed,
            last_updated: now,
            ..self.clone()
        })
    }
}

fn check_user_name(name: String, causes: &mut Vec<Cause>) -> String {
    let len = name.chars().count();
    if !(1..=100).contains(&len) {
        causes.push(Cause::field(
            "credentials.userName",
            "must be from 1 to 100 characters long",
        ));
    }
    name
}

fn object_or_empty(
    field: &str,
    value: Option<Value>,
    causes: &mut Vec<Cause>,
) -> Map<String, Value> {
    match value {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m,
        Some(_) => {
            causes.push(Cause::field(field, "must be a JSON object"));
            Map::new()
        }
    }
}

/// A group's assignment to an app.
#[derive(Debug, Clone, PartialEq)]
pub struct AppGroup {
    /// The app.
    pub app_id: AppId,
    /// The group.
    pub group_id: GroupId,
    /// Which group's profile wins when a user is in several (lower first).
    pub priority: i64,
    /// The app-specific profile given to the group's members.
    pub profile: Map<String, Value>,
    /// When the assignment was made.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
}

/// What `PUT /apps/{id}/groups/{groupId}` says; the body is optional.
#[derive(Debug, Clone, Default)]
pub struct AppGroupDraft {
    /// `priority`.
    pub priority: Option<Value>,
    /// `profile`.
    pub profile: Option<Value>,
}

impl AppGroup {
    /// Assigns `group_id`, or updates an existing assignment (`existing`). A new assignment
    /// without a priority gets `next_priority`, as Okta assigns the next one by default; an
    /// update keeps what the request leaves out.
    pub fn assign(
        app_id: AppId,
        group_id: GroupId,
        existing: Option<&AppGroup>,
        next_priority: i64,
        draft: AppGroupDraft,
        now: Timestamp,
    ) -> Result<Self, Error> {
        let mut causes = Vec::new();
        let priority = match draft.priority {
            None | Some(Value::Null) => existing.map_or(next_priority, |e| e.priority),
            Some(v) => match v.as_i64().filter(|p| (0..=i64::from(i32::MAX)).contains(p)) {
                Some(p) => p,
                None => {
                    causes.push(Cause::field("priority", "must be a non-negative integer"));
                    0
                }
            },
        };
        let profile = match draft.profile {
            None => existing.map(|e| e.profile.clone()).unwrap_or_default(),
            p => object_or_empty("profile", p, &mut causes),
        };
        if !causes.is_empty() {
            return Err(invalid(causes));
        }
        Ok(Self {
            app_id,
            group_id,
            priority,
            profile,
            created: existing.map_or(now, |e| e.created),
            last_updated: now,
        })
    }
}
