//! `POST /api/v1/users/{id}/lifecycle/{activate|deactivate|suspend|unsuspend|unlock|expire_password}`;
//! the password recovery operations are handed to [`super::recovery`], activation links to
//! [`super::activation`].
//!
//! Okta reference: Users API, "User lifecycle operations"; `management-api.md` section 2.4.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::directory::{User, UserStatus};
use tollgate_core::log::Entity;

use crate::api::json::user_json;
use crate::api::users::{activation, change_user, load_user, recovery};
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

/// Query parameters of the lifecycle operations: `sendEmail` (Okta's defaults: `activate` and
/// `reset_password` send, `reactivate` answers the link), the
/// legacy `expire_password?tempPassword=true`, and `revokeSessions` of `reset_password` and
/// `expire_password_with_temp_password`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleParams {
    #[serde(rename = "sendEmail")]
    send_email: Option<bool>,
    temp_password: Option<bool>,
    revoke_sessions: Option<bool>,
}

/// `POST /api/v1/users/{id}/lifecycle/{op}`.
pub async fn lifecycle(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, op)): Path<(String, String)>,
    OktaQuery(params): OktaQuery<LifecycleParams>,
) -> ApiResult<Json<Value>> {
    run(&state, &admin.audit, (&id, &op), params).await
}

/// Applies one lifecycle operation for the admin of `audit`; unknown operations are
/// `E0000008`.
pub async fn run(
    state: &AppState,
    audit: &Audit,
    (id, op): (&str, &str),
    params: LifecycleParams,
) -> ApiResult<Json<Value>> {
    let revoke = params.revoke_sessions == Some(true);
    let send_email = params.send_email;
    match op {
        "reset_password" => {
            let send = send_email != Some(false);
            return recovery::reset_password(state, audit, id, (revoke, send)).await;
        }
        "reset_factors" => return recovery::reset_factors(state, audit, id).await,
        "reactivate" => {
            let send = send_email == Some(true);
            return activation::reactivate(state, audit, id, send).await;
        }
        "expire_password_with_temp_password" => {
            return recovery::expire_with_temp_password(state, audit, id, revoke).await;
        }
        "expire_password" if params.temp_password == Some(true) => {
            return recovery::expire_with_temp_password(state, audit, id, revoke).await;
        }
        _ => {}
    }
    let (event_type, message) = match op {
        "activate" => ("user.lifecycle.activate", "Activate Okta user"),
        "deactivate" => ("user.lifecycle.deactivate", "Deactivate Okta user"),
        "suspend" => ("user.lifecycle.suspend", "Suspend Okta user"),
        "unsuspend" => ("user.lifecycle.unsuspend", "Unsuspend Okta user"),
        "unlock" => ("user.account.unlock", "Unlock user account"),
        "expire_password" => ("user.account.expire_password", "Expire user password"),
        _ => return Err(ApiError::new(OktaCode::E0000008)),
    };
    let user = change_user(state, id, |user| {
        let now = state.clock().now();
        apply(user, op, now)?;
        Ok(vec![
            audit
                .event(event_type, message, now)
                .target(Entity::user(user)),
        ])
    })
    .await?;
    if op == "activate" {
        // With sendEmail=false the link is in the answer, as Okta gives it; otherwise a user
        // without a password is e-mailed one.
        let send = send_email != Some(false);
        if !send || user.status == tollgate_core::directory::UserStatus::Provisioned {
            return activation::activation_link(state, &user, &[], send).await;
        }
    }
    Ok(Json(if op == "expire_password" {
        user_json(state, &user, true)
    } else {
        json!({})
    }))
}

/// Applies lifecycle operation `op` (one of those [`lifecycle`] knows) to `user`.
fn apply(user: &mut User, op: &str, now: Timestamp) -> ApiResult<()> {
    match op {
        "activate" => user.activate(now)?,
        "deactivate" => user.deactivate(now)?,
        "suspend" => user
            .suspend(now)
            .map_err(|_| ApiError::invalid("status", "The user must be ACTIVE to be suspended"))?,
        "unsuspend" => user.unsuspend(now).map_err(|_| {
            ApiError::invalid("status", "The user must be SUSPENDED to be unsuspended")
        })?,
        "unlock" => user.unlock(now).map_err(|_| {
            let mut e = ApiError::new(OktaCode::E0000032);
            e.causes.push("The user is not locked out.".to_owned());
            e
        })?,
        _ => user.expire_password(now)?,
    }
    Ok(())
}

/// `DELETE /api/v1/users/{id}` as the admin of `audit`: a user not yet deactivated is
/// deactivated, a deactivated one deleted.
pub async fn delete(state: &AppState, audit: &Audit, id: &str) -> ApiResult<()> {
    let user = load_user(state, id).await?;
    let now = state.clock().now();
    if user.status == UserStatus::Deprovisioned {
        let event = audit
            .event(
                "user.lifecycle.delete.completed",
                "Delete Okta user completed",
                now,
            )
            .target(Entity::user(&user));
        state
            .store()
            .delete_user(user.id.as_str(), &[event])
            .await?;
    } else {
        change_user(state, id, |user| {
            user.deactivate(now)?;
            Ok(vec![
                audit
                    .event("user.lifecycle.deactivate", "Deactivate Okta user", now)
                    .target(Entity::user(user)),
            ])
        })
        .await?;
    }
    Ok(())
}
