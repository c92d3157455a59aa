//! `/api/v1/users`: create, get (by id or login), list (`q`, `filter`, `search`, paging),
//! partial update (`POST`), replace (`PUT`), delete, and the user's groups. Lifecycle
//! operations are in [`lifecycle`].
//!
//! Okta reference: Users API; Tollgate reference `management-api.md` section 2.

pub mod activation;
pub mod credentials;
pub mod lifecycle;
pub mod new_password;
pub mod recovery;
pub mod related;
pub mod subscriptions;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Map, Value};
use tollgate_core::directory::User;
use tollgate_core::directory::user::CreateOptions;
use tollgate_core::log::{Entity, LogEvent};
use tollgate_core::schema::SchemaKind;
use tollgate_core::secret::Secret;
use tollgate_store::UserQuery;

use crate::api::group_rules::engine as group_rules;
use crate::api::json::{group_json, page_response, parse_filter, user_json};
use crate::api::schemas::profiles;
use crate::api::users::new_password::{NewPassword, PasswordBody, StrictParams};
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::error::already_exists;
use crate::http::pagination::PageRequest;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
struct CredentialsBody {
    password: Option<PasswordBody>,
    recovery_question: Option<credentials::QuestionValue>,
}

/// The parts of a user body we read; the rest is ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserBody {
    profile: Option<Map<String, Value>>,
    credentials: Option<CredentialsBody>,
    group_ids: Option<Vec<String>>,
    #[serde(rename = "type")]
    user_type: Option<TypeRef>,
}

/// `type: {"id": "oty…"}`.
#[derive(Debug, Default, Deserialize)]
pub struct TypeRef {
    id: Option<String>,
}

impl UserBody {
    fn new_password(&self) -> ApiResult<Option<NewPassword>> {
        match self.credentials.as_ref().and_then(|c| c.password.as_ref()) {
            Some(p) => p.new_password(),
            None => Ok(None),
        }
    }
}

/// Query parameters of `POST /api/v1/users`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateParams {
    activate: Option<bool>,
    next_login: Option<String>,
}

impl CreateParams {
    /// `?activate=` alone.
    pub fn activating(activate: bool) -> Self {
        Self {
            activate: Some(activate),
            next_login: None,
        }
    }
}

/// Checks the policy and hashes in a bounded hashing slot, off the async workers (argon2id
/// costs tens of ms and about 19 MiB); `429` when no slot frees up in time.
pub async fn hash_password(state: &AppState, password: Secret, login: String) -> ApiResult<String> {
    let now = state.clock().now().unix_seconds();
    state
        .hasher()
        .run(now, move |memory| {
            tollgate_core::password::check_policy(&password, &login)?;
            tollgate_core::password::hash_in(memory, &password)
        })
        .await?
        .map_err(ApiError::from)
}

fn save_error(e: tollgate_store::Error) -> ApiError {
    match e {
        tollgate_store::Error::Conflict { .. } => already_exists("login"),
        tollgate_store::Error::NotFound => {
            ApiError::invalid("groupIds", "One or more group ids do not exist")
        }
        other => other.into(),
    }
}

/// `POST /api/v1/users?activate=true&nextLogin=changePassword`.
pub async fn create_user(
    State(state): State<AppState>,
    admin: Admin,
    OktaQuery(params): OktaQuery<CreateParams>,
    OktaJson(body): OktaJson<UserBody>,
) -> ApiResult<Json<Value>> {
    let user = create(&state, &admin.audit, &params, body).await?;
    Ok(Json(user_json(&state, &user, true)))
}

/// Creates the user of `body` as the admin of `admin` (an audit context).
pub async fn create(
    state: &AppState,
    admin: &Audit,
    params: &CreateParams,
    body: UserBody,
) -> ApiResult<User> {
    let profile =
        tollgate_core::directory::user::validate_profile(body.profile.clone().unwrap_or_default())?;
    let user_type =
        profiles::user_type(state, body.user_type.as_ref().and_then(|t| t.id.as_deref())).await?;
    let schema = profiles::cached(state, SchemaKind::User, &user_type.schema_id).await?;
    schema.check_profile(&profile)?;
    let login = profile
        .get("login")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let hash = match body.new_password()? {
        Some(pw) => Some(pw.stored(state, login).await?),
        None => None,
    };
    let options = CreateOptions {
        activate: params.activate.unwrap_or(true),
        change_password_next_login: params.next_login.as_deref() == Some("changePassword"),
    };
    let question = body.credentials.as_ref();
    let question =
        credentials::initial_question(state, question.and_then(|c| c.recovery_question.as_ref()))
            .await?;
    let mut user = User::create(profile, hash, options, state.clock().now())?;
    (user.recovery_question, user.recovery_answer_hash) = question.unzip();
    user.type_id = (!user_type.default).then(|| user_type.id.clone());
    profiles::check_unique(state, &schema, &user.profile, user.id.as_str()).await?;
    let group_ids = body.group_ids.as_deref().unwrap_or_default();
    let mut events = vec![
        admin
            .event("user.lifecycle.create", "Create Okta user", user.created)
            .target(Entity::user(&user))
            .debug("status", user.status.as_str()),
    ];
    for gid in group_ids {
        events.push(
            admin
                .event(
                    "group.user_membership.add",
                    "Add user to group membership",
                    user.created,
                )
                .target(Entity::user(&user))
                .target(Entity::id_only(gid, "UserGroup")),
        );
    }
    state
        .store()
        .create_user(&user, group_ids, &events)
        .await
        .map_err(save_error)?;
    group_rules::evaluate_user(state, &user, admin).await?;
    if user.status == tollgate_core::directory::UserStatus::Provisioned {
        // Activated without a password: Okta e-mails the activation link.
        drop(activation::activation_link(state, &user, &[], true).await?);
    }
    Ok(user)
}

/// Loads a user by id or login or answers `E0000007`.
pub async fn load_user(state: &AppState, id: &str) -> ApiResult<User> {
    state
        .store()
        .find_user(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "User"))
}

/// `GET /api/v1/users/{idOrLogin}`; `me` is the admin the API token belongs to.
pub async fn get_user(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let user = match id.as_str() {
        "me" => admin.user,
        _ => load_user(&state, &id).await?,
    };
    Ok(Json(user_json(&state, &user, true)))
}

/// Query parameters of `GET /api/v1/users`.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    q: Option<String>,
    filter: Option<String>,
    search: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

/// `GET /api/v1/users`.
pub async fn list_users(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let q = p.q.filter(|q| !q.trim().is_empty());
    let page = PageRequest::new(
        p.limit.as_deref(),
        p.after.as_deref(),
        if q.is_some() { 10 } else { 200 },
        200,
    );
    let query = UserQuery {
        q,
        filter: parse_filter(p.filter.as_deref(), p.search.as_deref())?,
        limit: page.limit,
        after: page.after,
        group: None,
    };
    let (users, more) = state.store().list_users(&query).await?;
    let next = if more {
        users.last().map(|u| u.id.as_str().to_owned())
    } else {
        None
    };
    let items = users.iter().map(|u| user_json(&state, u, false)).collect();
    Ok(page_response(&state, &uri, items, next.as_deref()))
}

/// Applies `change` to the stored user and saves it; when another write got there first
/// (a sign-in, another admin), reads the user again and reapplies `change`, so no write undoes
/// one it did not see.
pub async fn change_user<F>(state: &AppState, id: &str, mut change: F) -> ApiResult<User>
where
    F: FnMut(&mut User) -> ApiResult<Vec<LogEvent>>,
{
    for _ in 0..20 {
        let mut user = load_user(state, id).await?;
        let events = change(&mut user)?;
        match state.store().update_user(&user, &events).await {
            Ok(()) => return Ok(user),
            Err(tollgate_store::Error::Stale) => {}
            Err(e) => return Err(save_error(e)),
        }
    }
    Err(ApiError::internal(format!("user {id} kept changing")))
}

/// Updates user `id` as the admin of `admin` (an audit context): merges `body`'s profile
/// (replaces it when `replace`), sets its password.
pub async fn update(
    state: &AppState,
    admin: &Audit,
    (id, strict): (&str, StrictParams),
    body: UserBody,
    replace: bool,
) -> ApiResult<Json<Value>> {
    let new_password = body.new_password()?;
    let hash = match &new_password {
        Some(pw) => {
            let stored = load_user(state, id).await?;
            pw.check_history(state, &stored, strict.setter()).await?;
            Some(pw.stored(state, stored.login().to_owned()).await?)
        }
        None => None,
    };
    let target = match &body.profile {
        Some(profile) => {
            let stored = load_user(state, id).await?;
            let type_id = body.user_type.as_ref().filter(|_| replace);
            let type_id = type_id.and_then(|t| t.id.as_deref());
            Some(profiles::for_update(state, &stored, type_id, profile).await?)
        }
        None => None,
    };
    let user = change_user(state, id, |user| {
        if let Some(pw) = &new_password {
            pw.check_update(user)?;
        }
        let now = state.clock().now();
        match (&body.profile, replace) {
            (Some(p), true) => user.replace_profile(p.clone(), now)?,
            (Some(p), false) => {
                if let Some((schema, _)) = &target {
                    schema.prune(&mut user.profile);
                }
                user.merge_profile(p, now)?;
            }
            (None, _) => {}
        }
        if let Some((schema, type_id)) = &target {
            schema.check_profile(&user.profile)?;
            user.type_id.clone_from(type_id);
        }
        let mut events = Vec::new();
        if body.profile.is_some() {
            events.push(
                admin
                    .event(
                        "user.account.update_profile",
                        "Update user profile for Okta",
                        now,
                    )
                    .target(Entity::user(user)),
            );
        }
        if let Some(hash) = &hash {
            user.set_password_hash(hash.clone(), now);
            events.push(
                admin
                    .event(
                        "user.account.update_password",
                        "Update password for user",
                        now,
                    )
                    .target(Entity::user(user)),
            );
        }
        Ok(events)
    })
    .await?;
    if body.profile.is_some() {
        group_rules::evaluate_user(state, &user, admin).await?;
    }
    Ok(Json(user_json(state, &user, true)))
}

/// `POST /api/v1/users/{id}?strict=`: merges profile keys; may set the password.
pub async fn update_user(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaQuery(strict): OktaQuery<StrictParams>,
    OktaJson(body): OktaJson<UserBody>,
) -> ApiResult<Json<Value>> {
    update(&state, &admin.audit, (&id, strict), body, false).await
}

/// `PUT /api/v1/users/{id}?strict=`: replaces the profile.
pub async fn replace_user(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaQuery(strict): OktaQuery<StrictParams>,
    OktaJson(body): OktaJson<UserBody>,
) -> ApiResult<Json<Value>> {
    update(&state, &admin.audit, (&id, strict), body, true).await
}

/// `DELETE /api/v1/users/{id}`: the first call deactivates, the second deletes.
pub async fn delete_user(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    lifecycle::delete(&state, &admin.audit, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/users/{id}/groups`: `Everyone` included.
pub async fn list_user_groups(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let user = load_user(&state, &id).await?;
    let groups = state.store().groups_of_user(user.id.as_str()).await?;
    Ok(Json(Value::Array(
        groups.iter().map(|g| group_json(&state, g)).collect(),
    )))
}
