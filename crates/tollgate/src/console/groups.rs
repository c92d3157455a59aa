//! Directory > Groups: `GET /admin/groups?q=` (the list, searched by the start of a name, as
//! the API's `q`), `GET /admin/groups/new` and `POST /admin/groups` (**Add group**, created as
//! `POST /api/v1/groups` creates).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};
use tollgate_core::directory::Group;
use tollgate_store::GroupQuery;

use crate::api::groups::create;
use crate::console::fields::{Field, Problems, SearchQuery, input, next_page, search_form};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::console::sections::refused;
use crate::pages::escape;
use crate::state::AppState;

const PAGE_SIZE: usize = 50;

fn group_row(g: &Group) -> String {
    format!(
        "<tr><td><a href=\"/admin/groups/{id}\">{name}</a></td><td>{description}</td><td>{kind}</td></tr>",
        id = escape(g.id.as_str()),
        name = escape(g.name()),
        description = escape(g.description().unwrap_or_default()),
        kind = g.kind.as_str(),
    )
}

/// `GET /admin/groups`.
pub async fn list(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(p): Query<SearchQuery>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ListGroups, None)
        .await?;
    let q = p.q.clone().unwrap_or_default();
    let query = GroupQuery {
        name_prefix: Some(q.trim().to_owned()).filter(|q| !q.is_empty()),
        filter: None,
        limit: PAGE_SIZE,
        after: p.after.clone().filter(|a| !a.is_empty()),
    };
    let (groups, more) = state
        .store()
        .list_groups(&query)
        .await
        .map_err(|e| error_page(e.into()))?;
    let may_add = admin.may(&state, ConsoleAction::CreateGroup, None).await?;
    let add = if may_add {
        "<p><a class=\"button\" href=\"/admin/groups/new\">Add group</a></p>"
    } else {
        ""
    };
    let table = if groups.is_empty() {
        "<p>No groups found.</p>".to_owned()
    } else {
        let rows: String = groups.iter().map(group_row).collect();
        format!(
            "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Description</th>\
             <th scope=\"col\">Type</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let last = groups.last().filter(|_| more).map(|g| g.id.as_str());
    let main = format!(
        "<h1>Groups</h1>{tabs}{add}{search}{table}{next}",
        tabs = crate::console::group_rules::group_tabs("Groups"),
        search = search_form("/admin/groups", &q),
        next = next_page("/admin/groups", &q, last),
    );
    page(&state, &admin, StatusCode::OK, "Groups", &main).await
}

/// The Add group form, holding `form`'s values and `problems`' messages.
fn add_html(admin: &ConsoleAdmin, form: Option<&Form>, problems: Option<&Problems>) -> String {
    let value = |name: &str| form.map(|f| f.get(name)).unwrap_or_default();
    let (name, description) = (value("name"), value("description"));
    let fields = [
        Field {
            name: "name",
            label: "Name",
            value: &name,
            kind: "text",
            required: true,
        },
        Field {
            name: "description",
            label: "Description",
            value: &description,
            kind: "text",
            required: false,
        },
    ];
    let inputs: String = fields.iter().map(|f| input(f, problems, "")).collect();
    let alert = problems
        .map(|p| p.alert(&["name", "description"]))
        .unwrap_or_default();
    format!(
        "<h1>Add group</h1>{alert}<form method=\"post\" action=\"/admin/groups\">{csrf}{inputs}\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Save</button>\
         <a class=\"button\" href=\"/admin/groups\">Cancel</a></div></form>",
        csrf = csrf_field(admin),
    )
}

/// `GET /admin/groups/new`.
pub async fn new(State(state): State<AppState>, admin: ConsoleAdmin) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::CreateGroup, None)
        .await?;
    let main = add_html(&admin, None, None);
    page(&state, &admin, StatusCode::OK, "Add group", &main).await
}

/// `POST /admin/groups`: creates the group, then shows its page; the form comes back with the
/// reasons when the API would refuse it.
pub async fn add(State(state): State<AppState>, post: ConsolePost) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::CreateGroup, None)
        .await?;
    let mut profile = Map::new();
    for key in ["name", "description"] {
        let v = form.get(key).trim().to_owned();
        if !v.is_empty() {
            profile.insert(key.to_owned(), Value::String(v));
        }
    }
    match create(&state, &admin.audit, profile).await {
        Ok(group) => Ok(redirect(&format!(
            "/admin/groups/{}?saved=created",
            group.id
        ))),
        Err(e) => {
            let form_html = |p: &Problems| add_html(&admin, Some(&form), Some(p));
            refused(&state, &admin, (e, "Add group"), form_html).await
        }
    }
}
