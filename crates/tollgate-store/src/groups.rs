//! Groups and memberships.

use serde_json::{Map, Value};
use tollgate_core::Timestamp;
use tollgate_core::directory::group::EVERYONE;
use tollgate_core::directory::{Group, GroupType};
use tollgate_core::id::{AppId, GroupId};
use tollgate_core::log::LogEvent;
use tollgate_core::scim::{Filter, Op};

use crate::search::{Bind, Column, Dialect, Sql, push_filter};
use crate::{
    Error, Result, Store, bound_query_as, in_tx, load, on_pool, write_events, write_logged,
};

#[derive(sqlx::FromRow)]
pub(crate) struct GroupRow {
    id: String,
    r#type: String,
    profile: String,
    source_app_id: Option<String>,
    created: i64,
    last_updated: i64,
    last_membership_updated: i64,
    version: i64,
}

impl TryFrom<GroupRow> for Group {
    type Error = Error;

    fn try_from(r: GroupRow) -> Result<Self> {
        let profile: Map<String, Value> = serde_json::from_str(&r.profile)?;
        Ok(Group {
            id: GroupId::from_trusted(r.id),
            kind: GroupType::parse(&r.r#type)
                .ok_or_else(|| Error::Corrupt(format!("group type {:?}", r.r#type)))?,
            profile,
            source_app: r.source_app_id.map(AppId::from_trusted),
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
            last_membership_updated: Timestamp::from_millis(r.last_membership_updated),
            version: r.version,
        })
    }
}

const COLUMNS: &str =
    "id, type, profile, source_app_id, created, last_updated, last_membership_updated, version";
const INSERT_GROUP: &str = "INSERT INTO user_groups \
     (id, type, name, name_lower, description, profile, source_app_id, created, last_updated, last_membership_updated) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const INSERT_EVERYONE: &str = "INSERT INTO user_groups \
     (id, type, name, name_lower, description, profile, source_app_id, created, last_updated, last_membership_updated) \
     SELECT $1, 'BUILT_IN', $2, $3, $4, $5, NULL, $6, $6, $6 \
     WHERE NOT EXISTS (SELECT 1 FROM user_groups WHERE type = 'BUILT_IN') ON CONFLICT DO NOTHING";
const SELECT_GROUP: &str = "SELECT id, type, profile, source_app_id, created, last_updated, last_membership_updated, \
     version FROM user_groups WHERE id = $1";
const UPDATE_GROUP: &str = "UPDATE user_groups SET name = $2, name_lower = $3, description = $4, profile = $5, \
     last_updated = $6, version = version + 1 WHERE id = $1";
const DELETE_GROUP: &str = "DELETE FROM user_groups WHERE id = $1";
const ADD_MEMBER: &str = "INSERT INTO group_members (group_id, user_id, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
const REMOVE_MEMBER: &str = "DELETE FROM group_members WHERE group_id = $1 AND user_id = $2";
const TOUCH_MEMBERSHIP: &str =
    "UPDATE user_groups SET last_membership_updated = $2, version = version + 1 WHERE id = $1";
const USER_GROUPS: &str = "SELECT id, type, profile, source_app_id, created, last_updated, last_membership_updated, version \
     FROM user_groups WHERE type = 'BUILT_IN' \
     UNION ALL \
     SELECT g.id, g.type, g.profile, g.source_app_id, g.created, g.last_updated, g.last_membership_updated, g.version \
     FROM group_members m JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = $1";
/// A user's group ids with their versions, as one `id:version,...` text: Everyone first, then
/// by id. One row, not a thousand: on SQLite each row is a hand-off between the database
/// thread and the caller, which cost more than the query itself.
const USER_GROUP_VERSIONS_SQLITE: &str = "SELECT group_concat(id || ':' || version, ',' ORDER BY k, id) FROM \
     (SELECT 0 AS k, id, version FROM user_groups WHERE type = 'BUILT_IN' \
     UNION ALL \
     SELECT 1, g.id, g.version FROM group_members m JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = $1) AS l";
const USER_GROUP_VERSIONS_POSTGRES: &str = "SELECT string_agg(id || ':' || version, ',' ORDER BY k, id) FROM \
     (SELECT 0 AS k, id, version FROM user_groups WHERE type = 'BUILT_IN' \
     UNION ALL \
     SELECT 1, g.id, g.version FROM group_members m JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = $1) AS l";

/// Ids bound in one `IN (...)` list of [`Store::groups_by_ids`] (both backends allow far more
/// parameters; this keeps each statement small).
const IDS_PER_STATEMENT: usize = 500;
const DIRECTORY_REVISION: &str = "SELECT revision FROM directory_revision WHERE id = 1";

/// Attributes groups can be filtered and searched on.
fn resolve(attr: &str) -> Option<Column> {
    Some(match attr {
        "id" => Column::Exact("id"),
        "type" => Column::Exact("type"),
        "created" => Column::Millis("created"),
        "lastUpdated" => Column::Millis("last_updated"),
        "lastMembershipUpdated" => Column::Millis("last_membership_updated"),
        "profile.name" => Column::Lower("name_lower"),
        other => Column::Profile(other.strip_prefix("profile.")?.to_owned()),
    })
}

/// What to list.
#[derive(Debug, Default, Clone)]
pub struct GroupQuery {
    /// `q`: case-insensitive prefix of the name.
    pub name_prefix: Option<String>,
    /// `filter` or `search`.
    pub filter: Option<Filter>,
    /// Page size.
    pub limit: usize,
    /// The id after which to continue.
    pub after: Option<String>,
}

fn profile_columns(g: &Group) -> Result<(String, String, Option<String>, String)> {
    Ok((
        g.name().to_owned(),
        g.name().to_lowercase(),
        g.description().map(str::to_owned),
        serde_json::to_string(&g.profile)?,
    ))
}

fn name_conflict(e: Error) -> Error {
    match e {
        Error::Conflict { .. } => Error::Conflict {
            constraint: "name".to_owned(),
        },
        other => other,
    }
}

impl Store {
    pub(crate) fn dialect(&self) -> Dialect {
        match self.pool() {
            crate::Pool::Sqlite(_) => Dialect::Sqlite,
            crate::Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Saves a new group. A taken name is `Conflict { constraint: "name" }`.
    pub async fn create_group(&self, g: &Group, events: &[LogEvent]) -> Result<()> {
        let (name, lower, description, profile) = profile_columns(g)?;
        in_tx!(self, |tx| {
            sqlx::query(INSERT_GROUP)
                .bind(g.id.as_str())
                .bind(g.kind.as_str())
                .bind(&name)
                .bind(&lower)
                .bind(&description)
                .bind(&profile)
                .bind(g.source_app.as_ref().map(AppId::as_str))
                .bind(g.created.millis())
                .bind(g.last_updated.millis())
                .bind(g.last_membership_updated.millis())
                .execute(&mut *tx)
                .await
                .map_err(|e| name_conflict(e.into()))?;
            write_events!(tx, events);
        });
        Ok(())
    }

    /// Creates the built-in `Everyone` group unless it exists.
    pub async fn ensure_everyone(&self, now: Timestamp) -> Result<()> {
        let g = Group::everyone(now);
        let (_, lower, description, profile) = profile_columns(&g)?;
        on_pool!(self, |pool| sqlx::query(INSERT_EVERYONE)
            .bind(g.id.as_str())
            .bind(EVERYONE)
            .bind(&lower)
            .bind(&description)
            .bind(&profile)
            .bind(now.millis())
            .execute(pool)
            .await
            .map(drop))?;
        Ok(())
    }

    /// One group.
    pub async fn find_group(&self, id: &str) -> Result<Option<Group>> {
        load!(one: self, GroupRow, SELECT_GROUP, id)
    }

    /// Saves a group's profile.
    pub async fn update_group(&self, g: &Group, events: &[LogEvent]) -> Result<()> {
        let (name, lower, description, profile) = profile_columns(g)?;
        let n = in_tx!(self, |tx| {
            let n = sqlx::query(UPDATE_GROUP)
                .bind(g.id.as_str())
                .bind(&name)
                .bind(&lower)
                .bind(&description)
                .bind(&profile)
                .bind(g.last_updated.millis())
                .execute(&mut *tx)
                .await
                .map_err(|e| name_conflict(e.into()))?
                .rows_affected();
            write_events!(tx, events);
            n
        });
        if n == 0 { Err(Error::NotFound) } else { Ok(()) }
    }

    /// Deletes a group with its memberships.
    pub async fn delete_group(&self, id: &str, events: &[LogEvent]) -> Result<bool> {
        let n = write_logged!(self, events, DELETE_GROUP; id);
        Ok(n > 0)
    }

    /// Lists groups in creation order, one page (`limit + 1` rows are read to know whether
    /// more follow). Returns the page and whether there is more.
    pub async fn list_groups(&self, q: &GroupQuery) -> Result<(Vec<Group>, bool)> {
        let mut sql = Sql::new("SELECT ");
        sql.push(COLUMNS).push(" FROM user_groups WHERE 1 = 1");
        if let Some(prefix) = &q.name_prefix {
            let filter = Filter::Cmp {
                attr: "profile.name".into(),
                op: Op::Sw,
                value: tollgate_core::scim::Literal::Str(prefix.clone()),
            };
            sql.push(" AND ");
            push_filter(&mut sql, &filter, self.dialect(), &resolve, &[Op::Sw])?;
        }
        if let Some(filter) = &q.filter {
            sql.push(" AND ");
            push_filter(
                &mut sql,
                filter,
                self.dialect(),
                &resolve,
                &[
                    Op::Eq,
                    Op::Ne,
                    Op::Gt,
                    Op::Ge,
                    Op::Lt,
                    Op::Le,
                    Op::Sw,
                    Op::Co,
                    Op::Ew,
                ],
            )?;
        }
        if let Some(after) = &q.after {
            sql.push(" AND (created, id) > (SELECT created, id FROM user_groups WHERE id = ");
            sql.bind(Bind::Text(after.clone()));
            sql.push(")");
        }
        sql.push(" ORDER BY created, id LIMIT ");
        sql.bind(Bind::Int(
            i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1),
        ));
        self.fetch_group_page(sql, q.limit).await
    }

    async fn fetch_group_page(&self, sql: Sql, limit: usize) -> Result<(Vec<Group>, bool)> {
        let rows: Vec<GroupRow> = on_pool!(self, |pool| bound_query_as!(GroupRow, sql)
            .fetch_all(pool)
            .await)?;
        let more = rows.len() > limit;
        let groups = rows
            .into_iter()
            .take(limit)
            .map(TryInto::try_into)
            .collect::<Result<Vec<Group>>>()?;
        Ok((groups, more))
    }

    /// The groups a user belongs to, `Everyone` included.
    pub async fn groups_of_user(&self, user_id: &str) -> Result<Vec<Group>> {
        let groups: Result<Vec<Group>> = load!(all: self, GroupRow, USER_GROUPS, user_id);
        let groups = groups?;
        self.count_group_rows(groups.len());
        Ok(groups)
    }

    /// The ids of the groups a user belongs to (`Everyone` first, then by id), each with its
    /// [`Group::version`]: what a cache of groups checks on every use, without reading or
    /// parsing a profile.
    pub async fn group_versions_of_user(&self, user_id: &str) -> Result<Vec<(String, i64)>> {
        let sql = match self.dialect() {
            Dialect::Sqlite => USER_GROUP_VERSIONS_SQLITE,
            Dialect::Postgres => USER_GROUP_VERSIONS_POSTGRES,
        };
        let (listed,): (Option<String>,) = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(user_id)
            .fetch_one(pool)
            .await)?;
        self.count_membership_list();
        let Some(listed) = listed else {
            return Ok(Vec::new());
        };
        listed
            .split(',')
            .map(|item| {
                item.rsplit_once(':')
                    .and_then(|(id, v)| Some((id.to_owned(), v.parse().ok()?)))
                    .ok_or_else(|| Error::Corrupt(format!("group version {item:?}")))
            })
            .collect()
    }

    /// The directory's revision: it moves, in the same transaction, with every membership
    /// added or removed and every group changed or deleted (database triggers, so no write
    /// path can forget it). Equal revisions mean every user's groups read the same.
    pub async fn directory_revision(&self) -> Result<i64> {
        let (revision,): (i64,) = on_pool!(self, |pool| sqlx::query_as(DIRECTORY_REVISION)
            .fetch_one(pool)
            .await)?;
        Ok(revision)
    }

    /// The groups with these ids, in no particular order; unknown ids are left out.
    pub async fn groups_by_ids(&self, ids: &[&str]) -> Result<Vec<Group>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let mut sql = Sql::new("SELECT ");
            sql.push(COLUMNS).push(" FROM user_groups WHERE id IN (");
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Bind::Text((*id).to_owned()));
            }
            sql.push(")");
            let rows: Vec<GroupRow> = on_pool!(self, |pool| bound_query_as!(GroupRow, sql)
                .fetch_all(pool)
                .await)?;
            self.count_group_rows(rows.len());
            for row in rows {
                out.push(row.try_into()?);
            }
        }
        Ok(out)
    }

    /// Adds a member (idempotent). Returns whether the membership is new.
    pub async fn add_member(
        &self,
        group_id: &str,
        user_id: &str,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        in_tx!(self, |tx| {
            let n = sqlx::query(ADD_MEMBER)
                .bind(group_id)
                .bind(user_id)
                .bind(now.millis())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                sqlx::query(TOUCH_MEMBERSHIP)
                    .bind(group_id)
                    .bind(now.millis())
                    .execute(&mut *tx)
                    .await?;
                write_events!(tx, events);
            }
            Ok(n > 0)
        })
    }

    /// Removes a member (idempotent). Returns whether there was such a membership.
    pub async fn remove_member(
        &self,
        group_id: &str,
        user_id: &str,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        in_tx!(self, |tx| {
            let n = sqlx::query(REMOVE_MEMBER)
                .bind(group_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                sqlx::query(TOUCH_MEMBERSHIP)
                    .bind(group_id)
                    .bind(now.millis())
                    .execute(&mut *tx)
                    .await?;
                write_events!(tx, events);
            }
            Ok(n > 0)
        })
    }
}
