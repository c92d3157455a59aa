//! The posts of an app's Assignments tab: **Assign to People** (by username, with the user name
//! and password a password-keeping app stores for them), **Assign to Groups** (by name), and
//! **Remove** of each. Each becomes the body an SDK would send and runs the API's own function,
//! with its rules, errors and System Log events.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};
use tollgate_core::app::App;
use tollgate_core::scim::{Filter, Literal, Op};
use tollgate_store::GroupQuery;

use crate::api::apps::assign;
use crate::api::apps::load_app;
use crate::console::assignments::{Shown, Typed, app_credentials, render};
use crate::console::fields::Problems;
use crate::console::guard::{ConsoleAction, Form};
use crate::console::layout::{error_page, redirect};
use crate::console::post::ConsolePost;
use crate::http::{ApiError, OktaCode};
use crate::state::AppState;

/// The body of `POST /api/v1/apps/{id}/users` for what the form says: the credentials the app
/// keeps, each only when typed.
fn person_body(app: &App, user_id: &str, form: &Form) -> Value {
    let (takes_name, takes_password) = app_credentials(app);
    let mut credentials = Map::new();
    let user_name = form.get("userName");
    if takes_name && !user_name.trim().is_empty() {
        credentials.insert("userName".into(), json!(user_name.trim()));
    }
    let password = form.get("password");
    if takes_password && !password.is_empty() {
        credentials.insert("password".into(), json!({"value": password}));
    }
    let mut body = Map::new();
    body.insert("id".into(), json!(user_id));
    body.insert("scope".into(), json!("USER"));
    if !credentials.is_empty() {
        body.insert("credentials".into(), Value::Object(credentials));
    }
    Value::Object(body)
}

/// The page again, 422, with the refused form's problems (or the error page when the refusal
/// is not about what was typed).
async fn refused(
    state: &AppState,
    admin: &crate::console::guard::ConsoleAdmin,
    app: &App,
    e: ApiError,
    typed: impl FnOnce(Problems) -> Typed,
) -> Result<Response, Response> {
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let shown = (StatusCode::UNPROCESSABLE_ENTITY, &Shown::default());
    render(state, admin, app, shown, &typed(problems)).await
}

fn bad_body() -> Response {
    error_page(ApiError::new(OktaCode::E0000003))
}

/// `POST /admin/apps/{id}/assignments/people`.
pub async fn assign_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::AssignUser, Some(&id))
        .await?;
    let app = load_app(&state, &id).await.map_err(error_page)?;
    let login = form.get("login");
    let typed = |person| Typed {
        login: login.clone(),
        user_name: form.get("userName"),
        person: Some(person),
        ..Typed::default()
    };
    let found = match login.trim() {
        "" => None,
        l => state
            .store()
            .find_user(l)
            .await
            .map_err(|e| error_page(e.into()))?,
    };
    let Some(user) = found else {
        let e = ApiError::invalid("login", "No person has this username.");
        return refused(&state, &admin, &app, e, typed).await;
    };
    let body = serde_json::from_value(person_body(&app, user.id.as_str(), &form))
        .map_err(|_| bad_body())?;
    match assign::assign_user(&state, &admin.audit, &app, (user.id.as_str(), body)).await {
        Ok(_) => Ok(redirect(&format!(
            "/admin/apps/{id}/assignments?saved=person"
        ))),
        Err(e) => refused(&state, &admin, &app, e, typed).await,
    }
}

/// The group named `name` exactly (ignoring case), if any.
async fn group_named(state: &AppState, name: &str) -> Result<Option<String>, Response> {
    let query = GroupQuery {
        filter: Some(Filter::Cmp {
            attr: "profile.name".into(),
            op: Op::Eq,
            value: Literal::Str(name.to_owned()),
        }),
        limit: 1,
        ..GroupQuery::default()
    };
    let (groups, _) = state
        .store()
        .list_groups(&query)
        .await
        .map_err(|e| error_page(e.into()))?;
    Ok(groups.first().map(|g| g.id.as_str().to_owned()))
}

/// `POST /admin/apps/{id}/assignments/groups`.
pub async fn assign_group(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::AssignGroup, Some(&id))
        .await?;
    let app = load_app(&state, &id).await.map_err(error_page)?;
    let name = form.get("group");
    let typed = |problems| Typed {
        group: name.clone(),
        group_problems: Some(problems),
        ..Typed::default()
    };
    let found = match name.trim() {
        "" => None,
        n => group_named(&state, n).await?,
    };
    let Some(group_id) = found else {
        let e = ApiError::invalid("group", "No group has this name.");
        return refused(&state, &admin, &app, e, typed).await;
    };
    let body = serde_json::from_value(json!({})).map_err(|_| bad_body())?;
    match assign::assign_group(&state, &admin.audit, &app, (&group_id, body)).await {
        Ok(_) => Ok(redirect(&format!(
            "/admin/apps/{id}/assignments?saved=group"
        ))),
        Err(e) => refused(&state, &admin, &app, e, typed).await,
    }
}

/// `POST /admin/apps/{id}/assignments/people/{userId}/remove`.
pub async fn remove_person(
    State(state): State<AppState>,
    Path((id, user_id)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _) = post
        .permitted(&state, ConsoleAction::UnassignUser, Some(&id))
        .await?;
    let app = load_app(&state, &id).await.map_err(error_page)?;
    assign::unassign_user(&state, &admin.audit, &app, &user_id)
        .await
        .map_err(error_page)?;
    Ok(redirect(&format!(
        "/admin/apps/{id}/assignments?saved=removed"
    )))
}

/// `POST /admin/apps/{id}/assignments/groups/{groupId}/remove`.
pub async fn remove_group(
    State(state): State<AppState>,
    Path((id, group_id)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _) = post
        .permitted(&state, ConsoleAction::UnassignGroup, Some(&id))
        .await?;
    let app = load_app(&state, &id).await.map_err(error_page)?;
    assign::unassign_group(&state, &admin.audit, &app, &group_id)
        .await
        .map_err(error_page)?;
    Ok(redirect(&format!(
        "/admin/apps/{id}/assignments?saved=removed"
    )))
}
