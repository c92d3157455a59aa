//! Password recovery started by an admin: `lifecycle/reset_password`,
//! `credentials/forgot_password` (both give a one-time reset link),
//! `lifecycle/expire_password_with_temp_password` (and the legacy
//! `lifecycle/expire_password?tempPassword=true`), and `lifecycle/reset_factors`.
//!
//! Reset links carry a random token stored only as its SHA-256 digest, used once, and valid for
//! [`ADMIN_RESET_SECS`] (admin reset) or [`FORGOT_PASSWORD_SECS`] (forgot password). Issuing a
//! new link ends the user's earlier unused ones. With `sendEmail=false` the answer carries the
//! link; otherwise (Okta's default) the link is e-mailed to the user and the answer is `{}`.
//!
//! Okta reference: Users API, "User lifecycle operations" and "User credential operations".

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::directory::user::credentials::{
    ADMIN_RESET_SECS, CredentialOp, FORGOT_PASSWORD_SECS, temp_password,
};
use tollgate_core::log::Entity;
use tollgate_core::mail::MailKind;
use tollgate_core::secret::Secret;
use tollgate_core::session::TokenKind;
use tollgate_store::NewToken;

use crate::api::users::credentials::{end_sessions, new_password_hash};
use crate::api::users::{change_user, load_user};
use crate::http::ApiResult;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::query::OktaQuery;
use crate::state::AppState;

/// Path of the reset page for links from `lifecycle/reset_password` (as Okta answers them).
pub const ADMIN_RESET_PATH: &str = "/reset_password/";
/// Path of the reset page for links from `credentials/forgot_password`.
pub const FORGOT_PASSWORD_PATH: &str = "/signin/reset-password/";

/// `?sendEmail=` of `credentials/forgot_password` (default: send).
#[derive(Debug, Default, Deserialize)]
pub struct ForgotParams {
    #[serde(rename = "sendEmail")]
    send_email: Option<bool>,
}

/// The answer to a link request: the link itself with `sendEmail=false`, else `{}` after the
/// link is e-mailed to `user`.
async fn deliver_link(
    state: &AppState,
    user: &tollgate_core::directory::User,
    url: String,
    send_email: bool,
    (kind, secs): (MailKind, i64),
) -> ApiResult<Json<Value>> {
    if !send_email {
        return Ok(Json(json!({"resetPasswordUrl": url})));
    }
    crate::mail::send_link(state, kind, user, &url, secs).await?;
    Ok(Json(json!({})))
}

/// A new reset token valid for `secs` from `now`: the secret for the link, and what is stored.
fn reset_token(now: Timestamp, secs: i64) -> (Secret, NewToken) {
    let secret = Secret::generate(15);
    let stored = NewToken {
        digest: secret.digest(),
        kind: TokenKind::PasswordReset,
        created: now,
        expires_at: now.plus_seconds(secs),
    };
    (secret, stored)
}

/// `lifecycle/reset_password?sendEmail=false&revokeSessions=`: the user goes to `RECOVERY` (the
/// old password no longer signs in) and the answer carries a one-time link to set a new one.
pub async fn reset_password(
    state: &AppState,
    audit: &Audit,
    id: &str,
    (revoke, send_email): (bool, bool),
) -> ApiResult<Json<Value>> {
    let now = state.clock().now();
    let (secret, token) = reset_token(now, ADMIN_RESET_SECS);
    for _ in 0..20 {
        let mut user = load_user(state, id).await?;
        user.begin_reset(now)?;
        let event = audit
            .event(
                "user.account.reset_password",
                "Reset password for user",
                now,
            )
            .target(Entity::user(&user));
        match state
            .store()
            .update_user_issuing(&user, &[event], Some(&token))
            .await
        {
            Ok(()) => {
                if revoke {
                    end_sessions(state, audit, &user).await?;
                }
                let url = state.link(&format!("{ADMIN_RESET_PATH}{}", secret.expose()));
                let mail = (MailKind::PasswordReset, ADMIN_RESET_SECS);
                return deliver_link(state, &user, url, send_email, mail).await;
            }
            Err(tollgate_store::Error::Stale) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(crate::http::ApiError::internal(format!(
        "user {id} kept changing"
    )))
}

/// `POST …/credentials/forgot_password[?sendEmail=false]`: a one-time link for an `ACTIVE` user;
/// the status does not change and the password keeps working until the link is used.
pub async fn forgot_password(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaQuery(params): OktaQuery<ForgotParams>,
) -> ApiResult<Json<Value>> {
    let user = load_user(&state, &id).await?;
    user.allows(CredentialOp::ForgotPassword)?;
    let now = state.clock().now();
    let event = admin
        .event(
            "user.credential.forgot_password",
            "Start forgot password flow for user",
            now,
        )
        .target(Entity::user(&user));
    let url = forgot_password_link(&state, &user, event).await?;
    let send = params.send_email != Some(false);
    deliver_link(
        &state,
        &user,
        url,
        send,
        (MailKind::Recovery, FORGOT_PASSWORD_SECS),
    )
    .await
}

/// Issues a one-time forgot-password link for `user` (earlier unused ones stop working) with
/// `event`; the link's URL.
pub async fn forgot_password_link(
    state: &AppState,
    user: &tollgate_core::directory::User,
    event: tollgate_core::log::LogEvent,
) -> ApiResult<String> {
    let (secret, token) = reset_token(state.clock().now(), FORGOT_PASSWORD_SECS);
    state
        .store()
        .issue_one_time_token(user.id.as_str(), &token, &[event])
        .await?;
    Ok(state.link(&format!("{FORGOT_PASSWORD_PATH}{}", secret.expose())))
}

/// `lifecycle/expire_password_with_temp_password`: a random temporary password that meets the
/// policy becomes the password, and the user must change it at the next sign-in.
pub async fn expire_with_temp_password(
    state: &AppState,
    audit: &Audit,
    id: &str,
    revoke: bool,
) -> ApiResult<Json<Value>> {
    let stored = load_user(state, id).await?;
    stored.allows(CredentialOp::ExpireWithTempPassword)?;
    let temp = temp_password(stored.login());
    let hash = new_password_hash(state, temp.clone(), stored.login()).await?;
    let user = change_user(state, id, |user| {
        let now = state.clock().now();
        user.expire_with_temp_password(hash.clone(), now)?;
        Ok(vec![
            audit
                .event("user.account.expire_password", "Expire user password", now)
                .target(Entity::user(user))
                .debug("tempPassword", true),
        ])
    })
    .await?;
    if revoke {
        end_sessions(state, audit, &user).await?;
    }
    Ok(Json(json!({"tempPassword": temp.expose()})))
}

/// `lifecycle/reset_factors`: no factors can be enrolled yet, so there is nothing to remove;
/// the call is checked against the status and logged as Okta does.
pub async fn reset_factors(state: &AppState, audit: &Audit, id: &str) -> ApiResult<Json<Value>> {
    let user = load_user(state, id).await?;
    user.allows(CredentialOp::ResetFactors)?;
    let now = state.clock().now();
    let event = audit
        .event(
            "user.mfa.factor.reset_all",
            "Reset all factors for user",
            now,
        )
        .target(Entity::user(&user));
    state.store().append_events(&[event]).await?;
    Ok(Json(json!({})))
}
