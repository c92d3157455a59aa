//! Admin role assignments: `/api/v1/users/{id}/roles` and `/api/v1/groups/{id}/roles` (list,
//! assign with `{"type": ...}`, get, unassign), and their targets ([`targets`]).
//!
//! Okta reference: `RoleAssignmentAUser`, `RoleAssignmentBGroup`, `RoleBTargetAdmin`,
//! `RoleBTargetBGroup`; shapes per Okta's recordings: `201` with the assignment, whose id is
//! the role type in base32 (`USER_ADMIN` is `KVJUKUS7IFCE2SKO`), `204` on unassign.

pub mod routes;
pub mod targets;

use axum::Json;
use axum::extract::{MatchedPath, Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::admin::RoleType;
use tollgate_core::log::{Entity, LogEvent};
use tollgate_store::{Principal, RoleRecord};

use crate::api::groups::load_group;
use crate::api::users::load_user;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

/// A resolved assignee: its kind, id, and the System Log target naming it.
pub struct Assignee {
    /// `USER` or `GROUP`.
    pub group: bool,
    /// The user's or group's id.
    pub id: String,
    /// For events.
    pub entity: Entity,
}

impl Assignee {
    /// As the store names it.
    pub fn principal(&self) -> Principal<'_> {
        if self.group {
            Principal::Group(&self.id)
        } else {
            Principal::User(&self.id)
        }
    }

    /// The assignee's resource path.
    pub fn path(&self) -> String {
        let kind = if self.group { "groups" } else { "users" };
        format!("/api/v1/{kind}/{}", self.id)
    }
}

/// Loads the user or group the route names (the route template says which); `E0000007` if
/// there is none.
pub async fn assignee(state: &AppState, route: &MatchedPath, id: &str) -> ApiResult<Assignee> {
    if route.as_str().starts_with("/api/v1/groups/") {
        let g = load_group(state, id).await?;
        Ok(Assignee {
            group: true,
            id: g.id.as_str().to_owned(),
            entity: Entity::group(&g),
        })
    } else {
        let u = load_user(state, id).await?;
        Ok(Assignee {
            group: false,
            id: u.id.as_str().to_owned(),
            entity: Entity::user(&u),
        })
    }
}

/// The System Log event of granting (or revoking) a privilege of `who`, as Okta names it.
pub fn privilege_event(
    admin: &Admin,
    who: &Assignee,
    role: RoleType,
    grant: bool,
    now: Timestamp,
) -> LogEvent {
    let (event_type, message, key) = match (who.group, grant) {
        (true, true) => (
            "group.privilege.grant",
            "Grant group privilege",
            "privilegeGranted",
        ),
        (true, false) => (
            "group.privilege.revoke",
            "Revoke group privilege",
            "privilegeRevoked",
        ),
        (false, true) => (
            "user.account.privilege.grant",
            "Grant user privilege",
            "privilegeGranted",
        ),
        (false, false) => (
            "user.account.privilege.revoke",
            "Revoke user privilege",
            "privilegeRevoked",
        ),
    };
    admin
        .event(event_type, message, now)
        .target(who.entity.clone())
        .debug(key, role.as_str())
}

/// A role assignment in Okta's shape.
fn role_json(state: &AppState, who: &Assignee, r: &RoleRecord, role: RoleType) -> Value {
    json!({
        "id": role.assignment_id(),
        "label": role.label(),
        "type": role.as_str(),
        "status": "ACTIVE",
        "created": Timestamp::from_millis(r.created),
        "lastUpdated": Timestamp::from_millis(r.last_updated),
        "assignmentType": if who.group { "GROUP" } else { "USER" },
        "_links": {"assignee": {"href": state.link(&who.path())}},
    })
}

/// The assignment `role_id` of `who`; `E0000007` if it is not assigned.
pub async fn load_role(
    state: &AppState,
    who: &Assignee,
    role_id: &str,
) -> ApiResult<(RoleType, RoleRecord)> {
    let not_found = || ApiError::not_found(role_id, "Role");
    let role = RoleType::from_assignment_id(role_id).ok_or_else(not_found)?;
    let record = state
        .store()
        .roles_of(who.principal())
        .await?
        .into_iter()
        .find(|r| r.role_type == role.as_str())
        .ok_or_else(not_found)?;
    Ok((role, record))
}

/// `GET .../roles`.
pub async fn list_roles(
    State(state): State<AppState>,
    _admin: Admin,
    route: MatchedPath,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let who = assignee(&state, &route, &id).await?;
    let roles = state.store().roles_of(who.principal()).await?;
    let items = roles
        .iter()
        .filter_map(|r| RoleType::parse(&r.role_type).map(|t| role_json(&state, &who, r, t)))
        .collect();
    Ok(Json(Value::Array(items)))
}

/// `GET .../roles/{roleId}`.
pub async fn get_role(
    State(state): State<AppState>,
    _admin: Admin,
    route: MatchedPath,
    Path((id, role_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let who = assignee(&state, &route, &id).await?;
    let (role, record) = load_role(&state, &who, &role_id).await?;
    Ok(Json(role_json(&state, &who, &record, role)))
}

/// The body of an assignment.
#[derive(Debug, Deserialize)]
pub struct AssignBody {
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

/// `POST .../roles` with `{"type": "USER_ADMIN"}`: `201`; `409 E0000090` when assigned already.
pub async fn assign_role(
    State(state): State<AppState>,
    admin: Admin,
    route: MatchedPath,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<AssignBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let who = assignee(&state, &route, &id).await?;
    let role = body
        .kind
        .as_deref()
        .and_then(RoleType::parse)
        .ok_or_else(|| ApiError::invalid("type", "Invalid value for type: not a standard role"))?;
    let now = state.clock().now();
    let event = privilege_event(&admin, &who, role, true, now);
    if !state
        .store()
        .assign_role(who.principal(), role, now, &[event])
        .await?
    {
        return Err(ApiError::new(OktaCode::E0000090));
    }
    let record = RoleRecord {
        principal_type: String::new(),
        principal_id: who.id.clone(),
        role_type: role.as_str().to_owned(),
        created: now.millis(),
        last_updated: now.millis(),
    };
    Ok((
        StatusCode::CREATED,
        Json(role_json(&state, &who, &record, role)),
    ))
}

/// `DELETE .../roles/{roleId}`: `204`.
pub async fn unassign_role(
    State(state): State<AppState>,
    admin: Admin,
    route: MatchedPath,
    Path((id, role_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let who = assignee(&state, &route, &id).await?;
    let (role, _) = load_role(&state, &who, &role_id).await?;
    let now = state.clock().now();
    let event = privilege_event(&admin, &who, role, false, now);
    if !state
        .store()
        .unassign_role(who.principal(), role, &[event])
        .await?
    {
        return Err(ApiError::not_found(&role_id, "Role"));
    }
    Ok(StatusCode::NO_CONTENT)
}
