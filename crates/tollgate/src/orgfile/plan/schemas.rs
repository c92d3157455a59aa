//! Planning the `schemas` and `userTypes` sections: custom properties are added or replaced
//! over the stored ones; user types are matched by name. Profiles planned later are checked
//! against the schemas as they will be.

use serde_json::{Map, Value, json};
use tollgate_core::schema::user_type::{DEFAULT_SCHEMA_ID, UserType};
use tollgate_core::schema::{ProfileSchema, SchemaKind};

use super::{Change, Op, Planner};
use crate::orgfile::model::{OrgFile, UserTypeSpec};

impl Planner<'_> {
    /// The stored schema `kind`/`id`, or an empty one.
    async fn stored_schema(
        &self,
        kind: SchemaKind,
        id: &str,
    ) -> anyhow::Result<(ProfileSchema, Option<i64>)> {
        Ok(match self.store.find_schema(kind, id).await? {
            Some(s) => (s.schema, Some(s.revision)),
            None => (ProfileSchema::empty(id, kind, self.now), None),
        })
    }

    /// Plans `props` over schema `kind`/`id`; returns the schema as it will be.
    async fn plan_schema(
        &mut self,
        path: &str,
        what: String,
        kind: SchemaKind,
        id: &str,
        props: &Map<String, Value>,
    ) -> anyhow::Result<ProfileSchema> {
        let (stored, read_at) = self.stored_schema(kind, id).await?;
        if props.is_empty() {
            return Ok(stored);
        }
        let mut next = stored.clone();
        let body = json!({"definitions": {"custom": {"properties": props}}});
        if let Err(e) = next.apply_update(&body, self.now) {
            self.core_error(path, e);
            return Ok(stored);
        }
        if next.custom_json() == stored.custom_json() {
            self.step(Change::Unchanged, what, Op::None);
        } else {
            self.step(Change::Update, what, Op::SaveSchema(next.clone(), read_at));
        }
        Ok(next)
    }

    /// Plans the user and group schemas and the user types.
    pub(super) async fn plan_schemas(&mut self, org: &OrgFile) -> anyhow::Result<()> {
        let user = self
            .plan_schema(
                "schemas.user",
                "user schema (default type)".into(),
                SchemaKind::User,
                DEFAULT_SCHEMA_ID,
                &org.schemas.user,
            )
            .await?;
        let group = self
            .plan_schema(
                "schemas.group",
                "group schema".into(),
                SchemaKind::Group,
                "default",
                &org.schemas.group,
            )
            .await?;
        self.schemas = Some((user, group));
        for (i, t) in org.user_types.iter().enumerate() {
            self.plan_user_type(i, t).await?;
        }
        Ok(())
    }

    async fn plan_user_type(&mut self, i: usize, spec: &UserTypeSpec) -> anyhow::Result<()> {
        let path = format!("userTypes[{i}]");
        let body = json!({"name": spec.name, "displayName": spec.display_name, "description": spec.description});
        let existing = self
            .store
            .list_user_types()
            .await?
            .into_iter()
            .find(|t| t.name == spec.name);
        let t = match existing {
            None => match UserType::create(&body, "apply", self.now) {
                Ok(t) => {
                    let what = format!("user type {} ({})", t.name, t.id);
                    self.step(Change::Create, what, Op::CreateUserType(t.clone()));
                    t
                }
                Err(e) => {
                    self.core_error(&path, e);
                    return Ok(());
                }
            },
            Some(ex) => {
                let mut next = ex.clone();
                if let Err(e) = next.update(&body, true, &ex.last_updated_by, ex.last_updated) {
                    self.core_error(&path, e);
                    return Ok(());
                }
                let what = format!("user type {} ({})", next.name, next.id);
                if next == ex {
                    self.step(Change::Unchanged, what, Op::None);
                } else {
                    next.last_updated = self.now;
                    self.step(Change::Update, what, Op::UpdateUserType(next.clone()));
                }
                next
            }
        };
        let what = format!("user schema of type {}", t.name);
        self.plan_schema(
            &format!("{path}.properties"),
            what,
            SchemaKind::User,
            &t.schema_id,
            &spec.properties,
        )
        .await?;
        Ok(())
    }

    /// Whether `profile` fits the user (or group) schema as planned; reports why not.
    pub(super) fn fits_schema(
        &mut self,
        kind: SchemaKind,
        path: &str,
        profile: &Map<String, Value>,
    ) -> bool {
        let checked = match (&self.schemas, kind) {
            (Some((user, _)), SchemaKind::User) => user.check_profile(profile),
            (Some((_, group)), SchemaKind::Group) => group.check_profile(profile),
            _ => Ok(()),
        };
        match checked {
            Ok(()) => true,
            Err(e) => {
                self.core_error(path, e);
                false
            }
        }
    }
}
