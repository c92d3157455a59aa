//! Planning admin roles: the holder, the role type and its targets resolved, and compared
//! with what is stored.

use tollgate_core::admin::{RoleType, TargetKind};
use tollgate_store::{Principal, TargetRecord};

use super::{Change, Op, Planner};
use crate::orgfile::model::AdminRoleSpec;

impl Planner<'_> {
    pub(super) async fn plan_role(&mut self, i: usize, spec: &AdminRoleSpec) -> anyhow::Result<()> {
        let path = format!("adminRoles[{i}]");
        let Some(role) = RoleType::parse(&spec.kind) else {
            self.problem(
                &format!("{path}.type"),
                "must be a standard admin role type",
            );
            return Ok(());
        };
        let (group, id, what) = match (&spec.user, &spec.group) {
            (Some(login), None) => match self.user(login).await? {
                Some(u) => (false, u.id.as_str().to_owned(), format!("user {login}")),
                None => {
                    self.problem(&format!("{path}.user"), format!("no user {login:?}"));
                    return Ok(());
                }
            },
            (None, Some(name)) => match self.group(name).await? {
                Some(g) => (true, g.id.as_str().to_owned(), format!("group {name}")),
                None => {
                    self.problem(&format!("{path}.group"), format!("no group {name:?}"));
                    return Ok(());
                }
            },
            _ => {
                self.problem(&path, "give user or group (exactly one)");
                return Ok(());
            }
        };
        let targets = self.plan_targets(&path, spec, role).await?;
        let who = if group {
            Principal::Group(&id)
        } else {
            Principal::User(&id)
        };
        let held = self
            .store
            .roles_of(who)
            .await?
            .iter()
            .any(|r| r.role_type == role.as_str());
        let stored = if held {
            self.store.role_targets(who, role).await?
        } else {
            Vec::new()
        };
        let missing: Vec<TargetRecord> = targets
            .into_iter()
            .filter(|t| !stored.contains(t))
            .collect();
        let what = format!("admin role {} of {what}", role.as_str());
        if held && missing.is_empty() {
            self.step(Change::Unchanged, what, Op::None);
        } else {
            let change = if held { Change::Update } else { Change::Create };
            let op = Op::AssignRole {
                group,
                id,
                role,
                targets: missing,
            };
            self.step(change, what, op);
        }
        Ok(())
    }

    async fn plan_targets(
        &mut self,
        path: &str,
        spec: &AdminRoleSpec,
        role: RoleType,
    ) -> anyhow::Result<Vec<TargetRecord>> {
        let kind = role.target_kind();
        let mut out = Vec::new();
        if !spec.group_targets.is_empty() && kind != Some(TargetKind::Groups) {
            self.problem(
                &format!("{path}.groupTargets"),
                "this role takes no group targets",
            );
        }
        if !spec.app_targets.is_empty() && kind != Some(TargetKind::Apps) {
            self.problem(
                &format!("{path}.appTargets"),
                "this role takes no app targets",
            );
        }
        for name in &spec.group_targets {
            match self.group(name).await? {
                Some(g) => out.push(TargetRecord {
                    kind: "GROUP".to_owned(),
                    target: g.id.as_str().to_owned(),
                    app_id: String::new(),
                }),
                None => self.problem(
                    &format!("{path}.groupTargets"),
                    format!("no group {name:?}"),
                ),
            }
        }
        for target in &spec.app_targets {
            let (name, app_id) = target.split_once('/').unwrap_or((target, ""));
            if !tollgate_core::app::is_catalog_name(name) && app_id.is_empty() {
                self.problem(
                    &format!("{path}.appTargets"),
                    format!(
                        "{name:?} is not a catalog app name Tollgate has (oidc_client, bookmark, \
                         template_basic_auth, ...); a custom app is named with its id: name/appId"
                    ),
                );
                continue;
            }
            out.push(TargetRecord {
                kind: "APP".to_owned(),
                target: name.to_owned(),
                app_id: app_id.to_owned(),
            });
        }
        Ok(out)
    }
}
