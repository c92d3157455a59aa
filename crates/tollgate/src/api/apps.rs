//! `/api/v1/apps`: create (`POST`), list (`q`, `filter`, `expand=user/{userId}`, paging), get, replace (`PUT`, and
//! `POST /api/v1/apps/{appId}` as Tollgate's alias of it), delete, and
//! `POST /api/v1/apps/{appId}/lifecycle/{activate,deactivate}`. Assignments are in
//! [`assignments`].
//!
//! Okta reference: Applications API ("Create an application", "Replace an application",
//! "Activate/Deactivate an application"); Tollgate reference `management-api.md` section 3.

pub mod assign;
pub mod assignments;
pub mod client_secrets;
mod csrs;
mod cursor;
pub mod grants;
pub mod json;
pub mod keys;
mod links;
pub mod logo;
mod shared_credentials;
mod template_json;
mod user_credentials;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::app::{App, AppDraft, AppFilter, AppStatus, Saved};
use tollgate_core::id::AppId;
use tollgate_core::log::Entity;
use tollgate_store::AppQuery;

use crate::api::json::page_response;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::error::already_exists;
use crate::http::pagination::PageRequest;
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;
use json::{AppBody, app_json, app_user_json};

/// Query parameters of `POST /api/v1/apps`.
#[derive(Debug, Default, Deserialize)]
pub struct CreateParams {
    activate: Option<String>,
}

/// Query parameters of `GET /api/v1/apps`.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    q: Option<String>,
    filter: Option<String>,
    limit: Option<String>,
    after: Option<String>,
    expand: Option<String>,
    /// Accepted as Okta does: deleted apps are gone here, so there is nothing to include.
    #[serde(rename = "includeNonDeleted")]
    _include_non_deleted: Option<String>,
}

/// `expand=user/{userId}`, the one expansion the app list has; anything else is Okta's
/// "Expand query is malformed.".
fn embedded_user(expand: Option<&str>) -> ApiResult<Option<&str>> {
    match expand.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) => match e.strip_prefix("user/") {
            Some(id) if !id.is_empty() && !id.contains([',', '/']) => Ok(Some(id)),
            _ => {
                let mut err = ApiError::with_summary(
                    OktaCode::E0000001,
                    "Api validation failed: RequestParams",
                );
                err.causes.push("Expand query is malformed.".to_owned());
                Err(err)
            }
        },
    }
}

/// Loads an app or answers `E0000007 ... (AppInstance)`.
pub async fn load_app(state: &AppState, id: &str) -> ApiResult<App> {
    state
        .store()
        .find_app(id)
        .await?
        .ok_or_else(|| ApiError::not_found(id, "AppInstance"))
}

/// A taken `client_id` is a validation failure, as Okta reports a taken unique field.
fn save_error(e: tollgate_store::Error) -> ApiError {
    match e {
        tollgate_store::Error::Conflict { .. } => already_exists("client_id"),
        other => other.into(),
    }
}

/// `POST /api/v1/apps?activate=true`.
pub async fn create_app(
    State(state): State<AppState>,
    admin: Admin,
    OktaQuery(p): OktaQuery<CreateParams>,
    OktaJson(body): OktaJson<AppBody>,
) -> ApiResult<Json<Value>> {
    let activate = p
        .activate
        .as_deref()
        .is_none_or(|v| !v.trim().eq_ignore_ascii_case("false"));
    let saved = save_new(&state, &admin.audit, body, activate).await?;
    Ok(Json(app_json(&state, &saved.app, saved.secret.as_ref())))
}

/// Creates the app a create body describes, as `POST /api/v1/apps` does (the console's
/// Create App Integration too), with its System Log event.
pub async fn save_new(
    state: &AppState,
    audit: &Audit,
    body: AppBody,
    activate: bool,
) -> ApiResult<Saved> {
    let id = AppId::generate();
    let draft = shared_credentials::app_draft(state, id.as_str(), body)?;
    let mut saved = App::create(id, draft, activate, state.clock().now())?;
    keys::settle_signing_key(state, &mut saved.app).await?;
    let event = audit
        .event(
            "application.lifecycle.create",
            "Add application",
            saved.app.created,
        )
        .target(Entity::app(&saved.app));
    state
        .store()
        .insert_app(&saved.app, &[event])
        .await
        .map_err(save_error)?;
    saved.app.policies = state.store().app_policies(saved.app.id.as_str()).await?;
    Ok(saved)
}

/// `GET /api/v1/apps`: default 20 per page, at most 200.
pub async fn list_apps(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    OktaQuery(p): OktaQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    let embed_user = embedded_user(p.expand.as_deref())?;
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 20, 200);
    cursor::check_app_cursor(&state, page.after.as_deref()).await?;
    let mut query = AppQuery {
        after: page.after,
        limit: page.limit,
        prefix: p.q.filter(|q| !q.trim().is_empty()),
        ..AppQuery::default()
    };
    match p.filter.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        None => {}
        Some(text) => match AppFilter::parse(text) {
            Some(AppFilter::Status(s)) => query.status = Some(s),
            Some(AppFilter::Name(n)) => query.name = Some(n),
            Some(AppFilter::User(u)) => query.user_id = Some(u.into_string()),
            Some(AppFilter::Group(g)) => query.group_id = Some(g.into_string()),
            Some(AppFilter::SigningKid(k)) => query.signing_kid = Some(k),
            None => return Err(ApiError::new(OktaCode::E0000031)),
        },
    }
    let (apps, more) = state.store().list_apps(&query).await?;
    // `expand=user/{userId}` embeds that user's assignment to each app (Okta pairs it with the
    // `user.id` filter).
    let mut rendered = Vec::with_capacity(apps.len());
    for app in &apps {
        let mut item = app_json(&state, app, None);
        if let Some(user_id) = embed_user
            && let Some(au) = state
                .store()
                .find_app_user(app.id.as_str(), user_id)
                .await?
        {
            embed(&mut item, "user", app_user_json(&state, &au));
        }
        rendered.push(item);
    }
    Ok(paged(
        &state,
        &uri,
        &apps,
        more,
        |a| a.id.to_string(),
        rendered,
    ))
}

/// Adds `_embedded.{key}` to a rendered object.
fn embed(item: &mut Value, key: &str, embedded: Value) {
    if let Some(obj) = item.as_object_mut() {
        obj.insert("_embedded".into(), json!({ key: embedded }));
    }
}

/// One page of apps answered with `Link` headers.
pub async fn apps_page(
    state: &AppState,
    uri: &Uri,
    query: &AppQuery,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    cursor::check_app_cursor(state, query.after.as_deref()).await?;
    let (apps, more) = state.store().list_apps(query).await?;
    let rendered = apps.iter().map(|a| app_json(state, a, None)).collect();
    Ok(paged(
        state,
        uri,
        &apps,
        more,
        |a| a.id.to_string(),
        rendered,
    ))
}

/// A page answered with `Link` headers: `rendered` are the `items` in Okta's shape, and the next
/// page starts after the `cursor` of the last item when `more` follow.
pub fn paged<T>(
    state: &AppState,
    uri: &Uri,
    items: &[T],
    more: bool,
    cursor: impl Fn(&T) -> String,
    rendered: Vec<Value>,
) -> (HeaderMap, Json<Value>) {
    let next = more.then(|| items.last().map(&cursor)).flatten();
    page_response(state, uri, rendered, next.as_deref())
}

/// `GET /api/v1/apps/{appId}`.
pub async fn get_app(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(app_json(&state, &load_app(&state, &id).await?, None)))
}

/// `PUT /api/v1/apps/{appId}`, and `POST /api/v1/apps/{appId}` (the groups-claim guide updates
/// an app that way): the rules of a replacement are in [`App::replace`].
pub async fn replace_app(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    OktaJson(body): OktaJson<AppBody>,
) -> ApiResult<Json<Value>> {
    let app = load_app(&state, &id).await?;
    let draft = shared_credentials::app_draft(&state, app.id.as_str(), body)?;
    let saved = save_replacement(&state, &admin.audit, &app, draft).await?;
    Ok(Json(app_json(&state, &saved.app, saved.secret.as_ref())))
}

/// Replaces `app` by `draft` and saves it with its `application.lifecycle.update` event: what
/// every change to an app's main record goes through (the API's replace and the console).
pub async fn save_replacement(
    state: &AppState,
    audit: &Audit,
    app: &App,
    draft: AppDraft,
) -> ApiResult<Saved> {
    let mut saved = app.replace(draft, state.clock().now())?;
    keys::settle_signing_key(state, &mut saved.app).await?;
    let event = audit
        .event(
            "application.lifecycle.update",
            "Update application",
            saved.app.last_updated,
        )
        .target(Entity::app(&saved.app));
    match state.store().update_app(&saved.app, &[event]).await {
        Err(tollgate_store::Error::NotFound) => {
            Err(ApiError::not_found(app.id.as_str(), "AppInstance"))
        }
        other => other.map_err(ApiError::from),
    }?;
    Ok(saved)
}

/// `DELETE /api/v1/apps/{appId}`: only a deactivated app may go.
pub async fn delete_app(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let app = load_app(&state, &id).await?;
    let event = admin
        .event(
            "application.lifecycle.delete",
            "Delete application",
            state.clock().now(),
        )
        .target(Entity::app(&app));
    if !app.can_delete() || !state.store().delete_inactive_app(&id, &[event]).await? {
        let mut e = ApiError::new(OktaCode::E0000056);
        e.causes
            .push("The application must be deactivated before deletion.".to_owned());
        return Err(e);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/apps/{appId}/lifecycle/activate`: `{}`; activating an active app is a no-op.
pub async fn activate_app(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    set_status(&state, &admin, &id, AppStatus::Active).await
}

/// `POST /api/v1/apps/{appId}/lifecycle/deactivate`: `{}`.
pub async fn deactivate_app(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    set_status(&state, &admin, &id, AppStatus::Inactive).await
}

async fn set_status(
    state: &AppState,
    admin: &Admin,
    id: &str,
    status: AppStatus,
) -> ApiResult<Json<Value>> {
    let app = load_app(state, id).await?;
    let now = state.clock().now();
    let (kind, message) = match status {
        AppStatus::Active => ("application.lifecycle.activate", "Activate application"),
        AppStatus::Inactive => ("application.lifecycle.deactivate", "Deactivate application"),
    };
    let event = admin.event(kind, message, now).target(Entity::app(&app));
    state
        .store()
        .set_app_status(id, status, now, &[event])
        .await?;
    Ok(Json(json!({})))
}
