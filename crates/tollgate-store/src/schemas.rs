//! Profile schemas (their custom properties) and user types.

use serde_json::{Map, Value};
use tollgate_core::Timestamp;
use tollgate_core::log::LogEvent;
use tollgate_core::schema::user_type::UserType;
use tollgate_core::schema::{ProfileSchema, SchemaKind};

use crate::{Error, Result, Store, in_tx, load, on_pool, write_events};

#[derive(sqlx::FromRow)]
struct SchemaRow {
    kind: String,
    id: String,
    properties: String,
    revision: i64,
    created: i64,
    last_updated: i64,
}

/// A stored schema and its revision (bumped by every change).
#[derive(Debug, Clone)]
pub struct StoredSchema {
    /// The schema.
    pub schema: ProfileSchema,
    /// The revision it was read at.
    pub revision: i64,
}

impl TryFrom<SchemaRow> for StoredSchema {
    type Error = Error;

    fn try_from(r: SchemaRow) -> Result<Self> {
        let kind = SchemaKind::parse(&r.kind)
            .ok_or_else(|| Error::Corrupt(format!("schema kind {:?}", r.kind)))?;
        let custom: Map<String, Value> = serde_json::from_str(&r.properties)?;
        let mut schema = ProfileSchema::empty(r.id, kind, Timestamp::from_millis(r.created))
            .with_custom_json(&custom)
            .map_err(|e| Error::Corrupt(format!("schema properties: {e}")))?;
        schema.last_updated = Timestamp::from_millis(r.last_updated);
        Ok(Self {
            schema,
            revision: r.revision,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TypeRow {
    id: String,
    name: String,
    display_name: String,
    description: Option<String>,
    is_default: i64,
    schema_id: String,
    created: i64,
    created_by: String,
    last_updated: i64,
    last_updated_by: String,
}

impl TryFrom<TypeRow> for UserType {
    type Error = Error;

    fn try_from(r: TypeRow) -> Result<Self> {
        Ok(UserType {
            id: r.id,
            name: r.name,
            display_name: r.display_name,
            description: r.description,
            default: r.is_default != 0,
            schema_id: r.schema_id,
            created: Timestamp::from_millis(r.created),
            created_by: r.created_by,
            last_updated: Timestamp::from_millis(r.last_updated),
            last_updated_by: r.last_updated_by,
        })
    }
}

const SELECT_SCHEMA: &str = "SELECT kind, id, properties, revision, created, last_updated \
     FROM profile_schemas WHERE kind = $1 AND id = $2";
const SELECT_REVISION: &str = "SELECT revision FROM profile_schemas WHERE kind = $1 AND id = $2";
const SELECT_ALL_SCHEMAS: &str = "SELECT kind, id, properties, revision, created, last_updated \
     FROM profile_schemas ORDER BY kind, created, id";
const INSERT_SCHEMA: &str = "INSERT INTO profile_schemas (kind, id, properties, revision, created, last_updated) \
     VALUES ($1, $2, $3, 0, $4, $5) ON CONFLICT (kind, id) DO NOTHING";
const UPDATE_SCHEMA: &str = "UPDATE profile_schemas SET properties = $3, last_updated = $4, \
     revision = revision + 1 WHERE kind = $1 AND id = $2 AND revision = $5";
const ENSURE_SCHEMA: &str = "INSERT INTO profile_schemas (kind, id, properties, revision, created, last_updated) \
     VALUES ($1, $2, '{}', 0, $3, $3) ON CONFLICT (kind, id) DO NOTHING";
const DELETE_SCHEMA: &str = "DELETE FROM profile_schemas WHERE kind = $1 AND id = $2";
macro_rules! select_types {
    ($rest:literal) => {
        concat!(
            "SELECT id, name, display_name, description, is_default, schema_id, created, ",
            "created_by, last_updated, last_updated_by FROM user_types ",
            $rest
        )
    };
}
const LIST_TYPES: &str = select_types!("ORDER BY is_default DESC, created, id");
const DEFAULT_TYPE: &str = select_types!("WHERE is_default = 1");
const TYPE_BY_ID: &str = select_types!("WHERE id = $1");
const TYPE_BY_SCHEMA: &str = select_types!("WHERE schema_id = $1");
const INSERT_TYPE: &str = "INSERT INTO user_types (id, name, display_name, description, is_default, schema_id, \
     created, created_by, last_updated, last_updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (id) DO NOTHING";
const UPDATE_TYPE: &str = "UPDATE user_types SET display_name = $2, description = $3, last_updated = $4, \
     last_updated_by = $5 WHERE id = $1";
const DELETE_TYPE: &str = "DELETE FROM user_types WHERE id = $1";
const USERS_OF_TYPE: &str =
    "SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE type_id = $1 LIMIT 1) AS u";

const SQLITE_PROFILE_VALUE: &str = "SELECT id FROM users WHERE CAST(json_extract(profile, '$.' || $1) AS TEXT) = $2 \
     AND id <> $3 LIMIT 1";
const POSTGRES_PROFILE_VALUE: &str =
    "SELECT id FROM users WHERE (profile::jsonb ->> $1) = $2 AND id <> $3 LIMIT 1";

fn name_taken(e: sqlx::Error) -> Error {
    match Error::from(e) {
        Error::Conflict { .. } => Error::Conflict {
            constraint: "name".to_owned(),
        },
        other => other,
    }
}

impl Store {
    /// Creates the default user type, its user schema and the group schema unless they exist.
    pub async fn ensure_default_schemas(&self, now: Timestamp) -> Result<()> {
        let t = UserType::built_in(now);
        in_tx!(self, |tx| {
            insert_type!(tx, &t);
            for (kind, id) in [
                (SchemaKind::User, t.schema_id.as_str()),
                (SchemaKind::Group, "default"),
            ] {
                sqlx::query(ENSURE_SCHEMA)
                    .bind(kind.as_str())
                    .bind(id)
                    .bind(now.millis())
                    .execute(&mut *tx)
                    .await?;
            }
        });
        Ok(())
    }

    /// One schema, if stored.
    pub async fn find_schema(&self, kind: SchemaKind, id: &str) -> Result<Option<StoredSchema>> {
        load!(one: self, SchemaRow, SELECT_SCHEMA, kind.as_str(), id)
    }

    /// The stored revision of a schema (`None`: not stored), for cache checks.
    pub async fn schema_revision(&self, kind: SchemaKind, id: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_pool!(self, |pool| sqlx::query_as(SELECT_REVISION)
            .bind(kind.as_str())
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(r,)| r))
    }

    /// Every stored schema (for `org export`).
    pub async fn list_schemas(&self) -> Result<Vec<StoredSchema>> {
        load!(all: self, SchemaRow, SELECT_ALL_SCHEMAS)
    }

    /// Saves a schema's custom properties and bumps its revision, if nobody saved it since it
    /// was read at revision `read_at` (`None`: it was not stored then). Otherwise `Stale`.
    pub async fn save_schema(
        &self,
        s: &ProfileSchema,
        read_at: Option<i64>,
        events: &[LogEvent],
    ) -> Result<()> {
        let props = serde_json::to_string(&s.custom_json())?;
        in_tx!(self, |tx| {
            let n = match read_at {
                None => sqlx::query(INSERT_SCHEMA)
                    .bind(s.kind.as_str())
                    .bind(&s.id)
                    .bind(&props)
                    .bind(s.created.millis())
                    .bind(s.last_updated.millis()),
                Some(revision) => sqlx::query(UPDATE_SCHEMA)
                    .bind(s.kind.as_str())
                    .bind(&s.id)
                    .bind(&props)
                    .bind(s.last_updated.millis())
                    .bind(revision),
            }
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(Error::Stale);
            }
            write_events!(tx, events);
        });
        Ok(())
    }

    /// A user other than `except` whose profile attribute `key` (a schema property name) has
    /// the value written `value` (a string, or a number as JSON writes it), for properties that
    /// must be unique. Reads every user's profile: unique properties are for small orgs.
    pub async fn user_with_profile_value(
        &self,
        key: &str,
        value: &str,
        except: &str,
    ) -> Result<Option<String>> {
        let sql = match self.dialect() {
            crate::search::Dialect::Sqlite => SQLITE_PROFILE_VALUE,
            crate::search::Dialect::Postgres => POSTGRES_PROFILE_VALUE,
        };
        let row: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(key)
            .bind(value)
            .bind(except)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(id,)| id))
    }

    /// Every user type, the default first, then by creation.
    pub async fn list_user_types(&self) -> Result<Vec<UserType>> {
        load!(all: self, TypeRow, LIST_TYPES)
    }

    /// One user type by id (`default`: the default type).
    pub async fn find_user_type(&self, id: &str) -> Result<Option<UserType>> {
        if id == "default" {
            return load!(one: self, TypeRow, DEFAULT_TYPE);
        }
        load!(one: self, TypeRow, TYPE_BY_ID, id)
    }

    /// The user type whose schema is `schema_id`.
    pub async fn user_type_of_schema(&self, schema_id: &str) -> Result<Option<UserType>> {
        load!(one: self, TypeRow, TYPE_BY_SCHEMA, schema_id)
    }

    /// Saves a new user type (its user schema is stored once it has properties). A taken name is
    /// `Conflict { constraint: "name" }`.
    pub async fn create_user_type(&self, t: &UserType, events: &[LogEvent]) -> Result<()> {
        in_tx!(self, |tx| {
            insert_type!(tx, t, name_taken);
            write_events!(tx, events);
        });
        Ok(())
    }

    /// Saves a user type's display name and description. `NotFound` when it is gone.
    pub async fn update_user_type(&self, t: &UserType, events: &[LogEvent]) -> Result<()> {
        let n = crate::write_logged!(self, events, UPDATE_TYPE; &t.id, &t.display_name, t.description.as_deref(), t.last_updated.millis(), &t.last_updated_by);
        if n == 0 { Err(Error::NotFound) } else { Ok(()) }
    }

    /// Deletes a user type and its schema. `Conflict { constraint: "users" }` while users have
    /// the type.
    pub async fn delete_user_type(&self, t: &UserType, events: &[LogEvent]) -> Result<()> {
        in_tx!(self, |tx| {
            let (count,): (i64,) = sqlx::query_as(USERS_OF_TYPE)
                .bind(&t.id)
                .fetch_one(&mut *tx)
                .await?;
            if count > 0 {
                return Err(Error::Conflict {
                    constraint: "users".to_owned(),
                });
            }
            sqlx::query(DELETE_TYPE)
                .bind(&t.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(DELETE_SCHEMA)
                .bind(SchemaKind::User.as_str())
                .bind(&t.schema_id)
                .execute(&mut *tx)
                .await?;
            write_events!(tx, events);
        });
        Ok(())
    }
}

/// Inserts a user type (no-op when its id exists), mapping errors with `$map` if given.
macro_rules! insert_type {
    ($tx:ident, $t:expr $(, $map:expr)?) => {{
        let t: &UserType = $t;
        sqlx::query(INSERT_TYPE)
            .bind(&t.id)
            .bind(&t.name)
            .bind(&t.display_name)
            .bind(t.description.as_deref())
            .bind(i64::from(t.default))
            .bind(&t.schema_id)
            .bind(t.created.millis())
            .bind(&t.created_by)
            .bind(t.last_updated.millis())
            .bind(&t.last_updated_by)
            .execute(&mut *$tx)
            .await
            $(.map_err($map))??;
    }};
}
use insert_type;
