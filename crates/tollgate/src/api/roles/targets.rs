//! Role targets: the groups a `USER_ADMIN`, `GROUP_MEMBERSHIP_ADMIN` or `HELP_DESK_ADMIN`
//! assignment is limited to (`.../targets/groups[/{groupId}]`), and the catalog apps or app
//! instances an `APP_ADMIN` one is (`.../targets/catalog/apps[/{appName}[/{appId}]]`). A new
//! assignment has no targets and reaches everything; the first target narrows it, and the
//! last cannot be removed (unassign the role instead), as in Okta.

use axum::Json;
use axum::extract::{MatchedPath, Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use tollgate_core::admin::{RoleType, TargetKind};
use tollgate_store::TargetRecord;

use super::{Assignee, assignee, load_role, privilege_event};
use crate::api::json::group_json;
use crate::http::auth::Admin;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// The assignee and role the path names, checked to take targets of `kind`.
async fn role_taking(
    state: &AppState,
    route: &MatchedPath,
    id: &str,
    role_id: &str,
    kind: TargetKind,
) -> ApiResult<(Assignee, RoleType)> {
    let who = assignee(state, route, id).await?;
    let (role, _) = load_role(state, &who, role_id).await?;
    if role.target_kind() != Some(kind) {
        let what = match kind {
            TargetKind::Groups => "group",
            TargetKind::Apps => "app",
        };
        return Err(ApiError::invalid(
            "type",
            &format!("The role {} cannot have {what} targets", role.as_str()),
        ));
    }
    Ok((who, role))
}

fn group_target(group_id: &str) -> TargetRecord {
    TargetRecord {
        kind: "GROUP".to_owned(),
        target: group_id.to_owned(),
        app_id: String::new(),
    }
}

fn app_target(name: &str, app_id: Option<&str>) -> TargetRecord {
    TargetRecord {
        kind: "APP".to_owned(),
        target: name.to_owned(),
        app_id: app_id.unwrap_or_default().to_owned(),
    }
}

/// Adds a target, logging the change.
async fn add(
    state: &AppState,
    admin: &Admin,
    who: &Assignee,
    role: RoleType,
    target: TargetRecord,
) -> ApiResult<StatusCode> {
    let now = state.clock().now();
    let event =
        privilege_event(admin, who, role, true, now).debug("roleTarget", target.target.clone());
    state
        .store()
        .add_role_target(who.principal(), role, &target, now, &[event])
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a target: `E0000007` if it is not one, `E0000001` if it is the last.
async fn remove(
    state: &AppState,
    admin: &Admin,
    who: &Assignee,
    role: RoleType,
    target: TargetRecord,
) -> ApiResult<StatusCode> {
    let current = state.store().role_targets(who.principal(), role).await?;
    if !current.contains(&target) {
        return Err(ApiError::not_found(&target.target, "RoleTarget"));
    }
    if current.len() == 1 {
        return Err(ApiError::invalid(
            "target",
            "The last target of a role assignment cannot be removed; unassign the role instead",
        ));
    }
    let now = state.clock().now();
    let event =
        privilege_event(admin, who, role, false, now).debug("roleTarget", target.target.clone());
    state
        .store()
        .remove_role_target(who.principal(), role, &target, &[event])
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET .../roles/{roleId}/targets/groups`: the target groups in Okta's group shape.
pub async fn list_group_targets(
    State(state): State<AppState>,
    _admin: Admin,
    route: MatchedPath,
    Path((id, role_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let (who, role) = role_taking(&state, &route, &id, &role_id, TargetKind::Groups).await?;
    let targets = state.store().role_targets(who.principal(), role).await?;
    let ids: Vec<&str> = targets.iter().map(|t| t.target.as_str()).collect();
    let mut groups = state.store().groups_by_ids(&ids).await?;
    // In the order they were added.
    groups.sort_by_key(|g| ids.iter().position(|id| *id == g.id.as_str()));
    Ok(Json(Value::Array(
        groups.iter().map(|g| group_json(&state, g)).collect(),
    )))
}

/// `PUT .../roles/{roleId}/targets/groups/{groupId}`: `204`.
pub async fn add_group_target(
    State(state): State<AppState>,
    admin: Admin,
    route: MatchedPath,
    Path((id, role_id, group_id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let (who, role) = role_taking(&state, &route, &id, &role_id, TargetKind::Groups).await?;
    let group = crate::api::groups::load_group(&state, &group_id).await?;
    add(&state, &admin, &who, role, group_target(group.id.as_str())).await
}

/// `DELETE .../roles/{roleId}/targets/groups/{groupId}`: `204`.
pub async fn remove_group_target(
    State(state): State<AppState>,
    admin: Admin,
    route: MatchedPath,
    Path((id, role_id, group_id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let (who, role) = role_taking(&state, &route, &id, &role_id, TargetKind::Groups).await?;
    remove(&state, &admin, &who, role, group_target(&group_id)).await
}

/// A catalog app (or one instance of it) in Okta's `CatalogApplication` shape.
fn catalog_app_json(state: &AppState, t: &TargetRecord) -> Value {
    let mut app = json!({
        "name": t.target,
        "displayName": "OpenID Connect",
        "description": "OpenID Connect client applications",
        "status": "ACTIVE",
        "category": "DEVELOPER",
        "verificationStatus": "OKTA_VERIFIED",
        "signOnModes": ["OPENID_CONNECT"],
        "features": [],
        "_links": {"logo": [{"name": "medium", "href": state.link("/assets/img/logos/oidc-medium.png"), "type": "image/png"}]},
    });
    if let (false, Some(obj)) = (t.app_id.is_empty(), app.as_object_mut()) {
        obj.insert("id".into(), Value::String(t.app_id.clone()));
    }
    app
}

/// `GET .../roles/{roleId}/targets/catalog/apps`.
pub async fn list_app_targets(
    State(state): State<AppState>,
    _admin: Admin,
    route: MatchedPath,
    Path((id, role_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let (who, role) = role_taking(&state, &route, &id, &role_id, TargetKind::Apps).await?;
    let targets = state.store().role_targets(who.principal(), role).await?;
    Ok(Json(Value::Array(
        targets
            .iter()
            .map(|t| catalog_app_json(&state, t))
            .collect(),
    )))
}

/// The app target a path names, checked: the catalog name must be one Tollgate has, and an
/// instance must be an app of it.
async fn app_from_path(
    state: &AppState,
    name: &str,
    app_id: Option<&str>,
) -> ApiResult<TargetRecord> {
    match app_id {
        // One instance: it must exist and be of that catalog app (a custom app's name is its
        // own generated one).
        Some(app_id) => {
            let app = state.store().find_app(app_id).await?;
            if app.is_none_or(|a| a.name() != name) {
                return Err(ApiError::not_found(app_id, "App"));
            }
        }
        None if !tollgate_core::app::is_catalog_name(name) => {
            return Err(ApiError::not_found(name, "App"));
        }
        None => {}
    }
    Ok(app_target(name, app_id))
}

/// `PUT .../targets/catalog/apps/{appName}`: every instance of a catalog app; `204`.
pub async fn add_catalog_target(
    State(state): State<AppState>,
    admin: Admin,
    route: MatchedPath,
    Path((id, role_id, name)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let (who, role) = role_taking(&state, &route, &id, &role_id, TargetKind::Apps).await?;
    let target = app_from_path(&state, &name, None).await?;
    add(&state, &admin, &who, role, target).await
}

/// `DELETE .../targets/catalog/apps/{appName}`: `204`.
pub async fn remove_catalog_target(
    State(state): State<AppState>,
    admin: Admin,
    route: MatchedPath,
    Path((id, role_id, name)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let (who, role) = role_taking(&state, &route, &id, &role_id, TargetKind::Apps).await?;
    remove(&state, &admin, &who, role, app_target(&name, None)).await
}

/// `PUT .../targets/catalog/apps/{appName}/{appId}`: one app instance; `204`.
pub async fn add_instance_target(
    State(state): State<AppState>,
    admin: Admin,
    route: MatchedPath,
    Path((id, role_id, name, app_id)): Path<(String, String, String, String)>,
) -> ApiResult<StatusCode> {
    let (who, role) = role_taking(&state, &route, &id, &role_id, TargetKind::Apps).await?;
    let target = app_from_path(&state, &name, Some(&app_id)).await?;
    add(&state, &admin, &who, role, target).await
}

/// `DELETE .../targets/catalog/apps/{appName}/{appId}`: `204`.
pub async fn remove_instance_target(
    State(state): State<AppState>,
    admin: Admin,
    route: MatchedPath,
    Path((id, role_id, name, app_id)): Path<(String, String, String, String)>,
) -> ApiResult<StatusCode> {
    let (who, role) = role_taking(&state, &route, &id, &role_id, TargetKind::Apps).await?;
    remove(&state, &admin, &who, role, app_target(&name, Some(&app_id))).await
}
