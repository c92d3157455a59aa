//! The work behind the app-assignment endpoints, shared by the API's handlers and the admin
//! console's Assignments tab: assign or remove a user or a group, with the System Log event
//! each records.

use tollgate_core::app::App;
use tollgate_core::app::assignment::{AppGroup, AppUser};
use tollgate_core::log::Entity;

use super::json::{AppGroupBody, AppUserBody};
use super::user_credentials::{checked_draft, default_user_name};
use crate::api::groups::load_group;
use crate::api::schemas::profiles::check_app_user_profile;
use crate::api::users::load_user;
use crate::http::audit::Audit;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// Assigns user `user_id` to `app` directly, as `POST /api/v1/apps/{appId}/users` does;
/// assigning again replaces the user name and profile.
pub async fn assign_user(
    state: &AppState,
    audit: &Audit,
    app: &App,
    (user_id, body): (&str, AppUserBody),
) -> ApiResult<AppUser> {
    let user = load_user(state, user_id).await?;
    let draft = checked_draft(state, app, user.id.as_str(), None, body)?;
    let au = AppUser::assign(
        app.id.clone(),
        user.id.clone(),
        &default_user_name(app, &user),
        draft,
        state.clock().now(),
    )?;
    check_app_user_profile(state, app.id.as_str(), &au.profile).await?;
    let event = audit
        .event(
            "application.user_membership.add",
            "Add user to application membership",
            au.last_updated,
        )
        .target(Entity::user(&user))
        .target(Entity::app(app));
    Ok(state.store().save_app_user(&au, &[event]).await?)
}

/// Removes user `user_id`'s direct assignment to `app` (`E0000007` when there is none).
pub async fn unassign_user(
    state: &AppState,
    audit: &Audit,
    app: &App,
    user_id: &str,
) -> ApiResult<()> {
    let event = audit
        .event(
            "application.user_membership.remove",
            "Remove user from application membership",
            state.clock().now(),
        )
        .target(Entity::id_only(user_id, "User"))
        .target(Entity::app(app));
    let app_id = app.id.as_str();
    if !state
        .store()
        .delete_app_user(app_id, user_id, &[event])
        .await?
    {
        return Err(ApiError::not_found(user_id, "AppUser"));
    }
    Ok(())
}

/// Assigns group `group_id` to `app`, or updates the priority and profile of its assignment,
/// as `PUT /api/v1/apps/{appId}/groups/{groupId}` does.
pub async fn assign_group(
    state: &AppState,
    audit: &Audit,
    app: &App,
    (group_id, body): (&str, AppGroupBody),
) -> ApiResult<AppGroup> {
    let group = load_group(state, group_id).await?;
    let event = audit
        .event(
            "group.application_assignment.add",
            "Add assigned application to group",
            state.clock().now(),
        )
        .target(Entity::group(&group))
        .target(Entity::app(app));
    let store = state.store();
    let app_id = app.id.as_str();
    let existing = store.find_app_group(app_id, group_id).await?;
    let next = match &existing {
        Some(_) => 0,
        None => store.next_app_group_priority(app_id).await?,
    };
    let ag = AppGroup::assign(
        app.id.clone(),
        group.id,
        existing.as_ref(),
        next,
        body.into(),
        state.clock().now(),
    )?;
    check_app_user_profile(state, app_id, &ag.profile).await?;
    store.save_app_group(&ag, &[event]).await?;
    Ok(ag)
}

/// Removes group `group_id`'s assignment to `app` (`E0000007` when there is none).
pub async fn unassign_group(
    state: &AppState,
    audit: &Audit,
    app: &App,
    group_id: &str,
) -> ApiResult<()> {
    let event = audit
        .event(
            "group.application_assignment.remove",
            "Remove assigned application from group",
            state.clock().now(),
        )
        .target(Entity::id_only(group_id, "UserGroup"))
        .target(Entity::app(app));
    let app_id = app.id.as_str();
    if !state
        .store()
        .delete_app_group(app_id, group_id, &[event])
        .await?
    {
        return Err(ApiError::not_found(group_id, "AppGroup"));
    }
    Ok(())
}
