//! The `after` cursor of the app lists: the id of the last app of the previous page. One that
//! names no app is Okta's 400 `E0000029` "Invalid paging request." with the cause
//! "Invalid cursor.", as Okta answers `GET /api/v1/apps?after=<garbage>`.

use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

/// Refuses an `after` that names no app.
pub(super) async fn check_app_cursor(state: &AppState, after: Option<&str>) -> ApiResult<()> {
    let Some(after) = after else {
        return Ok(());
    };
    if state.store().find_app(after).await?.is_some() {
        return Ok(());
    }
    let mut err = ApiError::new(OktaCode::E0000029);
    err.causes.push("Invalid cursor.".to_owned());
    Err(err)
}
