//! Who is assigned to which app: direct app users, app groups, and the one-query assignment
//! test the OAuth endpoints use.

use serde_json::{Map, Value};
use tollgate_core::Timestamp;
use tollgate_core::app::assignment::{AppGroup, AppUser, AssignmentScope};
use tollgate_core::id::{AppId, GroupId, UserId};
use tollgate_core::log::LogEvent;

use crate::apps::{like_prefix, limit_plus_one, page};
use crate::{Error, Result, Store, in_tx, on_pool, write_events, write_logged};

#[derive(sqlx::FromRow)]
struct AppUserRow {
    user_id: String,
    user_profile: String,
    user_name: Option<String>,
    profile: Option<String>,
    password: Option<Vec<u8>>,
    password_changed: Option<i64>,
    created: Option<i64>,
    last_updated: Option<i64>,
    group_created: Option<i64>,
}

impl AppUserRow {
    fn into_app_user(self, app_id: &str) -> Result<AppUser> {
        let user_id = UserId::from_trusted(self.user_id);
        let app_id = AppId::from_trusted(app_id);
        if let Some(user_name) = self.user_name {
            let profile: Map<String, Value> =
                serde_json::from_str(self.profile.as_deref().unwrap_or("{}"))?;
            return Ok(AppUser {
                app_id,
                user_id,
                scope: AssignmentScope::User,
                user_name,
                profile,
                password: self.password,
                password_changed: self.password_changed.map(Timestamp::from_millis),
                created: Timestamp::from_millis(self.created.unwrap_or_default()),
                last_updated: Timestamp::from_millis(self.last_updated.unwrap_or_default()),
            });
        }
        // Assigned only through a group: the user name is the login, as the app's built-in
        // `${source.login}` template gives, and the assignment dates from the first group's.
        let at = Timestamp::from_millis(self.group_created.unwrap_or_default());
        Ok(AppUser {
            app_id,
            user_id,
            scope: AssignmentScope::Group,
            user_name: login_of(&self.user_profile)?,
            profile: Map::new(),
            password: None,
            password_changed: None,
            created: at,
            last_updated: at,
        })
    }
}

/// `profile.login` of a stored user profile.
fn login_of(profile: &str) -> Result<String> {
    let profile: Map<String, Value> = serde_json::from_str(profile)?;
    profile
        .get("login")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::Corrupt("user profile without a login".to_owned()))
}

#[derive(sqlx::FromRow)]
struct AppGroupRow {
    group_id: String,
    priority: i64,
    profile: String,
    created: i64,
    last_updated: i64,
}

impl AppGroupRow {
    fn into_app_group(self, app_id: &str) -> Result<AppGroup> {
        Ok(AppGroup {
            app_id: AppId::from_trusted(app_id),
            group_id: GroupId::from_trusted(self.group_id),
            priority: self.priority,
            profile: serde_json::from_str(&self.profile)?,
            created: Timestamp::from_millis(self.created),
            last_updated: Timestamp::from_millis(self.last_updated),
        })
    }
}

/// App users of app `$1` whose id compares with `$2` by `$cmp`: the direct ones, the members
/// of assigned groups, and everyone when `Everyone` is assigned; direct fields when they exist.
macro_rules! assigned_users {
    ($cmp:literal) => {
        concat!(
            "WITH assigned (user_id) AS (",
            "SELECT user_id FROM app_users WHERE app_id = $1 AND user_id ", $cmp, " $2",
            " UNION SELECT gm.user_id FROM app_groups ag JOIN group_members gm ON gm.group_id = ag.group_id",
            " WHERE ag.app_id = $1 AND gm.user_id ", $cmp, " $2",
            " UNION SELECT u.id FROM users u WHERE u.id ", $cmp, " $2 AND EXISTS (SELECT 1 FROM app_groups ag",
            " JOIN user_groups g ON g.id = ag.group_id WHERE ag.app_id = $1 AND g.type = 'BUILT_IN'))",
            " SELECT u.id AS user_id, u.profile AS user_profile, au.user_name, au.profile,",
            " au.password, au.password_changed, au.created,",
            " au.last_updated, (SELECT MIN(ag.created) FROM app_groups ag JOIN user_groups g ON g.id = ag.group_id",
            " WHERE ag.app_id = $1 AND (g.type = 'BUILT_IN' OR EXISTS (SELECT 1 FROM group_members gm",
            " WHERE gm.group_id = ag.group_id AND gm.user_id = u.id))) AS group_created",
            " FROM assigned a JOIN users u ON u.id = a.user_id",
            " LEFT JOIN app_users au ON au.app_id = $1 AND au.user_id = u.id",
            " WHERE $4 = '' OR lower(COALESCE(au.user_name, u.login_lower)) LIKE $4 ESCAPE '\\'",
            " ORDER BY u.id LIMIT $3"
        )
    };
}

const LIST_APP_USERS: &str = assigned_users!(">");
const FIND_APP_USER: &str = assigned_users!("=");
const FIND_DIRECT_APP_USER: &str = "SELECT u.id AS user_id, u.profile AS user_profile, au.user_name, \
     au.profile, au.password, au.password_changed, au.created, au.last_updated, CAST(NULL AS BIGINT) AS group_created \
     FROM app_users au JOIN users u ON u.id = au.user_id WHERE au.app_id = $1 AND au.user_id = $2";
const SAVE_APP_USER: &str = "INSERT INTO app_users (app_id, user_id, user_name, profile, created, \
     last_updated, password, password_changed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     ON CONFLICT (app_id, user_id) DO UPDATE SET user_name = excluded.user_name, \
     profile = excluded.profile, last_updated = excluded.last_updated, \
     password = excluded.password, password_changed = excluded.password_changed RETURNING created";
const DELETE_APP_USER: &str = "DELETE FROM app_users WHERE app_id = $1 AND user_id = $2";

const APP_GROUP_COLUMNS_WHERE: &str = "SELECT group_id, priority, profile, created, last_updated \
     FROM app_groups WHERE app_id = $1 AND group_id = $2";
const LIST_APP_GROUPS: &str = "SELECT group_id, priority, profile, created, last_updated \
     FROM app_groups WHERE app_id = $1 AND group_id > $2 AND ($4 = '' OR group_id IN \
     (SELECT id FROM user_groups WHERE name_lower LIKE $4 ESCAPE '\\')) \
     ORDER BY group_id LIMIT $3";
const NEXT_PRIORITY: &str =
    "SELECT CAST(COALESCE(MAX(priority) + 1, 0) AS BIGINT) FROM app_groups WHERE app_id = $1";
const SAVE_APP_GROUP: &str = "INSERT INTO app_groups (app_id, group_id, priority, profile, created, last_updated) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (app_id, group_id) DO UPDATE SET \
     priority = excluded.priority, profile = excluded.profile, last_updated = excluded.last_updated";
const DELETE_APP_GROUP: &str = "DELETE FROM app_groups WHERE app_id = $1 AND group_id = $2";

/// One statement, each branch served by a primary key or index: a direct row, a membership
/// in a group assigned to the app, or the app assigned to `Everyone`.
const IS_ASSIGNED: &str = "SELECT CAST(CASE WHEN \
     EXISTS (SELECT 1 FROM app_users WHERE app_id = $1 AND user_id = $2) \
     OR EXISTS (SELECT 1 FROM app_groups ag JOIN group_members gm \
        ON gm.group_id = ag.group_id AND gm.user_id = $2 WHERE ag.app_id = $1) \
     OR EXISTS (SELECT 1 FROM app_groups ag JOIN user_groups g ON g.id = ag.group_id \
        WHERE ag.app_id = $1 AND g.type = 'BUILT_IN' AND EXISTS (SELECT 1 FROM users WHERE id = $2)) \
     THEN 1 ELSE 0 END AS BIGINT)";

impl Store {
    /// Saves a direct assignment, creating or replacing it; returns it as stored (an existing
    /// assignment keeps its creation time).
    pub async fn save_app_user(&self, au: &AppUser, events: &[LogEvent]) -> Result<AppUser> {
        let profile = serde_json::to_string(&au.profile)?;
        let (created,): (i64,) = in_tx!(self, |tx| {
            let row: (i64,) = sqlx::query_as(SAVE_APP_USER)
                .bind(au.app_id.as_str())
                .bind(au.user_id.as_str())
                .bind(&au.user_name)
                .bind(&profile)
                .bind(au.created.millis())
                .bind(au.last_updated.millis())
                .bind(au.password.as_deref())
                .bind(au.password_changed.map(Timestamp::millis))
                .fetch_one(&mut *tx)
                .await?;
            write_events!(tx, events);
            row
        });
        Ok(AppUser {
            created: Timestamp::from_millis(created),
            scope: AssignmentScope::User,
            ..au.clone()
        })
    }

    /// A user's assignment to an app, direct or through a group; `None` when not assigned.
    pub async fn find_app_user(&self, app_id: &str, user_id: &str) -> Result<Option<AppUser>> {
        let row: Option<AppUserRow> = on_pool!(self, |pool| sqlx::query_as(FIND_APP_USER)
            .bind(app_id)
            .bind(user_id)
            .bind(1_i64)
            .bind("")
            .fetch_optional(pool)
            .await)?;
        row.map(|r| r.into_app_user(app_id)).transpose()
    }

    /// A user's direct assignment to an app, if any.
    pub async fn find_direct_app_user(
        &self,
        app_id: &str,
        user_id: &str,
    ) -> Result<Option<AppUser>> {
        let row: Option<AppUserRow> = on_pool!(self, |pool| sqlx::query_as(FIND_DIRECT_APP_USER)
            .bind(app_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await)?;
        row.map(|r| r.into_app_user(app_id)).transpose()
    }

    /// One page of an app's users (direct and through groups) in user-id order, and whether
    /// more follow; `prefix` keeps those whose user name starts with it (case-insensitively).
    pub async fn list_app_users(
        &self,
        app_id: &str,
        after: Option<&str>,
        limit: usize,
        prefix: Option<&str>,
    ) -> Result<(Vec<AppUser>, bool)> {
        let pattern = prefix.map(like_prefix).unwrap_or_default();
        let rows: Vec<AppUserRow> = on_pool!(self, |pool| sqlx::query_as(LIST_APP_USERS)
            .bind(app_id)
            .bind(after.unwrap_or_default())
            .bind(limit_plus_one(limit))
            .bind(&pattern)
            .fetch_all(pool)
            .await)?;
        page(rows, limit, |r| r.into_app_user(app_id))
    }

    /// Removes a direct assignment. Returns whether there was one.
    pub async fn delete_app_user(
        &self,
        app_id: &str,
        user_id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, DELETE_APP_USER; app_id, user_id);
        Ok(n > 0)
    }

    /// A group's assignment to an app, if any.
    pub async fn find_app_group(&self, app_id: &str, group_id: &str) -> Result<Option<AppGroup>> {
        let row: Option<AppGroupRow> =
            on_pool!(self, |pool| sqlx::query_as(APP_GROUP_COLUMNS_WHERE)
                .bind(app_id)
                .bind(group_id)
                .fetch_optional(pool)
                .await)?;
        row.map(|r| r.into_app_group(app_id)).transpose()
    }

    /// The priority a new group assignment gets by default: one more than the highest.
    pub async fn next_app_group_priority(&self, app_id: &str) -> Result<i64> {
        let (next,): (i64,) = on_pool!(self, |pool| sqlx::query_as(NEXT_PRIORITY)
            .bind(app_id)
            .fetch_one(pool)
            .await)?;
        Ok(next)
    }

    /// Creates or replaces a group assignment.
    pub async fn save_app_group(&self, ag: &AppGroup, events: &[LogEvent]) -> Result<()> {
        let profile = serde_json::to_string(&ag.profile)?;
        in_tx!(self, |tx| {
            sqlx::query(SAVE_APP_GROUP)
                .bind(ag.app_id.as_str())
                .bind(ag.group_id.as_str())
                .bind(ag.priority)
                .bind(&profile)
                .bind(ag.created.millis())
                .bind(ag.last_updated.millis())
                .execute(&mut *tx)
                .await?;
            write_events!(tx, events);
        });
        Ok(())
    }

    /// One page of an app's group assignments in group-id order, and whether more follow;
    /// `prefix` keeps the groups whose name starts with it (case-insensitively).
    pub async fn list_app_groups(
        &self,
        app_id: &str,
        after: Option<&str>,
        limit: usize,
        prefix: Option<&str>,
    ) -> Result<(Vec<AppGroup>, bool)> {
        let pattern = prefix.map(like_prefix).unwrap_or_default();
        let rows: Vec<AppGroupRow> = on_pool!(self, |pool| sqlx::query_as(LIST_APP_GROUPS)
            .bind(app_id)
            .bind(after.unwrap_or_default())
            .bind(limit_plus_one(limit))
            .bind(&pattern)
            .fetch_all(pool)
            .await)?;
        page(rows, limit, |r| r.into_app_group(app_id))
    }

    /// Removes a group assignment. Returns whether there was one.
    pub async fn delete_app_group(
        &self,
        app_id: &str,
        group_id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, DELETE_APP_GROUP; app_id, group_id);
        Ok(n > 0)
    }

    /// Whether the user may use the app: a direct assignment, a membership in a group assigned
    /// to the app, or the app assigned to `Everyone`. One indexed query.
    pub async fn is_user_assigned(&self, app_id: &str, user_id: &str) -> Result<bool> {
        let (hit,): (i64,) = on_pool!(self, |pool| sqlx::query_as(IS_ASSIGNED)
            .bind(app_id)
            .bind(user_id)
            .fetch_one(pool)
            .await)?;
        Ok(hit == 1)
    }
}
