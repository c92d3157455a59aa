//! Users, groups with their members, and API tokens.

use std::collections::HashSet;

use serde_json::Value;
use tollgate_core::directory::group::validate_profile as validate_group_profile;
use tollgate_core::directory::user::{CreateOptions, validate_profile};
use tollgate_core::directory::{Group, GroupType, User, UserStatus};
use tollgate_core::id::{GroupId, UserId};
use tollgate_core::schema::SchemaKind;
use tollgate_core::secret::Secret;

use super::{Change, KnownUser, Op, Planner};
use crate::orgfile::model::{ApiTokenSpec, GroupSpec, UserSpec};
use crate::orgfile::model_password::replaces;
use crate::orgfile::model_recovery::checked;

/// Profile keys that have their own top-level key in the file.
const NAMED_PROFILE_KEYS: [&str; 4] = ["login", "email", "firstName", "lastName"];

/// Checks the policy and hashes off the async workers (argon2id costs tens of ms).
async fn hash_password(
    password: String,
    login: String,
) -> anyhow::Result<Result<String, tollgate_core::Error>> {
    Ok(tokio::task::spawn_blocking(move || {
        let secret = Secret::new(password);
        tollgate_core::password::check_policy(&secret, &login)?;
        tollgate_core::password::hash(&secret)
    })
    .await?)
}

impl Planner<'_> {
    pub(super) async fn plan_user(&mut self, i: usize, spec: &UserSpec) -> anyhow::Result<()> {
        let path = format!("users[{i}]");
        let login_key = spec.login.trim().to_lowercase();
        if self.users.contains_key(&login_key) {
            self.problem(
                &format!("{path}.login"),
                format!("the login {:?} is declared twice", spec.login),
            );
            return Ok(());
        }
        let mut profile = spec.profile.clone();
        for key in NAMED_PROFILE_KEYS {
            if profile.contains_key(key) {
                self.problem(
                    &format!("{path}.profile.{key}"),
                    format!("set {key} with the user's own key, not in profile"),
                );
            }
        }
        profile.insert("login".into(), Value::String(spec.login.clone()));
        let email = spec.email.clone().unwrap_or_else(|| spec.login.clone());
        profile.insert("email".into(), Value::String(email));
        profile.insert("firstName".into(), Value::String(spec.first_name.clone()));
        profile.insert("lastName".into(), Value::String(spec.last_name.clone()));
        let profile = match validate_profile(profile) {
            Ok(p) => p,
            Err(e) => {
                self.core_error(&format!("{path}.profile"), e);
                return Ok(());
            }
        };
        if !self.fits_schema(SchemaKind::User, &format!("{path}.profile"), &profile) {
            return Ok(());
        }
        let status = match spec.status.as_deref() {
            None => UserStatus::Active,
            Some(s) => match UserStatus::parse(s) {
                Some(s) => s,
                None => {
                    self.problem(&format!("{path}.status"), format!("{s:?} is not a user status (ACTIVE, STAGED, PROVISIONED, SUSPENDED, DEPROVISIONED, ...)"));
                    return Ok(());
                }
            },
        };
        let id = match spec.id.as_deref().map(str::parse::<UserId>) {
            None => None,
            Some(Ok(id)) => Some(id),
            Some(Err(e)) => {
                self.problem(&format!("{path}.id"), e.to_string());
                return Ok(());
            }
        };
        if spec.password.is_some() && spec.password_hash.is_some() {
            self.problem(&path, "give password or passwordHash, not both");
            return Ok(());
        }
        let stored_hash = match spec.password_hash.as_ref().map(|h| h.stored()).transpose() {
            Ok(h) => h,
            Err(e) => {
                self.core_error(&path, e);
                return Ok(());
            }
        };
        let Ok(recovery) =
            checked(spec.recovery_question.as_ref()).map_err(|e| self.core_error(&path, e))
        else {
            return Ok(());
        };
        let existing = match &id {
            Some(id) => match self.store.find_user(id.as_str()).await? {
                Some(u) => Some(u),
                None => self.store.find_user(&spec.login).await?,
            },
            None => self.store.find_user(&spec.login).await?,
        };
        if let (Some(id), Some(ex)) = (&id, &existing)
            && ex.id != *id
        {
            self.problem(
                &format!("{path}.id"),
                format!(
                    "the login {:?} belongs to the stored user {}, not {id}",
                    spec.login, ex.id
                ),
            );
            return Ok(());
        }
        let user = match existing {
            None => {
                let hash = match (&spec.password, &stored_hash) {
                    (Some(pw), _) => match hash_password(pw.clone(), spec.login.clone()).await? {
                        Ok(h) => Some(h),
                        Err(e) => {
                            self.core_error(&path, e);
                            return Ok(());
                        }
                    },
                    (None, Some(h)) => Some(h.clone()),
                    (None, None) => None,
                };
                let options = CreateOptions {
                    activate: status != UserStatus::Staged,
                    change_password_next_login: false,
                };
                let mut user = match User::create(profile, hash, options, self.now) {
                    Ok(u) => u,
                    Err(e) => {
                        self.core_error(&path, e);
                        return Ok(());
                    }
                };
                if let Some(id) = id {
                    user.id = id;
                }
                recovery.inspect(|r| r.apply_to(&mut user));
                if user.status != status {
                    user.status = status;
                    user.status_changed = Some(self.now);
                }
                let what = format!("user {} ({})", user.login(), user.id);
                self.step(Change::Create, what, Op::CreateUser(user.clone()));
                user
            }
            Some(ex) => {
                let mut next = ex.clone();
                if let Err(e) = next.replace_profile(profile, ex.last_updated) {
                    self.core_error(&path, e);
                    return Ok(());
                }
                match (&spec.password, &stored_hash) {
                    (Some(pw), _) => {
                        let same = ex.password_hash.as_deref().is_some_and(|h| {
                            tollgate_core::password::verify(&Secret::new(pw.clone()), h)
                        });
                        if !same {
                            match hash_password(pw.clone(), spec.login.clone()).await? {
                                Ok(h) => next.set_password_hash(h, self.now),
                                Err(e) => {
                                    self.core_error(&path, e);
                                    return Ok(());
                                }
                            }
                        }
                    }
                    (None, Some(h)) if replaces(ex.password_hash.as_deref(), h) => {
                        next.set_password_hash(h.clone(), self.now);
                    }
                    _ => {}
                }
                recovery.inspect(|r| r.apply_to(&mut next));
                if next.status != status {
                    next.status = status;
                    next.status_changed = Some(self.now);
                }
                let what = format!("user {} ({})", next.login(), next.id);
                if next == ex {
                    self.step(Change::Unchanged, what, Op::None);
                } else {
                    next.last_updated = self.now;
                    self.step(Change::Update, what, Op::UpdateUser(next.clone()));
                }
                next
            }
        };
        self.users
            .insert(login_key, KnownUser { user: user.clone() });
        self.users
            .insert(user.id.as_str().to_lowercase(), KnownUser { user });
        Ok(())
    }

    pub(super) async fn plan_group(&mut self, i: usize, spec: &GroupSpec) -> anyhow::Result<()> {
        let path = format!("groups[{i}]");
        let key = spec.name.trim().to_lowercase();
        if self.groups.contains_key(&key) {
            self.problem(
                &format!("{path}.name"),
                format!("the group {:?} is declared twice", spec.name),
            );
            return Ok(());
        }
        let id = match spec.id.as_deref().map(str::parse::<GroupId>) {
            None => None,
            Some(Ok(id)) => Some(id),
            Some(Err(e)) => {
                self.problem(&format!("{path}.id"), e.to_string());
                return Ok(());
            }
        };
        let by_id = match &id {
            Some(id) => self.store.find_group(id.as_str()).await?,
            None => None,
        };
        let existing = match by_id {
            Some(g) => Some(g),
            None => {
                let name = spec.name.clone();
                self.group(&name).await?
            }
        };
        if let (Some(id), Some(ex)) = (&id, &existing)
            && ex.id != *id
        {
            self.problem(
                &format!("{path}.id"),
                format!(
                    "the group {:?} is stored with the id {}, not {id}",
                    spec.name, ex.id
                ),
            );
            return Ok(());
        }
        let mut profile = existing
            .as_ref()
            .map(|g| g.profile.clone())
            .unwrap_or_default();
        profile.insert("name".into(), Value::String(spec.name.clone()));
        match &spec.description {
            Some(d) => {
                profile.insert("description".into(), Value::String(d.clone()));
            }
            None => {
                profile.remove("description");
            }
        }
        let group = match existing {
            Some(ex) if ex.kind != GroupType::OktaGroup => {
                // Built-in and app groups are read-only; the file may still add members to
                // none of them, but may name them (e.g. in assignments) without a profile.
                if spec.description.is_some() || !spec.members.is_empty() {
                    self.problem(
                        &path,
                        format!(
                            "{:?} is a {} group and cannot be edited",
                            spec.name,
                            ex.kind.as_str()
                        ),
                    );
                    return Ok(());
                }
                let what = format!("group {} ({})", ex.name(), ex.id);
                self.step(Change::Unchanged, what, Op::None);
                ex
            }
            Some(ex) => {
                let mut next = ex.clone();
                if let Err(e) = next.replace_profile(profile, ex.last_updated) {
                    self.core_error(&path, e);
                    return Ok(());
                }
                let what = format!("group {} ({})", next.name(), next.id);
                if next == ex {
                    self.step(Change::Unchanged, what, Op::None);
                } else {
                    next.last_updated = self.now;
                    self.step(Change::Update, what, Op::UpdateGroup(next.clone()));
                }
                next
            }
            None => {
                if let Err(e) = validate_group_profile(profile.clone()) {
                    self.core_error(&path, e);
                    return Ok(());
                }
                let mut g = match Group::new(GroupType::OktaGroup, profile, self.now) {
                    Ok(g) => g,
                    Err(e) => {
                        self.core_error(&path, e);
                        return Ok(());
                    }
                };
                if let Some(id) = id {
                    g.id = id;
                }
                let what = format!("group {} ({})", g.name(), g.id);
                self.step(Change::Create, what, Op::CreateGroup(g.clone()));
                g
            }
        };
        self.groups.insert(key, group.clone());
        self.groups
            .insert(group.id.as_str().to_lowercase(), group.clone());
        let stored_members: HashSet<String> =
            if self.store.find_group(group.id.as_str()).await?.is_some() {
                let q = tollgate_store::UserQuery {
                    group: Some(group.id.as_str().to_owned()),
                    limit: 100_000,
                    ..tollgate_store::UserQuery::default()
                };
                let (members, _) = self.store.list_users(&q).await?;
                members.into_iter().map(|u| u.id.into_string()).collect()
            } else {
                HashSet::new()
            };
        let mut seen = HashSet::new();
        for (j, login) in spec.members.iter().enumerate() {
            let at = format!("{path}.members[{j}]");
            let Some(user) = self.user(login).await? else {
                self.problem(
                    &at,
                    format!("no user with the login {login:?} (declare it under users)"),
                );
                continue;
            };
            if !seen.insert(user.id.clone()) {
                self.problem(&at, format!("{login:?} is listed twice"));
                continue;
            }
            let what = format!("membership of {} in {}", user.login(), group.name());
            if stored_members.contains(user.id.as_str()) {
                self.step(Change::Unchanged, what, Op::None);
            } else {
                self.step(
                    Change::Create,
                    what,
                    Op::AddMember {
                        group: group.clone(),
                        user,
                    },
                );
            }
        }
        Ok(())
    }

    pub(super) async fn plan_token(&mut self, i: usize, spec: &ApiTokenSpec) -> anyhow::Result<()> {
        let path = format!("apiTokens[{i}]");
        if spec.name.trim().is_empty() {
            self.problem(&format!("{path}.name"), "The field cannot be left blank");
        }
        let digest = match (&spec.token, &spec.token_digest) {
            (Some(t), None) if !t.trim().is_empty() => Secret::new(t.trim()).digest(),
            (None, Some(d)) if d.len() == 64 && d.chars().all(|c| c.is_ascii_hexdigit()) => {
                d.to_ascii_lowercase()
            }
            (None, Some(_)) => {
                self.problem(
                    &format!("{path}.tokenDigest"),
                    "must be 64 hexadecimal characters (SHA-256)",
                );
                return Ok(());
            }
            _ => {
                self.problem(&path, "give token or tokenDigest (exactly one)");
                return Ok(());
            }
        };
        let what = format!("API token {:?}", spec.name);
        if self.store.find_api_token(&digest).await?.is_some() {
            self.step(Change::Unchanged, what, Op::None);
        } else {
            self.step(
                Change::Create,
                what,
                Op::RegisterToken {
                    name: spec.name.trim().to_owned(),
                    digest,
                },
            );
        }
        Ok(())
    }
}
