//! Self-service password recovery, as Okta's Authentication API has it:
//! `POST /api/v1/authn/recovery/password` (e-mails a recovery link), `/recovery/token` (the
//! link's token gives a `stateToken`), `/recovery/answer` (the recovery question, when the user
//! has one) and `/credentials/reset_password` (the new password; answers `SUCCESS` with a
//! `sessionToken`). The hosted "Forgot password?" page starts the same recovery.
//!
//! Every token is random, stored only as its digest, works once, and expires: the e-mailed
//! recovery token after [`FORGOT_PASSWORD_SECS`], each `stateToken` after five minutes. The
//! first step answers the same whether or not the username exists, so it reveals no accounts.
//! A wrong answer leaves the `stateToken` usable until it expires; answers are verified on the
//! bounded hashing pool and `/api/v1/authn` is rate limited per client address.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::directory::User;
use tollgate_core::directory::user::credentials::{CredentialOp, FORGOT_PASSWORD_SECS};
use tollgate_core::log::Entity;
use tollgate_core::mail::MailKind;
use tollgate_core::password::history::Setter;
use tollgate_core::secret::Secret;
use tollgate_core::session::{SESSION_TOKEN_SECS, TokenKind};

use crate::api::authn::{complexity_policy, embedded_user, success};
use crate::api::users::change_user;
use crate::api::users::credentials::checked_password_hash;
use crate::api::users::recovery::forgot_password_link;
use crate::http::audit::Anonymous;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::login::recovery_answer::{self, Answer};
use crate::state::AppState;

/// The recovery routes under `/api/v1/authn`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/authn/cancel", post(cancel))
        .route("/api/v1/authn/recovery/password", post(recover_password))
        .route("/api/v1/authn/recovery/token", post(verify_recovery_token))
        .route(
            "/api/v1/authn/recovery/answer",
            post(answer_recovery_question),
        )
        .route(
            "/api/v1/authn/credentials/reset_password",
            post(reset_password),
        )
}

/// The body of every recovery step; each uses its own fields.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryBody {
    username: Option<String>,
    factor_type: Option<String>,
    recovery_token: Option<String>,
    state_token: Option<String>,
    answer: Option<String>,
    new_password: Option<String>,
}

/// Starts a recovery for `username`: a user who may recover gets the e-mail; anyone else gets
/// nothing, and the caller cannot tell the difference.
pub async fn start_recovery(state: &AppState, audit: &Anonymous, username: &str) -> ApiResult<()> {
    let Some(user) = state.store().find_user(username.trim()).await? else {
        return Ok(());
    };
    if user.allows(CredentialOp::ForgotPassword).is_err() {
        return Ok(());
    }
    let now = state.clock().now();
    let event = audit
        .event(
            Entity::user(&user),
            "user.credential.forgot_password",
            "User started the forgot password flow",
            now,
        )
        .target(Entity::user(&user));
    let url = forgot_password_link(state, &user, event).await?;
    crate::mail::send_link(state, MailKind::Recovery, &user, &url, FORGOT_PASSWORD_SECS).await?;
    Ok(())
}

/// `POST /api/v1/authn/recovery/password` `{"username", "factorType": "EMAIL"}`.
pub async fn recover_password(
    State(state): State<AppState>,
    audit: Anonymous,
    OktaJson(body): OktaJson<RecoveryBody>,
) -> ApiResult<Json<Value>> {
    let username = body
        .username
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("username", "The field cannot be left blank."))?;
    match body.factor_type.as_deref() {
        Some(f) if f.eq_ignore_ascii_case("EMAIL") => {}
        _ => {
            return Err(ApiError::invalid(
                "factorType",
                "Only EMAIL recovery is available: SMS and voice call factors are not enrolled in Tollgate.",
            ));
        }
    }
    start_recovery(&state, &audit, &username).await?;
    Ok(Json(json!({
        "status": "RECOVERY_CHALLENGE",
        "factorResult": "WAITING",
        "factorType": "EMAIL",
        "recoveryType": "PASSWORD",
    })))
}

/// A new `stateToken` of `kind` for `user`.
async fn state_token(
    state: &AppState,
    user: &User,
    kind: TokenKind,
) -> ApiResult<(Secret, String)> {
    let now = state.clock().now();
    let token = Secret::generate(30);
    let expires = now.plus_seconds(SESSION_TOKEN_SECS);
    state
        .store()
        .create_one_time_token(&token.digest(), kind, user.id.as_str(), now, expires, &[])
        .await?;
    Ok((token, expires.to_string()))
}

/// The answer that asks for the recovery question's answer (`RECOVERY`) or, for a user
/// without one, for the new password (`PASSWORD_RESET`).
async fn next_step(state: &AppState, user: &User) -> ApiResult<Json<Value>> {
    let Some(question) = &user.recovery_question else {
        return reset_step(state, user).await;
    };
    let (token, expires) = state_token(state, user, TokenKind::RecoveryAnswer).await?;
    let mut user_json = embedded_user(user);
    if let Some(fields) = user_json.as_object_mut() {
        fields.insert(
            "recovery_question".to_owned(),
            json!({"question": question}),
        );
    }
    Ok(Json(json!({
        "stateToken": token.expose(),
        "expiresAt": expires,
        "status": "RECOVERY",
        "recoveryType": "PASSWORD",
        "_embedded": {"user": user_json},
        "_links": links(state, "answer", "/api/v1/authn/recovery/answer"),
    })))
}

/// `PASSWORD_RESET`: a new `stateToken` that may set the password.
async fn reset_step(state: &AppState, user: &User) -> ApiResult<Json<Value>> {
    let (token, expires) = state_token(state, user, TokenKind::RecoveryReset).await?;
    Ok(Json(json!({
        "stateToken": token.expose(),
        "expiresAt": expires,
        "status": "PASSWORD_RESET",
        "recoveryType": "PASSWORD",
        "_embedded": {"user": embedded_user(user), "policy": complexity_policy()},
        "_links": links(state, "resetPassword", "/api/v1/authn/credentials/reset_password"),
    })))
}

fn links(state: &AppState, next: &str, path: &str) -> Value {
    json!({
        "next": {"name": next, "href": state.link(path), "hints": {"allow": ["POST"]}},
        "cancel": {"href": state.link("/api/v1/authn/cancel"), "hints": {"allow": ["POST"]}},
    })
}

/// The user of a valid token of `kind`, spending it when `spend`; `E0000011` otherwise.
async fn token_user(
    state: &AppState,
    token: Option<String>,
    kind: TokenKind,
    spend: bool,
) -> ApiResult<User> {
    let digest = Secret::new(token.unwrap_or_default()).digest();
    let now = state.clock().now();
    let store = state.store();
    let id = if spend {
        store.redeem_one_time_token(&digest, kind, now).await?
    } else {
        store.peek_one_time_token(&digest, kind, now).await?
    };
    let user = match id {
        Some(id) => store.find_user(&id).await?,
        None => None,
    };
    let user = user.ok_or_else(|| ApiError::new(OktaCode::E0000011))?;
    user.allows(CredentialOp::ForgotPassword)
        .or_else(|_| user.allows(CredentialOp::ResetPassword))
        .map_err(|_| ApiError::new(OktaCode::E0000011))?;
    Ok(user)
}

/// `POST /api/v1/authn/recovery/token` `{"recoveryToken"}`: spends the e-mailed token.
pub async fn verify_recovery_token(
    State(state): State<AppState>,
    audit: Anonymous,
    OktaJson(body): OktaJson<RecoveryBody>,
) -> ApiResult<Json<Value>> {
    let user = token_user(&state, body.recovery_token, TokenKind::PasswordReset, true).await?;
    let event = recovery_answer::verify_event(&state, &audit, &user, "recovery token", None);
    state.store().append_events(&[event]).await?;
    next_step(&state, &user).await
}

/// `POST /api/v1/authn/recovery/answer` `{"stateToken", "answer"}`.
pub async fn answer_recovery_question(
    State(state): State<AppState>,
    audit: Anonymous,
    OktaJson(body): OktaJson<RecoveryBody>,
) -> ApiResult<Json<Value>> {
    let token = body.state_token;
    let user = token_user(&state, token.clone(), TokenKind::RecoveryAnswer, false).await?;
    let given = body.answer.as_deref().unwrap_or_default();
    match recovery_answer::check(&state, &audit, &user, given).await? {
        Answer::Right => {}
        Answer::Wrong => return Err(ApiError::new(OktaCode::E0000087)),
        Answer::Throttled => return Err(ApiError::new(OktaCode::E0000047)),
    }
    // Spent only by a right answer, and only once even when two right answers race.
    let user = token_user(&state, token, TokenKind::RecoveryAnswer, true).await?;
    reset_step(&state, &user).await
}

/// `POST /api/v1/authn/cancel` `{"stateToken"}`: ends a sign-in or recovery transaction.
pub async fn cancel(
    State(state): State<AppState>,
    OktaJson(body): OktaJson<RecoveryBody>,
) -> ApiResult<Json<Value>> {
    let digest = Secret::new(body.state_token.unwrap_or_default()).digest();
    let now = state.clock().now();
    for kind in [
        TokenKind::State,
        TokenKind::RecoveryAnswer,
        TokenKind::RecoveryReset,
    ] {
        if state
            .store()
            .redeem_one_time_token(&digest, kind, now)
            .await?
            .is_some()
        {
            return Ok(Json(json!({})));
        }
    }
    Err(ApiError::new(OktaCode::E0000011))
}

/// `POST /api/v1/authn/credentials/reset_password` `{"stateToken", "newPassword"}`: sets the
/// password (policy checked first, so a refused password leaves the token usable), then
/// answers `SUCCESS` with a `sessionToken`.
pub async fn reset_password(
    State(state): State<AppState>,
    audit: Anonymous,
    OktaJson(body): OktaJson<RecoveryBody>,
) -> ApiResult<Json<Value>> {
    let token = body.state_token;
    let user = token_user(&state, token.clone(), TokenKind::RecoveryReset, false).await?;
    let new = Secret::new(body.new_password.unwrap_or_default());
    // The history and the policy, answered as Okta's authn API does (`403 E0000080`).
    let hash = checked_password_hash(&state, &user, new, Setter::SelfService)
        .await
        .map_err(|e| {
            if e.code != OktaCode::E0000014 {
                return e;
            }
            let mut refused = ApiError::new(OktaCode::E0000080);
            refused.causes = e.causes;
            refused
        })?;
    let user = token_user(&state, token, TokenKind::RecoveryReset, true).await?;
    let user = change_user(&state, user.id.as_str(), |u| {
        let now = state.clock().now();
        u.complete_reset(hash.clone(), now)?;
        Ok(vec![
            audit
                .event(
                    Entity::user(u),
                    "user.account.reset_password",
                    "User reset the password by self-service recovery",
                    now,
                )
                .target(Entity::user(u)),
        ])
    })
    .await
    .map_err(|e| match e.code {
        OktaCode::E0000038 => ApiError::new(OktaCode::E0000011),
        _ => e,
    })?;
    success(&state, &audit, &user).await
}
