//! An OAuth client's secrets: `/api/v1/apps/{appId}/credentials/secrets` (list, create, get,
//! delete) and `.../{secretId}/lifecycle/{activate,deactivate}`. The rules are
//! [`ClientSecrets`]'; a change is saved only over the secrets it was computed from, and is
//! recomputed when another change got there first.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tollgate_core::app::App;
use tollgate_core::app::client_secrets::{ClientSecret, ClientSecrets, SecretStatus};
use tollgate_core::log::Entity;
use tollgate_core::secret::Secret;

use super::load_app;
use crate::http::audit::Audit;
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// Attempts at a change when other changes keep getting there first.
const ATTEMPTS: usize = 5;

/// A secret as Okta shows it; `shown` is the secret itself, in the answer that created it.
fn secret_json(state: &AppState, app_id: &str, s: &ClientSecret, shown: Option<&Secret>) -> Value {
    let base = format!("/api/v1/apps/{app_id}/credentials/secrets/{}", s.id);
    let post = |path: &str| json!({"href": state.link(&format!("{base}/{path}")), "hints": {"allow": ["POST"]}});
    let mut links = Map::new();
    match s.status {
        SecretStatus::Active => {
            links.insert("deactivate".into(), post("lifecycle/deactivate"));
        }
        SecretStatus::Inactive => {
            links.insert("activate".into(), post("lifecycle/activate"));
            links.insert(
                "delete".into(),
                json!({"href": state.link(&base), "hints": {"allow": ["DELETE"]}}),
            );
        }
    }
    let mut v = json!({
        "id": s.id,
        "status": s.status.as_str(),
        "client_secret": shown.map_or(s.hint.as_str(), Secret::expose),
        "created": tollgate_core::Timestamp::from_millis(s.created),
        "lastUpdated": tollgate_core::Timestamp::from_millis(s.last_updated),
        "_links": links,
    });
    if !s.hash.is_empty()
        && let Some(o) = v.as_object_mut()
    {
        o.insert("secret_hash".into(), json!(s.hash));
    }
    v
}

/// The OAuth client `app_id`; other kinds of app have no client secrets.
async fn load_client(state: &AppState, app_id: &str) -> ApiResult<App> {
    let app = load_app(state, app_id).await?;
    if app.template.is_some() {
        return Err(ApiError::not_found(app_id, "OAuth2Client"));
    }
    Ok(app)
}

/// Applies `change` to the app's secrets and saves the result over what it was computed from,
/// recomputing when another change was saved in between.
pub(crate) async fn change_secrets<T>(
    state: &AppState,
    audit: &Audit,
    app_id: &str,
    what: &str,
    change: impl Fn(&App, &mut ClientSecrets) -> Result<T, tollgate_core::Error>,
) -> ApiResult<(App, T)> {
    for _ in 0..ATTEMPTS {
        let app = load_client(state, app_id).await?;
        let before = app.credentials.secrets.clone();
        let mut after = before.clone();
        let result = change(&app, &mut after)?;
        let now = state.clock().now();
        let event = audit
            .event("application.lifecycle.update", "Update application", now)
            .target(Entity::app(&app))
            .debug("clientSecretChange", what);
        match state
            .store()
            .set_client_secrets(app.id.as_str(), &before, &after, now, &[event])
            .await
        {
            Ok(()) => return Ok((app, result)),
            Err(tollgate_store::Error::Stale) => continue,
            Err(tollgate_store::Error::NotFound) => {
                return Err(ApiError::not_found(app_id, "AppInstance"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::from(tollgate_store::Error::Busy))
}

/// `GET /api/v1/apps/{appId}/credentials/secrets`.
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Path(app_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let app = load_client(&state, &app_id).await?;
    let id = app.id.as_str();
    let all = app.credentials.secrets.iter();
    Ok(Json(Value::Array(
        all.map(|s| secret_json(&state, id, s, None)).collect(),
    )))
}

/// `GET /api/v1/apps/{appId}/credentials/secrets/{secretId}`.
pub async fn get(
    State(state): State<AppState>,
    _admin: Admin,
    Path((app_id, secret_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let app = load_client(&state, &app_id).await?;
    let s = app.credentials.secrets.find(&secret_id)?;
    Ok(Json(secret_json(&state, app.id.as_str(), s, None)))
}

/// The body of a new secret: the secret to use (else one is generated) and its status.
#[derive(Debug, Default, Deserialize)]
pub struct NewSecretBody {
    client_secret: Option<String>,
    status: Option<String>,
}

/// `POST /api/v1/apps/{appId}/credentials/secrets`: 201 with the secret, shown only here.
pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    Path(app_id): Path<String>,
    OktaJson(body): OktaJson<NewSecretBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (app, (record, secret)) =
        change_secrets(&state, &admin.audit, &app_id, "create", |app, s| {
            let chosen = body.client_secret.clone().map(Secret::new);
            let method = app.credentials.auth_method;
            s.add(chosen, body.status.as_deref(), method, state.clock().now())
        })
        .await?;
    let v = secret_json(&state, app.id.as_str(), &record, Some(&secret));
    Ok((StatusCode::CREATED, Json(v)))
}

/// `POST .../secrets/{secretId}/lifecycle/activate`.
pub async fn activate(
    state: State<AppState>,
    admin: Admin,
    path: Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    set_status(state, admin, path, SecretStatus::Active).await
}

/// `POST .../secrets/{secretId}/lifecycle/deactivate`.
pub async fn deactivate(
    state: State<AppState>,
    admin: Admin,
    path: Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    set_status(state, admin, path, SecretStatus::Inactive).await
}

async fn set_status(
    State(state): State<AppState>,
    admin: Admin,
    Path((app_id, secret_id)): Path<(String, String)>,
    status: SecretStatus,
) -> ApiResult<Json<Value>> {
    let what = match status {
        SecretStatus::Active => "activate",
        SecretStatus::Inactive => "deactivate",
    };
    let (app, record) = change_secrets(&state, &admin.audit, &app_id, what, |_, s| {
        s.set_status(&secret_id, status, state.clock().now())
    })
    .await?;
    Ok(Json(secret_json(&state, app.id.as_str(), &record, None)))
}

/// `DELETE /api/v1/apps/{appId}/credentials/secrets/{secretId}`: only an inactive secret.
pub async fn delete(
    State(state): State<AppState>,
    admin: Admin,
    Path((app_id, secret_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    change_secrets(&state, &admin.audit, &app_id, "delete", |_, s| {
        s.remove(&secret_id)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The client secret routes.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get as get_route, post};
    const ONE: &str = "/api/v1/apps/{id}/credentials/secrets/{secret_id}";
    axum::Router::new()
        .route(
            "/api/v1/apps/{id}/credentials/secrets",
            get_route(list).post(create),
        )
        .route(ONE, get_route(get).delete(delete))
        .route(&format!("{ONE}/lifecycle/activate"), post(activate))
        .route(&format!("{ONE}/lifecycle/deactivate"), post(deactivate))
}
