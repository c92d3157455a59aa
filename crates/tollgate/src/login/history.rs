//! The password policy's history and minimum age, applied wherever a new password is set
//! (the rules are [`tollgate_core::password::history`]'s). The candidate is verified against
//! each remembered hash in one job on a hashing thread.

use tollgate_core::directory::User;
use tollgate_core::password::Verdict;
use tollgate_core::password::history::{self, Setter};
use tollgate_core::secret::Secret;

use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

/// Refuses `password` for `user` when the rules for `setter` find it too soon after the last
/// change or among the remembered passwords: `E0000001` with the cause on `password`, which
/// the credential routes answer as their own code (see [`with_code`]).
pub async fn check(
    state: &AppState,
    user: &User,
    password: &Secret,
    setter: Setter,
) -> ApiResult<()> {
    let policy = history::DEFAULT_AGE;
    let checks = history::checks(setter);
    let now = state.clock().now();
    history::check_min_age(checks, user.password_changed, now, policy)?;
    if !checks.history {
        return Ok(());
    }
    let current = user.password_hash.as_deref();
    let hashes: Vec<String> = history::remembered(current, &user.password_history, policy)
        .into_iter()
        .map(str::to_owned)
        .collect();
    if hashes.is_empty() {
        return Ok(());
    }
    let password = password.clone();
    let reused = state
        .hasher()
        .run(now.unix_seconds(), move |memory| {
            hashes.iter().any(|h| {
                tollgate_core::password::verify_upgrading_in(memory, &password, h) != Verdict::Wrong
            })
        })
        .await?;
    if reused {
        return Err(history::reused_error().into());
    }
    Ok(())
}

/// A password-policy failure (`E0000001`) answered as `code` with the same causes; any other
/// error as it is.
pub fn with_code(e: ApiError, code: OktaCode) -> ApiError {
    if e.code != OktaCode::E0000001 {
        return e;
    }
    let mut failed = ApiError::new(code);
    failed.causes = e.causes;
    failed
}
