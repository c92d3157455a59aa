//! `/api/v1/users/{id}/subscriptions`: the notifications a user gets by email, one per
//! notification type, subscribed unless the user unsubscribed. As Okta's Subscriptions API
//! says, these are the caller's own: a request about another user is `403 E0000006`.
//!
//! Okta reference: Subscription API, "List all subscriptions for a user"
//! (`listSubscriptionsUser`), `getSubscriptionsNotificationTypeUser`,
//! `subscribeByNotificationTypeUser`, `unsubscribeByNotificationTypeUser`.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use tollgate_core::directory::User;
use tollgate_core::directory::subscription::{
    CHANNEL, Subscription, notification_type, subscriptions,
};

use crate::api::users::load_user;
use crate::http::auth::Admin;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    const S: &str = "/api/v1/users/{id}/subscriptions";
    Router::new()
        .route(S, get(list))
        .route(&format!("{S}/{{notificationType}}"), get(get_one))
        .route(
            &format!("{S}/{{notificationType}}/subscribe"),
            post(subscribe),
        )
        .route(
            &format!("{S}/{{notificationType}}/unsubscribe"),
            post(unsubscribe),
        )
}

/// The user `id` (by id or login), `404 E0000007` when unknown, `403 E0000006` when it is
/// not the caller.
async fn own_user(state: &AppState, admin: &Admin, id: &str) -> ApiResult<User> {
    let user = load_user(state, id).await?;
    if user.id != admin.user.id {
        return Err(ApiError::new(OktaCode::E0000006));
    }
    Ok(user)
}

/// The notification type `name`, `404 E0000007` when Okta has none by that name.
fn known_type(name: &str) -> ApiResult<&'static str> {
    notification_type(name).ok_or_else(|| ApiError::not_found(name, "Subscription"))
}

fn subscription_json(state: &AppState, user: &User, s: &Subscription) -> Value {
    let t = s.notification_type;
    let href = state.link(&format!(
        "/api/v1/users/{}/subscriptions/{t}",
        user.id.as_str()
    ));
    json!({
        "notificationType": t,
        "channels": [CHANNEL],
        "status": s.status(),
        "_links": {"self": {"href": href}}
    })
}

async fn all_of(state: &AppState, user: &User) -> ApiResult<Vec<Subscription>> {
    let choices = state.store().user_subscriptions(user.id.as_str()).await?;
    Ok(subscriptions(&choices))
}

/// `GET …/subscriptions`: one subscription per notification type.
pub async fn list(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let user = own_user(&state, &admin, &id).await?;
    let all = all_of(&state, &user).await?;
    let items = all
        .iter()
        .map(|s| subscription_json(&state, &user, s))
        .collect();
    Ok(Json(Value::Array(items)))
}

/// `GET …/subscriptions/{notificationType}`.
pub async fn get_one(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let user = own_user(&state, &admin, &id).await?;
    let t = known_type(&name)?;
    let all = all_of(&state, &user).await?;
    let one = all
        .iter()
        .find(|s| s.notification_type == t)
        .ok_or_else(|| ApiError::not_found(&name, "Subscription"))?;
    Ok(Json(subscription_json(&state, &user, one)))
}

async fn set(state: &AppState, admin: &Admin, id: &str, name: &str, on: bool) -> ApiResult<()> {
    let user = own_user(state, admin, id).await?;
    let t = known_type(name)?;
    let uid = user.id.as_str();
    if !state.store().set_user_subscription(uid, t, on).await? {
        return Err(ApiError::not_found(id, "User"));
    }
    Ok(())
}

/// `POST …/subscriptions/{notificationType}/subscribe`: `200` with no body.
pub async fn subscribe(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult<()> {
    set(&state, &admin, &id, &name, true).await
}

/// `POST …/subscriptions/{notificationType}/unsubscribe`: `200` with no body.
pub async fn unsubscribe(
    State(state): State<AppState>,
    admin: Admin,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult<()> {
    set(&state, &admin, &id, &name, false).await
}
