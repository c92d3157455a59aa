//! `/api/v1/apps/{appId}/users[/{userId}]` (`GET`, `POST`, `DELETE`),
//! `/api/v1/apps/{appId}/groups[/{groupId}]` (`GET`, `PUT`, `DELETE`),
//! `GET /api/v1/groups/{groupId}/apps` and `GET /api/v1/users/{userId}/appLinks`.
//!
//! Okta reference: Application Users API, Application Groups API, "List all assigned app links"
//! (Users API), "List all assigned apps" (Groups API); Tollgate reference `management-api.md`
//! section 4.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use serde_json::Value;
use tollgate_core::app::AppStatus;
use tollgate_core::app::assignment::AppUser;
use tollgate_core::id::GroupId;
use tollgate_core::log::Entity;
use tollgate_store::AppQuery;

use super::json::{AppGroupBody, AppUserBody, app_group_json, app_link_json, app_user_json};
use super::user_credentials::checked_draft;
use super::{apps_page, assign, embed, load_app, paged};
use crate::api::groups::load_group;
use crate::api::json::group_json;
use crate::api::json::user_json;
use crate::api::schemas::profiles::check_app_user_profile;
use crate::api::users::load_user;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::pagination::PageRequest;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// `limit` and `after`.
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    q: Option<String>,
    limit: Option<String>,
    after: Option<String>,
    expand: Option<String>,
}

impl PageParams {
    fn prefix(&self) -> Option<&str> {
        self.q.as_deref().filter(|q| !q.trim().is_empty())
    }

    fn expands(&self, what: &str) -> bool {
        self.expand
            .as_deref()
            .is_some_and(|e| e.split(',').any(|x| x.trim() == what))
    }
}

/// The most app links a user is shown (Okta does not page them).
const MAX_APP_LINKS: usize = 10_000;

/// `POST /api/v1/apps/{appId}/users`: assigns a user directly (`id` required); assigning again
/// replaces the user name and profile.
pub async fn assign_user(
    State(state): State<AppState>,
    admin: Admin,
    Path(app_id): Path<String>,
    OktaJson(body): OktaJson<AppUserBody>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &app_id).await?;
    let Some(user_id) = body.id.clone().filter(|id| !id.trim().is_empty()) else {
        return Err(ApiError::invalid("id", "The field cannot be left blank"));
    };
    let saved = assign::assign_user(&state, &admin.audit, &app, (&user_id, body)).await?;
    Ok(Json(app_user_json(&state, &saved)))
}

/// `GET /api/v1/apps/{appId}/users`: direct and group-derived users, 50 per page by default,
/// at most 500; `q` is a prefix of the user name; `expand=user` embeds each user.
pub async fn list_app_users(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    Path(app_id): Path<String>,
    OktaQuery(p): OktaQuery<PageParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    load_app(&state, &app_id).await?;
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 50, 500);
    let (users, more) = state
        .store()
        .list_app_users(&app_id, page.after.as_deref(), page.limit, p.prefix())
        .await?;
    let mut rendered = Vec::with_capacity(users.len());
    for au in &users {
        let mut item = app_user_json(&state, au);
        if p.expands("user")
            && let Some(user) = state.store().find_user(au.user_id.as_str()).await?
        {
            embed(&mut item, "user", user_json(&state, &user, false));
        }
        rendered.push(item);
    }
    Ok(paged(
        &state,
        &uri,
        &users,
        more,
        |u| u.user_id.to_string(),
        rendered,
    ))
}

/// `GET /api/v1/apps/{appId}/users/{userId}`: `E0000007` when the user is not assigned at all.
pub async fn get_app_user(
    State(state): State<AppState>,
    _admin: Admin,
    Path((app_id, user_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    load_app(&state, &app_id).await?;
    let au = state
        .store()
        .find_app_user(&app_id, &user_id)
        .await?
        .ok_or_else(|| ApiError::not_found(&user_id, "AppUser"))?;
    Ok(Json(app_user_json(&state, &au)))
}

/// `POST /api/v1/apps/{appId}/users/{userId}`: changes the user name or profile. A user
/// assigned only through a group gets a direct assignment holding the change, as Okta turns
/// such a user's scope to `USER`.
pub async fn update_app_user(
    State(state): State<AppState>,
    admin: Admin,
    Path((app_id, user_id)): Path<(String, String)>,
    OktaJson(body): OktaJson<AppUserBody>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &app_id).await?;
    let app_entity = app.clone();
    let now = state.clock().now();
    let store = state.store();
    let direct = store.find_direct_app_user(&app_id, &user_id).await?;
    let current = match &direct {
        Some(d) => d.clone(),
        None => store
            .find_app_user(&app_id, &user_id)
            .await?
            .ok_or_else(|| ApiError::not_found(&user_id, "AppUser"))?,
    };
    let draft = checked_draft(
        &state,
        &app,
        current.user_id.as_str(),
        Some(&current.user_name),
        body,
    )?;
    let au = match direct {
        Some(direct) => direct.update(draft, now)?,
        None => AppUser::assign(app.id, current.user_id, &current.user_name, draft, now)?,
    };
    check_app_user_profile(&state, &app_id, &au.profile).await?;
    let event = admin
        .event(
            "application.user_membership.change_username",
            "Update application user",
            now,
        )
        .target(Entity::id_only(&user_id, "User"))
        .target(Entity::app(&app_entity));
    let saved = store.save_app_user(&au, &[event]).await?;
    Ok(Json(app_user_json(&state, &saved)))
}

/// `DELETE /api/v1/apps/{appId}/users/{userId}`: removes the direct assignment only.
pub async fn unassign_user(
    State(state): State<AppState>,
    admin: Admin,
    Path((app_id, user_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let app = load_app(&state, &app_id).await?;
    assign::unassign_user(&state, &admin.audit, &app, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/v1/apps/{appId}/groups/{groupId}`: assigns a group (body optional), or updates
/// the priority and profile of an existing assignment.
pub async fn assign_group(
    State(state): State<AppState>,
    admin: Admin,
    Path((app_id, group_id)): Path<(String, String)>,
    OktaJson(body): OktaJson<AppGroupBody>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &app_id).await?;
    let ag = assign::assign_group(&state, &admin.audit, &app, (&group_id, body)).await?;
    Ok(Json(app_group_json(&state, &ag)))
}

/// `GET /api/v1/apps/{appId}/groups`: 20 per page by default, at most 200; `q` is a prefix of
/// the group name; `expand=group` embeds each group.
pub async fn list_app_groups(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    Path(app_id): Path<String>,
    OktaQuery(p): OktaQuery<PageParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    load_app(&state, &app_id).await?;
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 20, 200);
    let (groups, more) = state
        .store()
        .list_app_groups(&app_id, page.after.as_deref(), page.limit, p.prefix())
        .await?;
    let mut rendered = Vec::with_capacity(groups.len());
    for ag in &groups {
        let mut item = app_group_json(&state, ag);
        if p.expands("group")
            && let Some(group) = state.store().find_group(ag.group_id.as_str()).await?
        {
            embed(&mut item, "group", group_json(&state, &group));
        }
        rendered.push(item);
    }
    Ok(paged(
        &state,
        &uri,
        &groups,
        more,
        |g| g.group_id.to_string(),
        rendered,
    ))
}

/// `GET /api/v1/apps/{appId}/groups/{groupId}`.
pub async fn get_app_group(
    State(state): State<AppState>,
    _admin: Admin,
    Path((app_id, group_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    load_app(&state, &app_id).await?;
    let ag = state
        .store()
        .find_app_group(&app_id, &group_id)
        .await?
        .ok_or_else(|| ApiError::not_found(&group_id, "AppGroup"))?;
    Ok(Json(app_group_json(&state, &ag)))
}

/// `DELETE /api/v1/apps/{appId}/groups/{groupId}`.
pub async fn unassign_group(
    State(state): State<AppState>,
    admin: Admin,
    Path((app_id, group_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let app = load_app(&state, &app_id).await?;
    assign::unassign_group(&state, &admin.audit, &app, &group_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/groups/{groupId}/apps`: the apps assigned to a group, 20 per page by default.
pub async fn list_group_apps(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    Path(group_id): Path<String>,
    OktaQuery(p): OktaQuery<PageParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let group = load_group(&state, &group_id).await?;
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 20, 200);
    let query = AppQuery {
        after: page.after,
        limit: page.limit,
        group_id: Some(GroupId::into_string(group.id)),
        ..AppQuery::default()
    };
    apps_page(&state, &uri, &query).await
}

/// `GET /api/v1/users/{userId}/appLinks`: a link for each active app the user is assigned to,
/// directly or through a group.
pub async fn list_app_links(
    State(state): State<AppState>,
    _admin: Admin,
    Path(user_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let user = load_user(&state, &user_id).await?;
    let query = AppQuery {
        limit: MAX_APP_LINKS,
        status: Some(AppStatus::Active),
        user_id: Some(user.id.into_string()),
        ..AppQuery::default()
    };
    let (apps, _) = state.store().list_apps(&query).await?;
    let links = apps
        .iter()
        .enumerate()
        .map(|(i, a)| app_link_json(&state, a, i))
        .collect();
    Ok(Json(Value::Array(links)))
}
