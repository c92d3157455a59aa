//! The credentials part of `POST /api/v1/apps/{appId}/users[/{userId}]`: the app's
//! `credentials.scheme` decides what may be set (core [`app_user_credentials`]), the user name
//! defaults to what the app's `userNameTemplate` gives, and a password is sealed under the
//! master key before anything is stored.

use tollgate_core::app::App;
use tollgate_core::app::app_user_credentials::{self as rules, Sent};
use tollgate_core::app::assignment::AppUserDraft;
use tollgate_core::directory::User;

use super::json::AppUserBody;
use crate::http::{ApiError, ApiResult};
use crate::keys::secrets::PasswordOwner;
use crate::state::AppState;

/// The draft `body` makes for `user_id`'s assignment to `app`: refused when the app's scheme
/// does not take what it sets; its password, if any, sealed. A user name equal to `current`
/// (the assignment's) changes nothing, so a client may post back what it read.
pub(super) fn checked_draft(
    state: &AppState,
    app: &App,
    user_id: &str,
    current: Option<&str>,
    body: AppUserBody,
) -> ApiResult<AppUserDraft> {
    let (mut draft, password) = body.into_parts();
    if draft
        .user_name
        .as_deref()
        .is_some_and(|n| Some(n) == current)
    {
        draft.user_name = None;
    }
    let scheme = app.template.as_ref().and_then(|t| t.scheme.as_deref());
    let sent = Sent {
        user_name: draft.user_name.is_some(),
        password: password.is_some(),
    };
    rules::check(scheme, sent)?;
    if let Some(password) = password {
        rules::check_password(password.expose())?;
        let owner = PasswordOwner::AppUser {
            app_id: app.id.as_str(),
            user_id,
        };
        let sealed = state
            .keyring()
            .seal_password(&owner, password.expose())
            .map_err(ApiError::internal)?;
        draft.password = Some(sealed);
    }
    Ok(draft)
}

/// The user name a new assignment of `user` to `app` gets when the request names none.
pub(super) fn default_user_name(app: &App, user: &User) -> String {
    match &app.template {
        Some(t) => rules::default_user_name(&t.user_name_template, &user.profile, user.login()),
        None => user.login().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::AppUserBody;

    #[test]
    fn a_body_never_prints_its_password() {
        let body: Result<AppUserBody, _> = serde_json::from_value(serde_json::json!(
            {"id": "00u1", "credentials": {"userName": "a", "password": {"value": "Hidden-Value-9"}}}
        ));
        let shown = format!("{body:?}");
        assert!(
            shown.contains("redacted") && !shown.contains("Hidden-Value-9"),
            "{shown}"
        );
        let (_, password) = body.map(AppUserBody::into_parts).unwrap_or_default();
        assert_eq!(
            password.map(|p| p.expose().to_owned()).as_deref(),
            Some("Hidden-Value-9")
        );
    }
}
