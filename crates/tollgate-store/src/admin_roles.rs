//! Admin role assignments of users and groups, their targets, and the grants a user holds.

use std::collections::BTreeMap;

use tollgate_core::Timestamp;
use tollgate_core::admin::{AppTarget, Grant, RoleType};
use tollgate_core::log::LogEvent;

use crate::{Result, Store, in_tx, on_pool, write_events, write_logged};

/// Who holds a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal<'a> {
    /// A user, by id.
    User(&'a str),
    /// A group, by id (its members hold the role).
    Group(&'a str),
}

impl Principal<'_> {
    fn kind(self) -> &'static str {
        match self {
            Self::User(_) => "USER",
            Self::Group(_) => "GROUP",
        }
    }

    fn id(&self) -> &str {
        match self {
            Self::User(id) | Self::Group(id) => id,
        }
    }
}

/// A stored role assignment.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoleRecord {
    /// `USER` or `GROUP`.
    pub principal_type: String,
    /// The user's or group's id.
    pub principal_id: String,
    /// The role's type (`USER_ADMIN`, ...).
    pub role_type: String,
    /// When it was assigned (ms).
    pub created: i64,
    /// When it last changed (ms).
    pub last_updated: i64,
}

/// One stored target of a role assignment.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TargetRecord {
    /// `GROUP` or `APP`.
    pub kind: String,
    /// The group id, or the app's catalog name.
    pub target: String,
    /// One app instance, or `''` for every instance of the catalog app.
    pub app_id: String,
}

const ROLES_OF: &str = "SELECT principal_type, principal_id, role_type, created, last_updated \
     FROM admin_roles WHERE principal_type = $1 AND principal_id = $2 ORDER BY role_type";
const ALL_ROLES: &str = "SELECT principal_type, principal_id, role_type, created, last_updated \
     FROM admin_roles ORDER BY principal_type, principal_id, role_type";
const INSERT_ROLE: &str = "INSERT INTO admin_roles (principal_type, principal_id, role_type, created, last_updated) \
     VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING";
const DELETE_ROLE: &str =
    "DELETE FROM admin_roles WHERE principal_type = $1 AND principal_id = $2 AND role_type = $3";
const TARGETS_OF: &str = "SELECT kind, target, app_id FROM admin_role_targets \
     WHERE principal_type = $1 AND principal_id = $2 AND role_type = $3 ORDER BY created, target, app_id";
const INSERT_TARGET: &str = "INSERT INTO admin_role_targets (principal_type, principal_id, role_type, kind, target, app_id, created) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
const DELETE_TARGET: &str = "DELETE FROM admin_role_targets WHERE principal_type = $1 AND principal_id = $2 \
     AND role_type = $3 AND kind = $4 AND target = $5 AND app_id = $6";
/// A catalog app target covers its instances: adding it drops them.
const DELETE_INSTANCES: &str = "DELETE FROM admin_role_targets WHERE principal_type = $1 AND principal_id = $2 \
     AND role_type = $3 AND kind = 'APP' AND target = $4 AND app_id <> ''";
const GRANTS_OF_USER: &str = "SELECT r.principal_type, r.principal_id, r.role_type, t.kind, t.target, t.app_id \
     FROM admin_roles r LEFT JOIN admin_role_targets t ON t.principal_type = r.principal_type \
     AND t.principal_id = r.principal_id AND t.role_type = r.role_type \
     WHERE (r.principal_type = 'USER' AND r.principal_id = $1) \
     OR (r.principal_type = 'GROUP' AND r.principal_id IN (SELECT group_id FROM group_members WHERE user_id = $1))";
const FIRST_SUPER_ADMIN: &str = "SELECT r.principal_id FROM admin_roles r JOIN users u ON u.id = r.principal_id \
     WHERE r.principal_type = 'USER' AND r.role_type = 'SUPER_ADMIN' ORDER BY r.created, r.principal_id LIMIT 1";

type GrantRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// The roles assigned to a user or group (not those a user holds through groups).
    pub async fn roles_of(&self, who: Principal<'_>) -> Result<Vec<RoleRecord>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(ROLES_OF)
            .bind(who.kind())
            .bind(who.id())
            .fetch_all(pool)
            .await)?)
    }

    /// Every role assignment (for `tollgate export`).
    pub async fn all_roles(&self) -> Result<Vec<RoleRecord>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(ALL_ROLES)
            .fetch_all(pool)
            .await)?)
    }

    /// Assigns a role; `false` when it was already assigned (nothing changes, no event).
    pub async fn assign_role(
        &self,
        who: Principal<'_>,
        role: RoleType,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, INSERT_ROLE; who.kind(), who.id(), role.as_str(), now.millis());
        Ok(n > 0)
    }

    /// Removes a role assignment and its targets; `false` when there was none.
    pub async fn unassign_role(
        &self,
        who: Principal<'_>,
        role: RoleType,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, DELETE_ROLE; who.kind(), who.id(), role.as_str());
        Ok(n > 0)
    }

    /// The targets of a role assignment, oldest first.
    pub async fn role_targets(
        &self,
        who: Principal<'_>,
        role: RoleType,
    ) -> Result<Vec<TargetRecord>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(TARGETS_OF)
            .bind(who.kind())
            .bind(who.id())
            .bind(role.as_str())
            .fetch_all(pool)
            .await)?)
    }

    /// Adds a target (`app_id` `''` for a catalog app, which replaces its instances).
    pub async fn add_role_target(
        &self,
        who: Principal<'_>,
        role: RoleType,
        target: &TargetRecord,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<()> {
        in_tx!(self, |tx| {
            if target.kind == "APP" && target.app_id.is_empty() {
                sqlx::query(DELETE_INSTANCES)
                    .bind(who.kind())
                    .bind(who.id())
                    .bind(role.as_str())
                    .bind(&target.target)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(INSERT_TARGET)
                .bind(who.kind())
                .bind(who.id())
                .bind(role.as_str())
                .bind(&target.kind)
                .bind(&target.target)
                .bind(&target.app_id)
                .bind(now.millis())
                .execute(&mut *tx)
                .await?;
            write_events!(tx, events);
        });
        Ok(())
    }

    /// Removes a target; `false` when there was none.
    pub async fn remove_role_target(
        &self,
        who: Principal<'_>,
        role: RoleType,
        target: &TargetRecord,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, DELETE_TARGET;
            who.kind(), who.id(), role.as_str(), &target.kind, &target.target, &target.app_id);
        Ok(n > 0)
    }

    /// Every role a user holds, assigned to it or to one of its groups, each with its targets,
    /// in one query.
    pub async fn grants_of_user(&self, user_id: &str) -> Result<Vec<Grant>> {
        let rows: Vec<GrantRow> = on_pool!(self, |pool| sqlx::query_as(GRANTS_OF_USER)
            .bind(user_id)
            .fetch_all(pool)
            .await)?;
        let mut grants: BTreeMap<(String, String, String), Grant> = BTreeMap::new();
        for (ptype, pid, role_type, kind, target, app_id) in rows {
            let Some(role) = RoleType::parse(&role_type) else {
                continue;
            };
            let grant = grants
                .entry((ptype, pid, role_type))
                .or_insert_with(|| Grant::plain(role));
            match (kind.as_deref(), target) {
                (Some("GROUP"), Some(g)) => grant.groups.push(g),
                (Some("APP"), Some(name)) => grant.apps.push(AppTarget {
                    name,
                    id: app_id.filter(|id| !id.is_empty()),
                }),
                _ => {}
            }
        }
        Ok(grants.into_values().collect())
    }

    /// The oldest super admin user still in the directory.
    pub async fn first_super_admin(&self) -> Result<Option<String>> {
        let row: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(FIRST_SUPER_ADMIN)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(id,)| id))
    }
}
