//! Users.

use serde_json::{Map, Value};
use tollgate_core::Timestamp;
use tollgate_core::directory::sign_in::keeps_sessions;
use tollgate_core::directory::{User, UserStatus};
use tollgate_core::id::UserId;
use tollgate_core::log::LogEvent;
use tollgate_core::scim::{Filter, Op};

use crate::search::{Bind, Column, Dialect, Sql, push_filter};
use crate::sessions::NewToken;
use crate::{
    Error, Result, Store, bound_query_as, in_tx, load, on_pool, write_events, write_logged,
};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    status: String,
    profile: String,
    password_hash: Option<String>,
    password_changed: Option<i64>,
    failed_logins: i64,
    created: i64,
    activated: Option<i64>,
    status_changed: Option<i64>,
    last_login: Option<i64>,
    last_updated: i64,
    version: i64,
    type_id: Option<String>,
    recovery_question: Option<String>,
    recovery_answer_hash: Option<String>,
    password_history: String,
}

impl TryFrom<UserRow> for User {
    type Error = Error;

    fn try_from(r: UserRow) -> Result<Self> {
        let profile: Map<String, Value> = serde_json::from_str(&r.profile)?;
        let ts = |v: Option<i64>| v.map(Timestamp::from_millis);
        Ok(User {
            id: UserId::from_trusted(r.id),
            status: UserStatus::parse(&r.status)
                .ok_or_else(|| Error::Corrupt(format!("user status {:?}", r.status)))?,
            profile,
            password_hash: r.password_hash,
            password_history: serde_json::from_str(&r.password_history)?,
            password_changed: ts(r.password_changed),
            recovery_question: r.recovery_question,
            recovery_answer_hash: r.recovery_answer_hash,
            failed_logins: r.failed_logins,
            created: Timestamp::from_millis(r.created),
            activated: ts(r.activated),
            status_changed: ts(r.status_changed),
            last_login: ts(r.last_login),
            last_updated: Timestamp::from_millis(r.last_updated),
            version: r.version,
            type_id: r.type_id,
        })
    }
}

const COLUMNS: &str = "u.id, u.status, u.profile, u.password_hash, u.password_changed, u.failed_logins, u.created, \
     u.activated, u.status_changed, u.last_login, u.last_updated, u.version, u.type_id, u.recovery_question, \
     u.recovery_answer_hash, u.password_history";
const INSERT_USER: &str = "INSERT INTO users (id, status, login_lower, profile, password_hash, password_changed, \
     failed_logins, created, activated, status_changed, last_login, last_updated, type_id, recovery_question, \
     recovery_answer_hash, password_history) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
const UPDATE_USER: &str = "UPDATE users SET status = $2, login_lower = $3, profile = $4, password_hash = $5, \
     password_changed = $6, failed_logins = $7, activated = $8, status_changed = $9, last_login = $10, \
     last_updated = $11, type_id = $13, recovery_question = $14, recovery_answer_hash = $15, password_history = $16, \
     version = version + 1 \
     WHERE id = $1 AND version = $12";
const USER_EXISTS: &str = "SELECT version FROM users WHERE id = $1";
const END_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
const VOID_TOKENS: &str = "DELETE FROM one_time_tokens WHERE user_id = $1 AND used_at IS NULL";
const FIND_USER: &str = "SELECT u.id, u.status, u.profile, u.password_hash, u.password_changed, u.failed_logins, \
     u.created, u.activated, u.status_changed, u.last_login, u.last_updated, u.version, u.type_id, \
     u.recovery_question, u.recovery_answer_hash, u.password_history FROM users u WHERE u.id = $1 OR u.login_lower = $2";
const DELETE_USER: &str = "DELETE FROM users WHERE id = $1";
const ADD_MEMBER: &str = "INSERT INTO group_members (group_id, user_id, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
const TOUCH_MEMBERSHIP: &str =
    "UPDATE user_groups SET last_membership_updated = $2, version = version + 1 WHERE id = $1";

/// Attributes users can be filtered and searched on.
fn resolve(attr: &str) -> Option<Column> {
    Some(match attr {
        "id" => Column::Exact("u.id"),
        "status" => Column::Exact("u.status"),
        "created" => Column::Millis("u.created"),
        "activated" => Column::Millis("u.activated"),
        "statusChanged" => Column::Millis("u.status_changed"),
        "lastUpdated" => Column::Millis("u.last_updated"),
        "profile.login" => Column::Lower("u.login_lower"),
        other => Column::Profile(other.strip_prefix("profile.")?.to_owned()),
    })
}

/// What to list.
#[derive(Debug, Default, Clone)]
pub struct UserQuery {
    /// `q`: case-insensitive prefix of first name, last name or email.
    pub q: Option<String>,
    /// `filter` or `search`; without one, deprovisioned users are left out.
    pub filter: Option<Filter>,
    /// Page size.
    pub limit: usize,
    /// The id after which to continue.
    pub after: Option<String>,
    /// Only members of this group (`GET /groups/{id}/users`).
    pub group: Option<String>,
}

/// The `login_lower` column: the login's comparison key (NFC, lower case), so lookups and the
/// uniqueness index treat composed and decomposed forms alike.
fn login_lower(u: &User) -> String {
    tollgate_core::directory::login::key(u.login())
}

fn login_conflict(e: Error) -> Error {
    match e {
        Error::Conflict { .. } => Error::Conflict {
            constraint: "login".to_owned(),
        },
        other => other,
    }
}

impl Store {
    /// Saves a new user and its initial group memberships in one transaction. A taken login is
    /// `Conflict { constraint: "login" }`; an unknown group is `NotFound`.
    pub async fn create_user(
        &self,
        u: &User,
        group_ids: &[String],
        events: &[LogEvent],
    ) -> Result<()> {
        let profile = serde_json::to_string(&u.profile)?;
        let history = serde_json::to_string(&u.password_history)?;
        let ms = |t: Option<Timestamp>| t.map(Timestamp::millis);
        in_tx!(self, |tx| {
            sqlx::query(INSERT_USER)
                .bind(u.id.as_str())
                .bind(u.status.as_str())
                .bind(login_lower(u))
                .bind(&profile)
                .bind(u.password_hash.as_deref())
                .bind(ms(u.password_changed))
                .bind(u.failed_logins)
                .bind(u.created.millis())
                .bind(ms(u.activated))
                .bind(ms(u.status_changed))
                .bind(ms(u.last_login))
                .bind(u.last_updated.millis())
                .bind(u.type_id.as_deref())
                .bind(u.recovery_question.as_deref())
                .bind(u.recovery_answer_hash.as_deref())
                .bind(&history)
                .execute(&mut *tx)
                .await
                .map_err(|e| login_conflict(e.into()))?;
            for gid in group_ids {
                let touched = sqlx::query(TOUCH_MEMBERSHIP)
                    .bind(gid)
                    .bind(u.created.millis())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if touched == 0 {
                    return Err(Error::NotFound);
                }
                sqlx::query(ADD_MEMBER)
                    .bind(gid)
                    .bind(u.id.as_str())
                    .bind(u.created.millis())
                    .execute(&mut *tx)
                    .await?;
            }
            write_events!(tx, events);
            Ok(())
        })
    }

    /// Saves every field of an existing user, if nobody wrote it since `u` was read (its
    /// `version` is still the stored one): a stale copy is `Stale`, a missing user `NotFound`.
    /// When the new status keeps no sessions (deactivated, suspended), the user's sessions and
    /// unredeemed one-time tokens end in the same transaction.
    pub async fn update_user(&self, u: &User, events: &[LogEvent]) -> Result<()> {
        self.update_user_issuing(u, events, None).await
    }

    /// Like [`Store::update_user`], also saving `token` (a new one-time token for the user, such
    /// as a password reset link) in the same transaction. Earlier unused tokens of the same kind
    /// for the user stop working.
    pub async fn update_user_issuing(
        &self,
        u: &User,
        events: &[LogEvent],
        token: Option<&NewToken>,
    ) -> Result<()> {
        let profile = serde_json::to_string(&u.profile)?;
        let history = serde_json::to_string(&u.password_history)?;
        let ms = |t: Option<Timestamp>| t.map(Timestamp::millis);
        let end_sessions = !keeps_sessions(u.status);
        let n = in_tx!(self, |tx| {
            let n = sqlx::query(UPDATE_USER)
                .bind(u.id.as_str())
                .bind(u.status.as_str())
                .bind(login_lower(u))
                .bind(&profile)
                .bind(u.password_hash.as_deref())
                .bind(ms(u.password_changed))
                .bind(u.failed_logins)
                .bind(ms(u.activated))
                .bind(ms(u.status_changed))
                .bind(ms(u.last_login))
                .bind(u.last_updated.millis())
                .bind(u.version)
                .bind(u.type_id.as_deref())
                .bind(u.recovery_question.as_deref())
                .bind(u.recovery_answer_hash.as_deref())
                .bind(&history)
                .execute(&mut *tx)
                .await
                .map_err(|e| login_conflict(e.into()))?
                .rows_affected();
            if n > 0 {
                if end_sessions {
                    for sql in [END_SESSIONS, VOID_TOKENS] {
                        sqlx::query(sql)
                            .bind(u.id.as_str())
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                if let Some(t) = token {
                    crate::sessions::insert_token!(tx, u.id.as_str(), t);
                }
                write_events!(tx, events);
            }
            n
        });
        if n > 0 {
            return Ok(());
        }
        let exists: Option<(i64,)> = on_pool!(self, |pool| sqlx::query_as(USER_EXISTS)
            .bind(u.id.as_str())
            .fetch_optional(pool)
            .await)?;
        Err(if exists.is_some() {
            Error::Stale
        } else {
            Error::NotFound
        })
    }

    /// A user by id or by login (case-insensitive).
    pub async fn find_user(&self, id_or_login: &str) -> Result<Option<User>> {
        load!(one: self, UserRow, FIND_USER, id_or_login, tollgate_core::directory::login::key(id_or_login))
    }

    /// Deletes a user with its memberships.
    pub async fn delete_user(&self, id: &str, events: &[LogEvent]) -> Result<bool> {
        let n = write_logged!(self, events, DELETE_USER; id);
        Ok(n > 0)
    }

    /// Lists users in creation order (group members in id order), one page; returns the page
    /// and whether more follow.
    pub async fn list_users(&self, q: &UserQuery) -> Result<(Vec<User>, bool)> {
        let mut sql = Sql::new("SELECT ");
        sql.push(COLUMNS).push(" FROM users u");
        if let Some(group) = &q.group {
            sql.push(" JOIN group_members m ON m.user_id = u.id AND m.group_id = ");
            sql.bind(Bind::Text(group.clone()));
        }
        sql.push(" WHERE 1 = 1");
        if let Some(text) = &q.q {
            push_q(&mut sql, self.dialect(), text)?;
        }
        match &q.filter {
            Some(filter) => {
                sql.push(" AND ");
                push_filter(
                    &mut sql,
                    filter,
                    self.dialect(),
                    &resolve,
                    &[Op::Eq, Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Sw],
                )?;
            }
            None if q.group.is_none() => {
                sql.push(" AND u.status <> 'DEPROVISIONED'");
            }
            None => {}
        }
        let order = if q.group.is_some() {
            if let Some(after) = &q.after {
                sql.push(" AND u.id > ").bind(Bind::Text(after.clone()));
            }
            " ORDER BY u.id LIMIT "
        } else {
            if let Some(after) = &q.after {
                sql.push(" AND (u.created, u.id) > (SELECT created, id FROM users WHERE id = ");
                sql.bind(Bind::Text(after.clone())).push(")");
            }
            " ORDER BY u.created, u.id LIMIT "
        };
        sql.push(order).bind(Bind::Int(
            i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1),
        ));
        let rows: Vec<UserRow> = on_pool!(self, |pool| bound_query_as!(UserRow, sql)
            .fetch_all(pool)
            .await)?;
        let more = rows.len() > q.limit;
        let users = rows
            .into_iter()
            .take(q.limit)
            .map(TryInto::try_into)
            .collect::<Result<Vec<User>>>()?;
        Ok((users, more))
    }
}

/// Okta's `q`: the start of `firstName`, `lastName` or `email`, ignoring case. Each is also
/// bounded as a range, `[prefix, prefix + U+10FFFF)` in byte order, which the expression indexes
/// of migration 0034 answer, so a search reads the matching users, not every profile; the
/// `LIKE` keeps the exact meaning.
fn push_q(sql: &mut Sql, dialect: Dialect, text: &str) -> Result<()> {
    // Lower-cased as the database's `lower` does: SQLite's changes ASCII letters only.
    let prefix = match dialect {
        Dialect::Sqlite => text.to_ascii_lowercase(),
        Dialect::Postgres => text.to_lowercase(),
    };
    let like = Bind::Text(format!(
        "{}%",
        prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    ));
    let byte_order = match dialect {
        Dialect::Sqlite => "",
        Dialect::Postgres => " COLLATE \"C\"",
    };
    sql.push(" AND (");
    for (i, key) in ["firstName", "lastName", "email"].iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        let value = format!("lower({})", crate::search::profile_expr(dialect, key)?);
        sql.push(&format!("({value}{byte_order} >= "))
            .bind(Bind::Text(prefix.clone()))
            .push(&format!(" AND {value}{byte_order} < "))
            .bind(Bind::Text(format!("{prefix}{}", char::MAX)))
            .push(&format!(" AND {value} LIKE "))
            .bind(like.clone())
            .push(" ESCAPE '\\')");
    }
    sql.push(")");
    Ok(())
}
