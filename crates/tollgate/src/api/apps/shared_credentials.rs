//! The shared account of a `SHARED_USERNAME_AND_PASSWORD` app (`credentials.userName`,
//! `credentials.password.value` on `POST`/`PUT /api/v1/apps[/{appId}]`): its password is
//! sealed under the master key before the draft reaches core, and never shown again.

use tollgate_core::app::AppDraft;
use tollgate_core::app::app_user_credentials::check_password;

use super::json::AppBody;
use crate::http::{ApiError, ApiResult};
use crate::keys::secrets::PasswordOwner;
use crate::state::AppState;

/// The draft `body` makes for app `app_id`, with a shared password sealed for that app.
pub(super) fn app_draft(state: &AppState, app_id: &str, mut body: AppBody) -> ApiResult<AppDraft> {
    let password = body.take_shared_password();
    let mut draft = AppDraft::from(body);
    if let Some(password) = password {
        check_password(password.expose())?;
        let sealed = state
            .keyring()
            .seal_password(&PasswordOwner::SharedApp { app_id }, password.expose())
            .map_err(ApiError::internal)?;
        draft.template.shared.password = Some(sealed);
    }
    Ok(draft)
}
