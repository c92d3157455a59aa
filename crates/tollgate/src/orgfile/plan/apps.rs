//! Apps, their org-server groups claim and their assignments.

use tollgate_core::app::assignment::{AppGroup, AppGroupDraft, AppUser, AppUserDraft};
use tollgate_core::app::id_token_claim::IdTokenGroupsClaim;
use tollgate_core::app::{App, AppStatus};
use tollgate_core::id::AppId;

use super::app_drafts::{is_oidc, oidc_draft};
use super::{Change, Op, Planner};
use crate::orgfile::model::AppSpec;

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit())
}

impl Planner<'_> {
    /// The stored app the spec means: by id, else client id, else (unique) label.
    async fn find_app(
        &mut self,
        path: &str,
        spec: &AppSpec,
        id: Option<&AppId>,
    ) -> anyhow::Result<Option<App>> {
        if let Some(id) = id
            && let Some(app) = self.store.find_app(id.as_str()).await?
        {
            return Ok(Some(app));
        }
        if let Some(cid) = &spec.client_id
            && let Some(app) = self.store.find_app_by_client_id(cid).await?
        {
            return Ok(Some(app));
        }
        let q = tollgate_store::AppQuery {
            limit: 100_000,
            ..tollgate_store::AppQuery::default()
        };
        let (apps, _) = self.store.list_apps(&q).await?;
        let mut same_label: Vec<App> = apps
            .into_iter()
            .filter(|a| a.label.eq_ignore_ascii_case(spec.label.trim()))
            .collect();
        match same_label.len() {
            0 => Ok(None),
            1 => Ok(same_label.pop()),
            _ => {
                self.problem(
                    &format!("{path}.label"),
                    "several stored apps have this label: give the app's id or client_id",
                );
                Ok(None)
            }
        }
    }

    pub(super) async fn plan_app(&mut self, i: usize, spec: &AppSpec) -> anyhow::Result<()> {
        let path = format!("apps[{i}]");
        let id = match spec.id.as_deref().map(str::parse::<AppId>) {
            None => None,
            Some(Ok(id)) => Some(id),
            Some(Err(e)) => {
                self.problem(&format!("{path}.id"), e.to_string());
                return Ok(());
            }
        };
        let client_key = spec
            .client_id
            .clone()
            .or_else(|| spec.id.clone())
            .unwrap_or_else(|| format!("label:{}", spec.label.to_lowercase()));
        if !self.client_ids.insert(client_key) {
            self.problem(
                &path,
                "this app (same client_id, id or label) is declared twice",
            );
            return Ok(());
        }
        let status = match spec.status.as_deref() {
            None => AppStatus::Active,
            Some(s) => match AppStatus::parse(s) {
                Some(s) => s,
                None => {
                    self.problem(&format!("{path}.status"), "expected ACTIVE or INACTIVE");
                    return Ok(());
                }
            },
        };
        if spec.client_secret.is_some() && spec.client_secret_digest.is_some() {
            self.problem(
                &path,
                "give client_secret or client_secret_digest, not both",
            );
            return Ok(());
        }
        if let Some(d) = &spec.client_secret_digest
            && !is_sha256_hex(d)
        {
            self.problem(
                &format!("{path}.client_secret_digest"),
                "must be 64 hexadecimal characters (SHA-256)",
            );
            return Ok(());
        }
        let draft = if is_oidc(spec) {
            oidc_draft(spec)
        } else if let Some(draft) = self.template_draft(&path, spec) {
            draft
        } else {
            return Ok(());
        };
        let existing = self.find_app(&path, spec, id.as_ref()).await?;
        if let (Some(id), Some(ex)) = (&id, &existing)
            && ex.id != *id
        {
            self.problem(
                &format!("{path}.id"),
                format!("this app is stored with the id {}, not {id}", ex.id),
            );
            return Ok(());
        }
        let digest = spec
            .client_secret_digest
            .as_ref()
            .map(|d| d.to_ascii_lowercase());
        let app = match existing {
            None => {
                let id = id.unwrap_or_else(AppId::generate);
                let saved = match App::create(id, draft, status == AppStatus::Active, self.now) {
                    Ok(s) => s,
                    Err(e) => {
                        self.core_error(&path, e);
                        return Ok(());
                    }
                };
                let mut app = saved.app;
                let mut note = None;
                match (digest, saved.secret) {
                    (Some(d), _) if !app.credentials.secrets.is_empty() => {
                        app.credentials.secrets = app.credentials.secrets.only_digest(&d, self.now);
                    }
                    (None, Some(secret)) if spec.client_secret.is_none() => {
                        note = Some(format!(
                            "generated client_secret (shown only this once): {}",
                            secret.expose()
                        ));
                    }
                    _ => {}
                }
                let what = format!(
                    "app {} ({}, client_id {})",
                    app.label, app.id, app.credentials.client_id
                );
                self.step(Change::Create, what, Op::CreateApp(app.clone()));
                if let Some(step) = self.steps.last_mut() {
                    step.note = note;
                }
                app
            }
            Some(ex) => {
                let saved = match ex.replace(draft, ex.last_updated) {
                    Ok(s) => s,
                    Err(e) => {
                        self.core_error(&path, e);
                        return Ok(());
                    }
                };
                let mut next = saved.app;
                if let Some(d) = digest
                    && !next.credentials.secrets.is_empty()
                {
                    next.credentials.secrets =
                        next.credentials.secrets.only_digest(&d, ex.last_updated);
                }
                next.status = status;
                let what = format!(
                    "app {} ({}, client_id {})",
                    next.label, next.id, next.credentials.client_id
                );
                if next == ex {
                    self.step(Change::Unchanged, what, Op::None);
                } else {
                    next.last_updated = self.now;
                    self.step(Change::Update, what, Op::UpdateApp(next.clone()));
                }
                next
            }
        };
        self.client_ids.insert(app.credentials.client_id.clone());
        self.client_ids.insert(app.id.as_str().to_owned());
        self.plan_app_claim(&path, spec, &app).await?;
        self.plan_assignments(&path, spec, &app).await
    }

    async fn plan_app_claim(
        &mut self,
        path: &str,
        spec: &AppSpec,
        app: &App,
    ) -> anyhow::Result<()> {
        let Some(c) = &spec.id_token_groups_claim else {
            return Ok(());
        };
        let at = format!("{path}.idTokenGroupsClaim");
        let claim = match IdTokenGroupsClaim::from_input(
            Some(c.value_type.as_str()),
            c.name.as_deref(),
            Some(c.value.as_str()),
            c.group_filter_type.as_deref(),
        ) {
            Ok(Some(claim)) => claim,
            Ok(None) => {
                self.problem(&format!("{at}.valueType"), "The field cannot be left blank");
                return Ok(());
            }
            Err(e) => {
                self.core_error(&at, e);
                return Ok(());
            }
        };
        let stored = self.store.app_id_token_claim(app.id.as_str()).await?;
        let what = format!(
            "ID token groups claim {:?} of app {}",
            claim.name, app.label
        );
        if stored.as_ref() == Some(&claim) {
            self.step(Change::Unchanged, what, Op::None);
        } else {
            let change = if stored.is_some() {
                Change::Update
            } else {
                Change::Create
            };
            self.step(
                change,
                what,
                Op::SetAppClaim {
                    app: app.clone(),
                    claim,
                },
            );
        }
        Ok(())
    }

    async fn plan_assignments(
        &mut self,
        path: &str,
        spec: &AppSpec,
        app: &App,
    ) -> anyhow::Result<()> {
        for (j, login) in spec.assignments.users.iter().enumerate() {
            let at = format!("{path}.assignments.users[{j}]");
            let Some(user) = self.user(login).await? else {
                self.problem(
                    &at,
                    format!("no user with the login {login:?} (declare it under users)"),
                );
                continue;
            };
            let what = format!("assignment of user {} to app {}", user.login(), app.label);
            if self
                .store
                .find_direct_app_user(app.id.as_str(), user.id.as_str())
                .await?
                .is_some()
            {
                self.step(Change::Unchanged, what, Op::None);
                continue;
            }
            match AppUser::assign(
                app.id.clone(),
                user.id.clone(),
                user.login(),
                AppUserDraft::default(),
                self.now,
            ) {
                Ok(au) => self.step(
                    Change::Create,
                    what,
                    Op::AssignUser {
                        au,
                        user,
                        app: app.clone(),
                    },
                ),
                Err(e) => self.core_error(&at, e),
            }
        }
        let mut next_priority = self.store.next_app_group_priority(app.id.as_str()).await?;
        for (j, name) in spec.assignments.groups.iter().enumerate() {
            let at = format!("{path}.assignments.groups[{j}]");
            let Some(group) = self.group(name).await? else {
                self.problem(
                    &at,
                    format!("no group named {name:?} (declare it under groups)"),
                );
                continue;
            };
            let what = format!("assignment of group {} to app {}", group.name(), app.label);
            if self
                .store
                .find_app_group(app.id.as_str(), group.id.as_str())
                .await?
                .is_some()
            {
                self.step(Change::Unchanged, what, Op::None);
                continue;
            }
            match AppGroup::assign(
                app.id.clone(),
                group.id.clone(),
                None,
                next_priority,
                AppGroupDraft::default(),
                self.now,
            ) {
                Ok(ag) => {
                    next_priority = next_priority.saturating_add(1);
                    self.step(
                        Change::Create,
                        what,
                        Op::AssignGroup {
                            ag,
                            group,
                            app: app.clone(),
                        },
                    );
                }
                Err(e) => self.core_error(&at, e),
            }
        }
        Ok(())
    }
}
