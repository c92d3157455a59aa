//! Enforcing admin roles on `/api/v1`: the call is classified by core from its method and
//! route template, the facts a targeted role needs are loaded only when it needs them, and
//! core decides.

use axum::extract::{FromRequestParts, MatchedPath, RawPathParams};
use axum::http::request::Parts;
use tollgate_core::admin::{self, Facts, Grant, Target};
use tollgate_core::directory::user::UserStatus;

use crate::http::{ApiError, OktaCode};
use crate::state::AppState;

/// Whether a token whose owner is in this state still works: Okta stops the tokens of a
/// deactivated or suspended admin.
pub fn owner_may_call(status: UserStatus) -> bool {
    !matches!(
        status,
        UserStatus::Deprovisioned | UserStatus::Suspended | UserStatus::Staged
    )
}

/// Checks that an admin holding `grants` may make the call in `parts`; `403 E0000006` if not.
pub async fn check(parts: &mut Parts, state: &AppState, grants: &[Grant]) -> Result<(), ApiError> {
    let template = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let params = match RawPathParams::from_request_parts(parts, state).await {
        Ok(p) => p
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        Err(_) => Vec::new(),
    };
    let method = parts.method.as_str().to_owned();
    if permitted(state, grants, &method, &template, &params).await? {
        Ok(())
    } else {
        Err(ApiError::new(OktaCode::E0000006))
    }
}

/// Whether an admin holding `grants` may make the `/api/v1` call `method` `template` with path
/// parameters `params`: the decision [`check`] enforces, for callers (the admin console) that
/// ask about the equivalent API call of what they are about to do.
pub async fn permitted(
    state: &AppState,
    grants: &[Grant],
    method: &str,
    template: &str,
    params: &[(String, String)],
) -> Result<bool, ApiError> {
    let action = admin::classify(method, template, |name| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    });
    let mut groups = None;
    if admin::needs_user_groups(grants, &action)
        && let Target::User(id) = &action.target
        && let Some(user) = state.store().find_user(id).await?
    {
        let ids: Vec<String> = state
            .store()
            .group_versions_of_user(user.id.as_str())
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        groups = Some(ids);
    }
    let mut app_name = None;
    if admin::needs_app_name(grants, &action)
        && let Target::App(id) = &action.target
        && let Some(app) = state.store().find_app(id).await?
    {
        app_name = Some(app.name().to_owned());
    }
    let facts = Facts {
        user_groups: groups.as_deref(),
        app_name: app_name.as_deref(),
    };
    Ok(admin::permits(grants, &action, &facts))
}
