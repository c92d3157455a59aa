//! A person's page, `GET /admin/people/{id}`: the lifecycle actions their status allows (each a
//! post to `/admin/people/{id}/lifecycle/{op}`, or `/delete`, run by the API's own lifecycle
//! functions), the profile form of their schema (`POST /admin/people/{id}/profile`, saved as
//! `PUT /api/v1/users/{id}` saves), and their groups and applications.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tollgate_core::directory::User;
use tollgate_core::schema::PropertyType;
use tollgate_store::AppQuery;

use crate::api::schemas::profiles;
use crate::api::users::lifecycle::{self, LifecycleParams};
use crate::api::users::new_password::StrictParams;
use crate::api::users::{load_user, update};
use crate::console::fields::{Field, Problems, input, link_list};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::lifecycle_buttons::actions_html;
use crate::console::list_fields::{list_text, list_value, textarea};
use crate::console::people::full_name;
use crate::console::post::ConsolePost;
use crate::console::sections::apps_section;
use crate::http::ApiError;
use crate::pages::escape;
use crate::state::AppState;

/// A profile property the form edits: name, label, whether required, its value's type.
#[derive(Debug, Clone)]
struct ProfileField {
    name: String,
    label: String,
    required: bool,
    kind: PropertyType,
    array: bool,
}

/// The fields of `user`'s profile form: the base properties in Okta's order, then the custom
/// properties of their schema (a list-valued one as one value per line).
async fn profile_fields(state: &AppState, user: &User) -> Result<Vec<ProfileField>, Response> {
    let schema = profiles::user_schema(state, user.type_id.as_deref())
        .await
        .map_err(error_page)?;
    let required = tollgate_core::schema::base_required(tollgate_core::schema::SchemaKind::User);
    let base = tollgate_core::schema::base_properties(tollgate_core::schema::SchemaKind::User);
    let mut fields: Vec<ProfileField> = base
        .iter()
        .map(|(name, def)| ProfileField {
            name: name.clone(),
            label: title(def, name),
            required: required.contains(&name.as_str()),
            kind: PropertyType::String,
            array: false,
        })
        .collect();
    fields.extend(schema.custom.iter().map(|p| ProfileField {
        name: p.name.clone(),
        label: title(&Value::Object(p.definition.clone()), &p.name),
        required: p.required,
        kind: p.kind,
        array: p.array,
    }));
    Ok(fields)
}

fn title(def: &Value, name: &str) -> String {
    def.get("title")
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_owned()
}

/// A stored value as the form shows it.
pub(super) fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// A typed value as the schema wants it; text that is not one stays text, for the schema's
/// check to name.
pub(super) fn typed(kind: PropertyType, text: &str) -> Value {
    let parsed = match kind {
        PropertyType::String => None,
        PropertyType::Integer => text.parse::<i64>().ok().map(Value::from),
        PropertyType::Number => text.parse::<f64>().ok().map(Value::from),
        PropertyType::Boolean => text.parse::<bool>().ok().map(Value::from),
    };
    parsed.unwrap_or_else(|| Value::String(text.to_owned()))
}

/// The profile after the form: the stored one with each field set, or removed when emptied.
fn edited_profile(
    stored: &Map<String, Value>,
    fields: &[ProfileField],
    form: &Form,
) -> Map<String, Value> {
    let mut profile = stored.clone();
    for f in fields {
        let text = form.get(&f.name);
        let text = text.trim();
        let value = match f.array {
            true => list_value(f.kind, text),
            false => (!text.is_empty()).then(|| typed(f.kind, text)),
        };
        match value {
            Some(v) => profile.insert(f.name.clone(), v),
            None => profile.remove(&f.name),
        };
    }
    profile
}

/// What the page shows after a post.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    saved: Option<String>,
}

fn notice(shown: &Shown) -> String {
    let words = match shown.saved.as_deref() {
        Some("created") => "Person added.",
        Some("profile") => "Profile saved.",
        Some(_) => "Done.",
        None => return String::new(),
    };
    format!("<p role=\"status\" class=\"notice\">{words}</p>")
}

fn profile_form(
    admin: &ConsoleAdmin,
    user: &User,
    fields: &[ProfileField],
    (form, problems): (Option<&Form>, Option<&Problems>),
    may_save: bool,
) -> String {
    let disabled = if may_save { "" } else { " disabled" };
    let inputs: String = fields
        .iter()
        .map(|f| {
            let value = match form {
                Some(form) => form.get(&f.name),
                None if f.array => list_text(user.profile.get(&f.name)),
                None => shown(user.profile.get(&f.name)),
            };
            let kind = if f.name.ends_with("mail") {
                "email"
            } else {
                "text"
            };
            let field = Field {
                name: &f.name,
                label: &f.label,
                value: &value,
                kind,
                required: f.required,
            };
            match f.array {
                true => textarea(&field, problems, disabled),
                false => input(&field, problems, disabled),
            }
        })
        .collect();
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let alert = problems.map(|p| p.alert(&names)).unwrap_or_default();
    let note = if may_save {
        ""
    } else {
        "<p>Your admin role can view this profile but not change it.</p>"
    };
    format!(
        "<h2>Profile</h2>{note}{alert}<form method=\"post\" action=\"/admin/people/{id}/profile\">{csrf}{inputs}\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\"{disabled}>Save</button></div></form>",
        id = escape(user.id.as_str()),
        csrf = csrf_field(admin),
    )
}

/// The person's groups, each linking to its page.
async fn groups_html(state: &AppState, user: &User) -> Result<String, Response> {
    let groups = state
        .store()
        .groups_of_user(user.id.as_str())
        .await
        .map_err(|e| error_page(e.into()))?;
    let links = groups
        .iter()
        .map(|g| (format!("/admin/groups/{}", g.id), g.name()));
    Ok(format!("<h2>Groups</h2>{}", link_list(links, "No groups.")))
}

/// The apps assigned to the person, directly or through a group (first 200), for an admin who
/// may list apps.
async fn apps_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    user: &User,
) -> Result<String, Response> {
    if !admin.may(state, ConsoleAction::ListApps, None).await? {
        return Ok(String::new());
    }
    let query = AppQuery {
        user_id: Some(user.id.as_str().to_owned()),
        ..AppQuery::default()
    };
    apps_section(state, query).await
}

/// The page of `user`, the profile form holding `form` and its `problems` after a refused save.
async fn render(
    state: &AppState,
    admin: &ConsoleAdmin,
    user: &User,
    (status, top): (StatusCode, String),
    (form, problems): (Option<&Form>, Option<&Problems>),
) -> Result<Response, Response> {
    let id = user.id.as_str();
    let may_save = admin.may(state, ConsoleAction::SaveUser, Some(id)).await?;
    let fields = profile_fields(state, user).await?;
    let name = full_name(user);
    let main = format!(
        "<h1>{name}</h1><p>{login} &middot; Status: <strong>{status}</strong></p>{top}{actions}{profile}{groups}{apps}",
        name = escape(&name),
        login = escape(user.login()),
        status = crate::console::words::user_status(user.status),
        actions = actions_html(state, admin, user).await?,
        profile = profile_form(admin, user, &fields, (form, problems), may_save),
        groups = groups_html(state, user).await?,
        apps = apps_html(state, admin, user).await?,
    );
    page(state, admin, status, &name, &main).await
}

/// `GET /admin/people/{id}`.
pub async fn show(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ViewUser, Some(&id))
        .await?;
    let user = load_user(&state, &id).await.map_err(error_page)?;
    let top = (StatusCode::OK, notice(&shown));
    render(&state, &admin, &user, top, (None, None)).await
}

/// `POST /admin/people/{id}/profile`: the fields replace the profile's; a refused profile
/// comes back with the messages next to their fields.
pub async fn save_profile(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::SaveUser, Some(&id))
        .await?;
    let user = load_user(&state, &id).await.map_err(error_page)?;
    let fields = profile_fields(&state, &user).await?;
    let profile = edited_profile(&user.profile, &fields, &form);
    let saved = match serde_json::from_value(json!({ "profile": profile })) {
        Ok(body) => {
            let strict = StrictParams::default();
            update(&state, &admin.audit, (user.id.as_str(), strict), body, true).await
        }
        Err(e) => Err(ApiError::internal(e.to_string())),
    };
    match saved {
        Ok(_) => Ok(redirect(&format!(
            "/admin/people/{}?saved=profile",
            user.id
        ))),
        Err(e) => match Problems::of_error(&e) {
            Some(problems) => {
                let top = (StatusCode::UNPROCESSABLE_ENTITY, String::new());
                render(&state, &admin, &user, top, (Some(&form), Some(&problems))).await
            }
            None => Err(error_page(e)),
        },
    }
}

/// `POST /admin/people/{id}/lifecycle/{op}`: one of the operations the page offers.
pub async fn run_lifecycle(
    State(state): State<AppState>,
    Path((id, op)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let Some(op) = crate::console::lifecycle_buttons::known(&op) else {
        return Err(error_page(ApiError::not_found(&op, "Operation")));
    };
    let action = ConsoleAction::UserLifecycle(op);
    let (admin, _) = post.permitted(&state, action, Some(&id)).await?;
    let user = load_user(&state, &id).await.map_err(error_page)?;
    let params = LifecycleParams::default();
    let done = lifecycle::run(&state, &admin.audit, (user.id.as_str(), op), params).await;
    // The answer (an activation or reset link, when not e-mailed) is for API callers.
    drop(done.map_err(error_page)?);
    Ok(redirect(&format!("/admin/people/{}?saved={op}", user.id)))
}

/// `POST /admin/people/{id}/delete`: deletes a deactivated person, then shows People.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _) = post
        .permitted(&state, ConsoleAction::DeleteUser, Some(&id))
        .await?;
    let user = load_user(&state, &id).await.map_err(error_page)?;
    if user.status != tollgate_core::directory::UserStatus::Deprovisioned {
        let e = ApiError::invalid("status", "Only a deactivated person can be deleted.");
        return Err(error_page(e));
    }
    lifecycle::delete(&state, &admin.audit, user.id.as_str())
        .await
        .map_err(error_page)?;
    Ok(redirect("/admin/people"))
}
