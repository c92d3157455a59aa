//! `/api/v1/groups`: create, get, list (`q`, `filter`, `search`, paging), replace, delete, and
//! members (`/groups/{id}/users`).
//!
//! Okta reference: Groups API; Tollgate reference `management-api.md` section 1.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Map, Value};
use tollgate_core::directory::{Group, GroupType};
use tollgate_core::log::Entity;
use tollgate_store::{GroupQuery, UserQuery};

use crate::api::json::{group_json, page_response, parse_filter, user_json};
use crate::api::schemas::profiles::check_group_profile;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::error::already_exists;
use crate::http::pagination::PageRequest;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

/// `{"profile": {...}}`; everything else in the body is ignored.
#[derive(Debug, Deserialize)]
pub struct GroupBody {
    #[serde(default)]
    profile: Option<Map<String, Value>>,
}

/// Query parameters of `GET /api/v1/groups`.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    q: Option<String>,
    filter: Option<String>,
    search: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

/// `POST /api/v1/groups`: always an `OKTA_GROUP`.
pub async fn create_group(
    State(state): State<AppState>,
    admin: Admin,
    OktaJson(body): OktaJson<GroupBody>,
) -> ApiResult<Json<Value>> {
    let group = create(&state, &admin.audit, body.profile.unwrap_or_default()).await?;
    Ok(Json(group_json(&state, &group)))
}

/// Creates an `OKTA_GROUP` with `profile`, as the admin of `audit`.
pub async fn create(
    state: &AppState,
    audit: &Audit,
    profile: Map<String, Value>,
) -> ApiResult<Group> {
    let group = Group::new(GroupType::OktaGroup, profile, state.clock().now())?;
    check_group_profile(state, &group.profile).await?;
    let event = audit
        .event(
            "group.lifecycle.create",
            "Create okta user group",
            group.created,
        )
        .target(Entity::group(&group));
    match state.store().create_group(&group, &[event]).await {
        Err(tollgate_store::Error::Conflict { .. }) => Err(already_exists("name")),
        other => other.map_err(ApiError::from),
    }?;
    Ok(group)
}

/// `GET /api/v1/groups`.
pub async fn list_groups(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 10_000, 10_000);
    let query = GroupQuery {
        name_prefix: p.q.filter(|q| !q.is_empty()),
        filter: parse_filter(p.filter.as_deref(), p.search.as_deref())?,
        limit: page.limit,
        after: page.after,
    };
    let (groups, more) = state.store().list_groups(&query).await?;
    let next = if more {
        groups.last().map(|g| g.id.as_str().to_owned())
    } else {
        None
    };
    let items = groups.iter().map(|g| group_json(&state, g)).collect();
    Ok(page_response(&state, &uri, items, next.as_deref()))
}

/// Loads a group or answers `E0000007`.
pub async fn load_group(state: &AppState, id: &str) -> ApiResult<Group> {
    state
        .store()
        .find_group(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "UserGroup"))
}

/// `GET /api/v1/groups/{groupId}`.
pub async fn get_group(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(group_json(&state, &load_group(&state, &id).await?)))
}

/// `PUT /api/v1/groups/{groupId}`: replaces the profile.
pub async fn replace_group(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<GroupBody>,
) -> ApiResult<Json<Value>> {
    let mut group = load_group(&state, &id).await?;
    group.replace_profile(body.profile.unwrap_or_default(), state.clock().now())?;
    check_group_profile(&state, &group.profile).await?;
    let event = admin
        .event(
            "group.profile.update",
            "Update group profile",
            group.last_updated,
        )
        .target(Entity::group(&group));
    match state.store().update_group(&group, &[event]).await {
        Err(tollgate_store::Error::Conflict { .. }) => Err(already_exists("name")),
        other => other.map_err(ApiError::from),
    }?;
    Ok(Json(group_json(&state, &group)))
}

/// `DELETE /api/v1/groups/{groupId}`: also drops memberships; built-in and app groups stay.
pub async fn delete_group(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let group = load_group(&state, &id).await?;
    if group.kind != GroupType::OktaGroup {
        return Err(ApiError::new(OktaCode::E0000006));
    }
    let event = admin
        .event(
            "group.lifecycle.delete",
            "Delete okta user group",
            state.clock().now(),
        )
        .target(Entity::group(&group));
    state.store().delete_group(&id, &[event]).await?;
    crate::api::group_rules::engine::invalidate_rules_of_group(&state, &id, &admin.audit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/groups/{groupId}/users`: for `Everyone`, every user.
pub async fn list_members(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    Path(id): Path<String>,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let group = load_group(&state, &id).await?;
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 1000, 10_000);
    let query = UserQuery {
        limit: page.limit,
        after: page.after,
        group: (group.kind != GroupType::BuiltIn).then(|| id.clone()),
        ..UserQuery::default()
    };
    let (users, more) = state.store().list_users(&query).await?;
    let next = if more {
        users.last().map(|u| u.id.as_str().to_owned())
    } else {
        None
    };
    let items = users.iter().map(|u| user_json(&state, u, false)).collect();
    Ok(page_response(&state, &uri, items, next.as_deref()))
}

/// Checks a membership change is allowed: an existing `OKTA_GROUP` and an existing user.
async fn membership_target(
    state: &AppState,
    group_id: &str,
    user_id: &str,
) -> ApiResult<(Group, tollgate_core::directory::User)> {
    let group = load_group(state, group_id).await?;
    if group.kind != GroupType::OktaGroup {
        return Err(ApiError::new(OktaCode::E0000006));
    }
    match state.store().find_user(user_id).await? {
        Some(u) if u.id.as_str() == user_id => Ok((group, u)),
        _ => Err(ApiError::not_found(user_id, "User")),
    }
}

/// The event of a membership change.
fn membership_event(
    audit: &Audit,
    added: bool,
    group: &Group,
    user: &tollgate_core::directory::User,
    now: tollgate_core::Timestamp,
) -> tollgate_core::log::LogEvent {
    let (kind, message) = if added {
        ("group.user_membership.add", "Add user to group membership")
    } else {
        (
            "group.user_membership.remove",
            "Remove user from group membership",
        )
    };
    audit
        .event(kind, message, now)
        .target(Entity::user(user))
        .target(Entity::group(group))
}

/// `PUT /api/v1/groups/{groupId}/users/{userId}`: idempotent.
pub async fn add_member(
    State(state): State<AppState>,
    admin: Admin,
    Path((group_id, user_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    set_member(&state, &admin.audit, (&group_id, &user_id), true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/groups/{groupId}/users/{userId}`: idempotent.
pub async fn remove_member(
    State(state): State<AppState>,
    admin: Admin,
    Path((group_id, user_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    set_member(&state, &admin.audit, (&group_id, &user_id), false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds user `user_id` to group `group_id` (or removes them, `add` false) as the admin of
/// `audit`; a removal of a membership a rule made excludes the user from that rule.
pub async fn set_member(
    state: &AppState,
    audit: &Audit,
    (group_id, user_id): (&str, &str),
    add: bool,
) -> ApiResult<()> {
    let (group, user) = membership_target(state, group_id, user_id).await?;
    let now = state.clock().now();
    let event = membership_event(audit, add, &group, &user, now);
    if add {
        state
            .store()
            .add_member(group_id, user_id, now, &[event])
            .await?;
        return Ok(());
    }
    let by_rule = state
        .store()
        .memberships_of_user(user_id)
        .await?
        .iter()
        .any(|m| m.by_rule && m.group_id.as_str() == group_id);
    state
        .store()
        .remove_member(group_id, user_id, now, &[event])
        .await?;
    crate::api::group_rules::engine::exclude_after_removal(
        state, group_id, user_id, by_rule, audit,
    )
    .await?;
    Ok(())
}
