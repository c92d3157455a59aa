//! Activation links: `lifecycle/activate?sendEmail=false` and `lifecycle/reactivate` answer
//! `{activationUrl, activationToken}`, as Okta does; with `sendEmail=true` (the default of
//! `activate`) the link is e-mailed and the answer is `{}`. The token is random, stored only as its
//! digest, works once, and is valid for 7 days (Okta's default); the link opens the page where
//! the user chooses a password (`/tokens/{token}/verify`, also served as `/welcome/{token}`).

use axum::Json;
use serde_json::{Value, json};
use tollgate_core::directory::User;
use tollgate_core::directory::user::credentials::CredentialOp;
use tollgate_core::log::Entity;
use tollgate_core::secret::Secret;
use tollgate_core::session::TokenKind;
use tollgate_store::NewToken;

use super::load_user;
use crate::http::ApiResult;
use crate::http::audit::Audit;
use crate::state::AppState;

/// How long an activation link works.
pub const ACTIVATION_SECS: i64 = 7 * 24 * 3600;

/// A new activation link for `user`, with `events` saved alongside, answered or (`send_email`)
/// e-mailed; earlier unused activation links of the user stop working.
pub async fn activation_link(
    state: &AppState,
    user: &User,
    events: &[tollgate_core::log::LogEvent],
    send_email: bool,
) -> ApiResult<Json<Value>> {
    let now = state.clock().now();
    let secret = Secret::generate(15);
    let token = NewToken {
        digest: secret.digest(),
        kind: TokenKind::Activation,
        created: now,
        expires_at: now.plus_seconds(ACTIVATION_SECS),
    };
    state
        .store()
        .issue_one_time_token(user.id.as_str(), &token, events)
        .await?;
    let url = state.link(&format!("/tokens/{}/verify", secret.expose()));
    if send_email {
        let kind = tollgate_core::mail::MailKind::Activation;
        crate::mail::send_link(state, kind, user, &url, ACTIVATION_SECS).await?;
        return Ok(Json(json!({})));
    }
    Ok(Json(
        json!({"activationUrl": url, "activationToken": secret.expose()}),
    ))
}

/// `lifecycle/reactivate`: a new activation link for a user activated without a password
/// (`PROVISIONED`); any other status is Okta's `E0000038`.
pub async fn reactivate(
    state: &AppState,
    audit: &Audit,
    id: &str,
    send_email: bool,
) -> ApiResult<Json<Value>> {
    let user = load_user(state, id).await?;
    user.allows(CredentialOp::Reactivate)?;
    let event = audit
        .event(
            "user.lifecycle.reactivate",
            "Reactivate Okta user",
            state.clock().now(),
        )
        .target(Entity::user(&user));
    activation_link(state, &user, &[event], send_email).await
}
