//! Directory > People: `GET /admin/people?q=` (the list, searched as the API's `q`: the start
//! of a first name, last name or email), `GET /admin/people/new` and `POST /admin/people`
//! (**Add person**, created as `POST /api/v1/users` creates).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};
use tollgate_core::directory::User;
use tollgate_store::UserQuery;

use crate::api::users::{CreateParams, UserBody, create};
use crate::console::fields::{Field, Problems, SearchQuery, input, next_page, search_form};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::console::sections::refused;
use crate::http::ApiError;
use crate::pages::escape;
use crate::state::AppState;

const PAGE_SIZE: usize = 50;

/// The fields of Add person, in Okta's order, with their labels.
const ADD_FIELDS: [(&str, &str, &str); 4] = [
    ("firstName", "First name", "text"),
    ("lastName", "Last name", "text"),
    ("login", "Username", "text"),
    ("email", "Primary email", "email"),
];

/// A person's name as the lists show it.
pub fn full_name(u: &User) -> String {
    let part = |k: &str| u.profile.get(k).and_then(Value::as_str).unwrap_or_default();
    format!("{} {}", part("firstName"), part("lastName"))
        .trim()
        .to_owned()
}

/// A table row linking to a person's page; `extra` is markup of more cells.
pub fn person_row(u: &User, extra: &str) -> String {
    let email = u.profile.get("email").and_then(Value::as_str);
    format!(
        "<tr><td><a href=\"/admin/people/{id}\">{name}</a><br>{login}</td><td>{email}</td><td>{status}</td>{extra}</tr>",
        id = escape(u.id.as_str()),
        name = escape(&full_name(u)),
        login = escape(u.login()),
        email = escape(email.unwrap_or_default()),
        status = crate::console::words::user_status(u.status),
    )
}

/// A table of people, its rows made by [`person_row`]; `extra` is markup of more headers.
pub fn people_table(rows: &str, extra: &str) -> String {
    let head = format!(
        "<th scope=\"col\">Person &amp; username</th><th scope=\"col\">Primary email</th>\
         <th scope=\"col\">Status</th>{extra}"
    );
    crate::console::assignments::table("People", &head, rows)
}

/// `GET /admin/people`.
pub async fn list(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(p): Query<SearchQuery>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ListUsers, None)
        .await?;
    let q = p.q.clone().unwrap_or_default();
    let query = UserQuery {
        q: Some(q.trim().to_owned()).filter(|q| !q.is_empty()),
        limit: PAGE_SIZE,
        after: p.after.clone().filter(|a| !a.is_empty()),
        ..UserQuery::default()
    };
    let (users, more) = state
        .store()
        .list_users(&query)
        .await
        .map_err(|e| error_page(e.into()))?;
    let may_add = admin.may(&state, ConsoleAction::CreateUser, None).await?;
    let add = if may_add {
        "<p><a class=\"button\" href=\"/admin/people/new\">Add person</a></p>"
    } else {
        ""
    };
    let rows: String = users.iter().map(|u| person_row(u, "")).collect();
    let table = if users.is_empty() {
        "<p>No people found.</p>".to_owned()
    } else {
        people_table(&rows, "")
    };
    let last = users.last().filter(|_| more).map(|u| u.id.as_str());
    let main = format!(
        "<h1>People</h1>{add}{search}{table}{next}",
        search = search_form("/admin/people", &q),
        next = next_page("/admin/people", &q, last),
    );
    page(&state, &admin, StatusCode::OK, "People", &main).await
}

/// The Add person form, filled with `form`'s values and `problems`' messages.
fn add_html(admin: &ConsoleAdmin, form: Option<&Form>, problems: Option<&Problems>) -> String {
    let value = |name: &str| form.map(|f| f.get(name)).unwrap_or_default();
    let inputs: String = ADD_FIELDS
        .iter()
        .map(|(name, label, kind)| {
            let v = value(name);
            let f = Field {
                name,
                label,
                value: &v,
                kind,
                required: true,
            };
            input(&f, problems, "")
        })
        .collect();
    let password = input(
        &Field {
            name: "password",
            label: "Password (optional)",
            value: "",
            kind: "password",
            required: false,
        },
        problems,
        "",
    );
    let later = form.is_some_and(|f| f.get("activation") == "later");
    let (now_mark, later_mark) = if later {
        ("", " checked")
    } else {
        (" checked", "")
    };
    let mut shown: Vec<&str> = ADD_FIELDS.iter().map(|f| f.0).collect();
    shown.push("password");
    let alert = problems.map(|p| p.alert(&shown)).unwrap_or_default();
    format!(
        "<h1>Add person</h1>{alert}<form method=\"post\" action=\"/admin/people\">{csrf}{inputs}{password}\
         <fieldset><legend>Activation</legend>\
         <label class=\"choice\"><input type=\"radio\" name=\"activation\" value=\"now\"{now_mark}>Activate now</label>\
         <label class=\"choice\"><input type=\"radio\" name=\"activation\" value=\"later\"{later_mark}>Activate later</label></fieldset>\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Save</button>\
         <a class=\"button\" href=\"/admin/people\">Cancel</a></div></form>",
        csrf = csrf_field(admin),
    )
}

/// `GET /admin/people/new`.
pub async fn new(State(state): State<AppState>, admin: ConsoleAdmin) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::CreateUser, None)
        .await?;
    let main = add_html(&admin, None, None);
    page(&state, &admin, StatusCode::OK, "Add person", &main).await
}

/// The body `POST /api/v1/users` would receive for the form: the profile's fields and, when
/// one was typed, the password.
fn user_body(form: &Form) -> Result<UserBody, ApiError> {
    let profile: Map<String, Value> = ADD_FIELDS
        .iter()
        .map(|(name, _, _)| {
            (
                (*name).to_owned(),
                Value::String(form.get(name).trim().to_owned()),
            )
        })
        .filter(|(_, v)| v.as_str().is_some_and(|s| !s.is_empty()))
        .collect();
    let password = form.get("password");
    let body = if password.is_empty() {
        json!({ "profile": profile })
    } else {
        json!({ "profile": profile, "credentials": { "password": { "value": password } } })
    };
    serde_json::from_value(body).map_err(|e| ApiError::internal(e.to_string()))
}

/// `POST /admin/people`: creates the person, then shows their page; the form comes back with
/// the reasons when the API would refuse it.
pub async fn add(State(state): State<AppState>, post: ConsolePost) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::CreateUser, None)
        .await?;
    let params = CreateParams::activating(form.get("activation") != "later");
    let created = match user_body(&form) {
        Ok(body) => create(&state, &admin.audit, &params, body).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(user) => Ok(redirect(&format!(
            "/admin/people/{}?saved=created",
            user.id
        ))),
        Err(e) => {
            let form_html = |p: &Problems| add_html(&admin, Some(&form), Some(p));
            refused(&state, &admin, (e, "Add person"), form_html).await
        }
    }
}
