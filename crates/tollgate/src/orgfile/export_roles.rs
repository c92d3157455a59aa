//! Exporting admin roles: holders by login or group name, group targets by name, app targets
//! as `oidc_client` or `oidc_client/{appId}`.

use tollgate_core::admin::RoleType;
use tollgate_store::{Principal, Store};

use super::model::AdminRoleSpec;

/// Every role assignment whose holder still exists.
pub(super) async fn admin_roles(store: &Store) -> anyhow::Result<Vec<AdminRoleSpec>> {
    let mut out = Vec::new();
    for r in store.all_roles().await? {
        let Some(role) = RoleType::parse(&r.role_type) else {
            continue;
        };
        let group = r.principal_type == "GROUP";
        let mut spec = AdminRoleSpec {
            kind: role.as_str().to_owned(),
            ..AdminRoleSpec::default()
        };
        let who = if group {
            let Some(g) = store.find_group(&r.principal_id).await? else {
                continue;
            };
            spec.group = Some(g.name().to_owned());
            Principal::Group(&r.principal_id)
        } else {
            let Some(u) = store.find_user(&r.principal_id).await? else {
                continue;
            };
            spec.user = Some(u.login().to_owned());
            Principal::User(&r.principal_id)
        };
        for t in store.role_targets(who, role).await? {
            match t.kind.as_str() {
                "GROUP" => {
                    if let Some(g) = store.find_group(&t.target).await? {
                        spec.group_targets.push(g.name().to_owned());
                    }
                }
                _ if t.app_id.is_empty() => spec.app_targets.push(t.target),
                _ => spec.app_targets.push(format!("{}/{}", t.target, t.app_id)),
            }
        }
        out.push(spec);
    }
    Ok(out)
}
