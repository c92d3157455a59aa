//! `POST /api/v1/authn` (primary authentication, anonymous) and
//! `POST /api/v1/authn/credentials/change_password` (finishing a password-expired sign-in).
//!
//! Okta reference: Authentication API; Tollgate reference `management-api.md` section 6.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::directory::User;
use tollgate_core::log::Entity;
use tollgate_core::password::history::Setter;
use tollgate_core::secret::Secret;
use tollgate_core::session::{SESSION_TOKEN_SECS, TokenKind};

use crate::api::users::hash_password;
use crate::http::audit::Anonymous;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::login::password::{SignIn, check};
use crate::login::resolve::issue_session_token;
use crate::state::AppState;

/// `{"username", "password", "options"}`.
#[derive(Debug, Default, Deserialize)]
pub struct AuthnBody {
    username: Option<String>,
    password: Option<String>,
}

/// The `_embedded.user` of an authn answer.
pub fn embedded_user(u: &User) -> Value {
    let p = &u.profile;
    json!({
        "id": u.id,
        "passwordChanged": u.password_changed,
        "profile": {
            "login": u.login(),
            "firstName": p.get("firstName"),
            "lastName": p.get("lastName"),
            "locale": p.get("locale").and_then(Value::as_str).unwrap_or("en_US"),
            "timeZone": p.get("timezone").and_then(Value::as_str).unwrap_or("America/Los_Angeles"),
        }
    })
}

/// The password policy's complexity, as authn answers show it to the person choosing one.
pub fn complexity_policy() -> Value {
    json!({"complexity": {"minLength": 8, "minLowerCase": 1, "minUpperCase": 1, "minNumber": 1, "minSymbol": 0, "excludeUsername": true}})
}

/// Issues a one-time `sessionToken` and answers `SUCCESS`.
pub async fn success(state: &AppState, audit: &Anonymous, user: &User) -> ApiResult<Json<Value>> {
    let now = state.clock().now();
    let event =
        crate::login::password::success_event(audit, user, None, now).debug("via", "/api/v1/authn");
    let (token, expires) = issue_session_token(state, user, &[event]).await?;
    Ok(Json(json!({
        "expiresAt": expires,
        "status": "SUCCESS",
        "sessionToken": token.expose(),
        "_embedded": {"user": embedded_user(user)},
    })))
}

/// `POST /api/v1/authn`.
pub async fn authn(
    State(state): State<AppState>,
    audit: Anonymous,
    OktaJson(body): OktaJson<AuthnBody>,
) -> ApiResult<Json<Value>> {
    let (Some(username), Some(password)) = (body.username, body.password) else {
        return Err(ApiError::new(OktaCode::E0000004));
    };
    match check(&state, &audit, &username, Secret::new(password)).await? {
        SignIn::Success(user) => success(&state, &audit, &user).await,
        SignIn::PasswordExpired(user) => {
            let now = state.clock().now();
            let token = Secret::generate(30);
            let expires = now.plus_seconds(SESSION_TOKEN_SECS);
            state
                .store()
                .create_one_time_token(
                    &token.digest(),
                    TokenKind::State,
                    user.id.as_str(),
                    now,
                    expires,
                    &[],
                )
                .await?;
            Ok(Json(json!({
                "stateToken": token.expose(),
                "expiresAt": expires,
                "status": "PASSWORD_EXPIRED",
                "_embedded": {
                    "user": embedded_user(&user),
                    "policy": complexity_policy(),
                },
                "_links": {
                    "next": {"name": "changePassword", "href": state.link("/api/v1/authn/credentials/change_password"), "hints": {"allow": ["POST"]}},
                    "cancel": {"href": state.link("/api/v1/authn/cancel"), "hints": {"allow": ["POST"]}},
                },
            })))
        }
        SignIn::Failed => Err(ApiError::new(OktaCode::E0000004)),
    }
}

/// `{"stateToken", "oldPassword", "newPassword"}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordBody {
    state_token: Option<String>,
    old_password: Option<String>,
    new_password: Option<String>,
}

/// `POST /api/v1/authn/credentials/change_password`: finishes a `PASSWORD_EXPIRED` sign-in.
pub async fn change_password(
    State(state): State<AppState>,
    audit: Anonymous,
    OktaJson(body): OktaJson<ChangePasswordBody>,
) -> ApiResult<Json<Value>> {
    let now = state.clock().now();
    let token = body.state_token.unwrap_or_default();
    let Some(user_id) = state
        .store()
        .redeem_one_time_token(&Secret::new(token).digest(), TokenKind::State, now)
        .await?
    else {
        return Err(ApiError::new(OktaCode::E0000011));
    };
    let mut user = state
        .store()
        .find_user(&user_id)
        .await?
        .ok_or_else(|| ApiError::new(OktaCode::E0000011))?;
    let old = Secret::new(body.old_password.unwrap_or_default());
    let right = match user.password_hash.clone() {
        Some(h) => crate::login::password::verify(&state, old, Some(h)).await?,
        None => false,
    };
    if !right {
        let mut e = ApiError::with_summary(OktaCode::E0000014, "Update of credentials failed");
        e.causes
            .push("oldPassword: The credentials provided were incorrect.".to_owned());
        return Err(e);
    }
    let new = Secret::new(body.new_password.unwrap_or_default());
    crate::login::history::check(&state, &user, &new, Setter::SelfService)
        .await
        .map_err(|e| crate::login::history::with_code(e, OktaCode::E0000080))?;
    let hash = hash_password(&state, new, user.login().to_owned()).await?;
    user.set_password_hash(hash, now);
    user.status = tollgate_core::directory::UserStatus::Active;
    user.status_changed = Some(now);
    user.record_login(now);
    let event = audit
        .event(
            Entity::user(&user),
            "user.account.update_password",
            "Update password for user",
            now,
        )
        .target(Entity::user(&user));
    // A stale copy means an admin changed the user meanwhile (deactivated, reset): the token
    // is spent and the change is not made.
    match state.store().update_user(&user, &[event]).await {
        Err(tollgate_store::Error::Stale) => return Err(ApiError::new(OktaCode::E0000011)),
        other => other?,
    }
    success(&state, &audit, &user).await
}
