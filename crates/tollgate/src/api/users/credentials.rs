//! `POST /api/v1/users/{id}/credentials/{change_password|change_recovery_question|
//! forgot_password_recovery_question}`: credential changes proved by the user's password or
//! recovery answer. Reset links are in [`super::recovery`].
//!
//! Okta reference: Users API, "User credential operations"; `management-api.md` section 2.5.

use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use tollgate_core::directory::user::credentials::{
    CredentialOp, answer_key, check_recovery_question,
};
use tollgate_core::directory::{User, UserStatus};
use tollgate_core::log::{Entity, LogEvent, Result as Outcome};
use tollgate_core::password::Verdict;
use tollgate_core::password::history::Setter;
use tollgate_core::secret::Secret;

use crate::api::json::user_json;
use crate::api::users::{change_user, hash_password, load_user};
use crate::http::audit::{Anonymous, Audit};
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::login::history;
use crate::login::password::{Proof, prove};
use crate::state::AppState;

/// The `credentials/*` routes (`forgot_password` is in [`super::recovery`]).
pub fn routes() -> Router<AppState> {
    const C: &str = "/api/v1/users/{id}/credentials";
    Router::new()
        .route(&format!("{C}/change_password"), post(change_password))
        .route(
            &format!("{C}/change_recovery_question"),
            post(change_recovery_question),
        )
        .route(
            &format!("{C}/forgot_password"),
            post(super::recovery::forgot_password),
        )
        .route(
            &format!("{C}/forgot_password_recovery_question"),
            post(forgot_password_recovery_question),
        )
}

/// `{"value": "…"}`.
#[derive(Debug, Default, Deserialize)]
pub struct PasswordValue {
    value: Option<String>,
}

/// `{"question": "…", "answer": "…"}`.
#[derive(Debug, Default, Deserialize)]
pub struct QuestionValue {
    pub(crate) question: Option<String>,
    pub(crate) answer: Option<String>,
}

/// `credentials.recovery_question` of a new user: checked, with its answer hashed.
pub async fn initial_question(
    state: &AppState,
    given: Option<&QuestionValue>,
) -> ApiResult<Option<(String, String)>> {
    let Some(given) = given else {
        return Ok(None);
    };
    let question = given.question.clone().unwrap_or_default();
    let answer = given.answer.clone().unwrap_or_default();
    check_recovery_question(&question, &answer)?;
    let hash = hash_answer(state, answer_key(&answer)).await?;
    Ok(Some((question.trim().to_owned(), hash)))
}

/// `{"oldPassword": {"value"}, "newPassword": {"value"}, "revokeSessions": false}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordBody {
    old_password: Option<PasswordValue>,
    new_password: Option<PasswordValue>,
    revoke_sessions: Option<bool>,
}

/// `{"password": {"value"}, "recovery_question": {"question", "answer"}}`.
#[derive(Debug, Default, Deserialize)]
pub struct CredentialsBody {
    password: Option<PasswordValue>,
    recovery_question: Option<QuestionValue>,
}

/// `?strict=true` also applies the minimum password age (none in Okta's default policy).
#[derive(Debug, Default, Deserialize)]
pub struct ChangePasswordParams {
    strict: Option<bool>,
}

/// The user's `credentials` object as these operations answer it: the one of the user's JSON
/// (`password: {}` when set, the recovery question without its answer, the provider) without
/// `emails`, which Okta leaves out here.
pub fn credentials_json(state: &AppState, u: &User) -> Value {
    let mut user = user_json(state, u, false);
    let mut credentials = user
        .get_mut("credentials")
        .map(Value::take)
        .unwrap_or_default();
    if let Some(c) = credentials.as_object_mut() {
        c.remove("emails");
    }
    credentials
}

/// Okta's `403 E0000014` "Update of credentials failed", with a cause on `field`.
pub fn credentials_failed(field: &str, message: &str) -> ApiError {
    let mut e = ApiError::new(OktaCode::E0000014);
    e.causes.push(format!("{field}: {message}"));
    e
}

fn incorrect(field: &str) -> ApiError {
    credentials_failed(field, "The credentials provided were incorrect.")
}

/// The value of a required secret field, or `E0000001` naming it.
fn required(value: Option<&PasswordValue>, field: &str) -> ApiResult<Secret> {
    value
        .and_then(|p| p.value.as_deref())
        .filter(|v| !v.is_empty())
        .map(Secret::new)
        .ok_or_else(|| ApiError::invalid(field, "The field cannot be left blank."))
}

/// Whether `secret` matches `hash`, computed on a hashing thread.
pub async fn matches(state: &AppState, secret: Secret, hash: Option<&str>) -> ApiResult<bool> {
    crate::login::password::verify(state, secret, hash.map(str::to_owned)).await
}

/// Checks the policy and hashes a new password; a policy failure is Okta's `E0000014` for
/// credential changes, with the policy's cause.
pub async fn new_password_hash(
    state: &AppState,
    password: Secret,
    login: &str,
) -> ApiResult<String> {
    hash_password(state, password, login.to_owned())
        .await
        .map_err(|e| history::with_code(e, OktaCode::E0000014))
}

/// Checks a new password against the history and minimum age (see [`history::check`]), then
/// the policy, and hashes it; failures are `E0000014`.
pub async fn checked_password_hash(
    state: &AppState,
    user: &User,
    password: Secret,
    setter: Setter,
) -> ApiResult<String> {
    history::check(state, user, &password, setter)
        .await
        .map_err(|e| history::with_code(e, OktaCode::E0000014))?;
    new_password_hash(state, password, user.login()).await
}

/// `POST …/credentials/change_password?strict=`. The old password is checked as a sign-in
/// checks it: a wrong one counts toward the lockout.
pub async fn change_password(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaQuery(params): OktaQuery<ChangePasswordParams>,
    OktaJson(body): OktaJson<ChangePasswordBody>,
) -> ApiResult<Json<Value>> {
    let old = required(body.old_password.as_ref(), "oldPassword")?;
    let new = required(body.new_password.as_ref(), "newPassword")?;
    let stored = load_user(&state, &id).await?;
    // A lock may have run out: the check of the old password ends it, as a sign-in does.
    let lock_may_end = stored.status == UserStatus::LockedOut && stored.password_hash.is_some();
    if !lock_may_end {
        stored.allows(CredentialOp::ChangePassword)?;
    }
    let proved = prove_old_password(&state, &admin, &stored, old).await?;
    let strict = params.strict == Some(true);
    let setter = Setter::ChangePassword { strict };
    let hash = checked_password_hash(&state, &stored, new, setter).await?;
    let user = change_user(&state, &id, |user| {
        same_password(user, proved.as_deref())?;
        let now = state.clock().now();
        user.change_password(hash.clone(), now)?;
        Ok(vec![
            admin
                .event(
                    "user.account.update_password",
                    "Update password for user",
                    now,
                )
                .target(Entity::user(user)),
        ])
    })
    .await?;
    if body.revoke_sessions == Some(true) {
        end_sessions(&state, &admin.audit, &user).await?;
    }
    Ok(Json(credentials_json(&state, &user)))
}

/// Checks `old` for `user` under the lockout policy (see [`crate::login::password::prove`]);
/// a right one clears the attempt counted. Returns the hash it matched (upgraded, if it was
/// an imported one). A wrong one is `E0000014`, a locked user `E0000038`.
async fn prove_old_password(
    state: &AppState,
    admin: &Admin,
    user: &User,
    old: Secret,
) -> ApiResult<Option<String>> {
    let now = state.clock().now();
    let fail = |reason: &str, detail: &str| {
        admin
            .event(
                "user.account.update_password",
                "Update password for user",
                now,
            )
            .target(Entity::user(user))
            .outcome(Outcome::Failure, Some(reason.to_owned()))
            .debug("detail", detail)
    };
    let audit = Anonymous(admin.audit.clone());
    let (seen, verdict) = match prove(state, &audit, user, old, now, &fail).await? {
        Proof::Right { seen, verdict } => (seen, verdict),
        Proof::Wrong => return Err(incorrect("oldPassword")),
        Proof::Locked => return Err(tollgate_core::Error::WrongState(LOCKED).into()),
    };
    let rehash = match &verdict {
        Verdict::RightUpgraded(h) => Some(h.clone()),
        Verdict::Right | Verdict::Wrong => None,
    };
    let id = user.id.as_str();
    let store = state.store();
    if !store
        .record_sign_in(id, &seen, None, rehash.as_deref(), now, &[])
        .await?
    {
        return Err(incorrect("oldPassword"));
    }
    Ok(rehash.or(seen.password_hash))
}

/// Okta's words for an operation a user's status does not allow.
const LOCKED: &str = "This operation is not allowed in the user's current status.";

/// `revokeSessions=true`: ends every session of `user`.
pub async fn end_sessions(state: &AppState, audit: &Audit, user: &User) -> ApiResult<()> {
    let now = state.clock().now();
    let event: LogEvent = audit
        .event("user.session.clear", "Clear user session", now)
        .target(Entity::user(user));
    state
        .store()
        .delete_user_sessions(user.id.as_str(), &[event])
        .await?;
    Ok(())
}

/// The check was made against the password the user had then: if it changed meanwhile, the
/// proof no longer holds.
fn same_password(user: &User, proved: Option<&str>) -> ApiResult<()> {
    if user.password_hash.as_deref() == proved {
        Ok(())
    } else {
        Err(incorrect("password"))
    }
}

/// `POST …/credentials/change_recovery_question`.
pub async fn change_recovery_question(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<CredentialsBody>,
) -> ApiResult<Json<Value>> {
    let password = required(body.password.as_ref(), "password")?;
    let recovery = body.recovery_question.unwrap_or_default();
    let question = recovery.question.unwrap_or_default();
    let answer = recovery.answer.unwrap_or_default();
    check_recovery_question(&question, &answer)?;
    let stored = load_user(&state, &id).await?;
    stored.allows(CredentialOp::ChangeRecoveryQuestion)?;
    let proved = stored.password_hash.clone();
    if !matches(&state, password, proved.as_deref()).await? {
        return Err(incorrect("password"));
    }
    let answer_hash = hash_answer(&state, answer_key(&answer)).await?;
    let user = change_user(&state, &id, |user| {
        same_password(user, proved.as_deref())?;
        let now = state.clock().now();
        user.set_recovery_question(&question, answer_hash.clone(), now)?;
        Ok(vec![
            admin
                .event(
                    "user.account.update_recovery_question_answer",
                    "Update recovery question and answer for user",
                    now,
                )
                .target(Entity::user(user)),
        ])
    })
    .await?;
    Ok(Json(credentials_json(&state, &user)))
}

/// Hashes a recovery answer on a hashing thread (no password policy applies to answers).
async fn hash_answer(state: &AppState, answer: Secret) -> ApiResult<String> {
    let now = state.clock().now().unix_seconds();
    state
        .hasher()
        .run(now, move |memory| {
            tollgate_core::password::hash_in(memory, &answer)
        })
        .await?
        .map_err(ApiError::from)
}

/// `POST …/credentials/forgot_password_recovery_question`: a right answer sets the new password.
pub async fn forgot_password_recovery_question(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<CredentialsBody>,
) -> ApiResult<Json<Value>> {
    let new = required(body.password.as_ref(), "password")?;
    let answer = body
        .recovery_question
        .and_then(|q| q.answer)
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| {
            ApiError::invalid(
                "recovery_question.answer",
                "The field cannot be left blank.",
            )
        })?;
    let stored = load_user(&state, &id).await?;
    stored.allows(CredentialOp::ForgotPassword)?;
    let proved = stored.recovery_answer_hash.clone();
    if !matches(&state, answer_key(&answer), proved.as_deref()).await? {
        return Err(incorrect("recovery_question.answer"));
    }
    let hash = checked_password_hash(&state, &stored, new, Setter::SelfService).await?;
    let user = change_user(&state, &id, |user| {
        if user.recovery_answer_hash != proved {
            return Err(incorrect("recovery_question.answer"));
        }
        let now = state.clock().now();
        user.allows(CredentialOp::ForgotPassword)?;
        user.complete_reset(hash.clone(), now)?;
        Ok(vec![
            admin
                .event(
                    "user.account.reset_password",
                    "Reset password for user with the recovery question",
                    now,
                )
                .target(Entity::user(user)),
        ])
    })
    .await?;
    Ok(Json(credentials_json(&state, &user)))
}
