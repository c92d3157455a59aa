//! A server's Scopes tab, `GET /admin/authorization-servers/{id}/scopes`: the scopes, **Add
//! Scope** (Name, Display phrase, Description, default scope, consent, metadata; created as
//! `POST …/scopes` creates), Edit (see `scope_edit`) and Delete for a scope that is not a
//! system scope.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tollgate_core::authz::{Consent, Scope, ScopeInput};
use tollgate_core::server::AuthServer;
use tollgate_store::ScopeQuery;

use super::controls::{checkbox, text};
use super::{accept, changed, open, path_of, renamed, tab_page};
use crate::api::authorization_servers::scopes::{create, delete as delete_scope};
use crate::console::fields::{Problems, input, post_button};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page};
use crate::console::post::ConsolePost;
use crate::pages::escape;
use crate::state::AppState;

fn yes(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

fn row(server: &AuthServer, s: &Scope, delete: Option<&str>) -> String {
    let edit = format!(
        "<a href=\"{}\" aria-label=\"Edit {name}\">Edit</a> ",
        escape(&path_of(server, &format!("/scopes/{}", s.id))),
        name = escape(&s.name),
    );
    let button = match delete {
        Some(csrf) if !s.system => {
            let path = path_of(server, &format!("/scopes/{}/delete", s.id));
            let delete = post_button(&path, csrf, &format!("Delete {}", s.name), "");
            format!("{edit}{delete}")
        }
        _ => edit,
    };
    format!(
        "<tr><td><code>{name}</code></td><td>{display}</td><td>{description}</td><td>{default}</td>\
         <td>{consent}</td><td>{system}</td><td>{button}</td></tr>",
        name = escape(&s.name),
        display = escape(s.display_name.as_deref().unwrap_or_default()),
        description = escape(s.description.as_deref().unwrap_or_default()),
        default = yes(s.default),
        consent = match s.consent {
            Consent::Implicit => "Implicit",
            Consent::Required => "Required",
            Consent::Flexible => "Flexible",
        },
        system = yes(s.system),
    )
}

/// The Add Scope form, holding `form`'s values and `problems`' messages.
fn add_html(
    admin: &ConsoleAdmin,
    server: &AuthServer,
    form: Option<&Form>,
    problems: Option<&Problems>,
) -> String {
    let value = |name: &str| form.map(|f| f.get(name)).unwrap_or_default();
    let (name, display, description) = (value("name"), value("displayName"), value("description"));
    let fields = [
        text("name", "Name", &name, true),
        text("displayName", "Display phrase", &display, false),
        text("description", "Description", &description, false),
    ];
    let inputs: String = fields.iter().map(|f| input(f, problems, "")).collect();
    let checked = |name: &str| value(name) == "on";
    let alert = problems
        .map(|p| p.alert(&["name", "displayName", "description"]))
        .unwrap_or_default();
    format!(
        "<section aria-labelledby=\"add-scope\"><h2 id=\"add-scope\">Add Scope</h2>{alert}\
         <form method=\"post\" action=\"{action}\">{csrf}{inputs}\
         <fieldset><legend>Options</legend>{default}{consent}{metadata}</fieldset>\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Add Scope</button></div></form></section>",
        action = escape(&path_of(server, "/scopes")),
        csrf = csrf_field(admin),
        default = checkbox("default", "Set as a default scope", checked("default")),
        consent = checkbox(
            "consent",
            "Require user consent for this scope",
            checked("consent")
        ),
        metadata = checkbox(
            "metadataPublish",
            "Include in public metadata",
            checked("metadataPublish")
        ),
    )
}

/// The whole tab; `add` is the Add Scope form after a refusal.
async fn render(
    state: &AppState,
    admin: &ConsoleAdmin,
    server: &AuthServer,
    status: StatusCode,
    add: (Option<&Form>, Option<&Problems>),
) -> Result<Response, Response> {
    let query = ScopeQuery {
        name_prefix: None,
        limit: 200,
        after: None,
    };
    let (scopes, _) = state
        .store()
        .list_scopes(server.id.as_str(), &query)
        .await
        .map_err(|e| error_page(e.into()))?;
    let id = Some(server.id.as_str());
    let may_add = admin.may(state, ConsoleAction::CreateScope, id).await?;
    let may_delete = admin.may(state, ConsoleAction::DeleteScope, id).await?;
    let csrf = csrf_field(admin);
    let delete = may_delete.then_some(csrf.as_str());
    let rows: String = scopes.iter().map(|s| row(server, s, delete)).collect();
    let form = if may_add {
        add_html(admin, server, add.0, add.1)
    } else {
        "<p>Your admin role can view these scopes but not change them.</p>".to_owned()
    };
    let body = format!(
        "<h2>Scopes</h2><table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Display phrase</th>\
         <th scope=\"col\">Description</th><th scope=\"col\">Default scope</th><th scope=\"col\">Consent</th>\
         <th scope=\"col\">System</th><th scope=\"col\">Actions</th></tr></thead><tbody>{rows}</tbody></table>{form}"
    );
    tab_page(state, admin, (server, "Scopes"), status, &body).await
}

/// `GET /admin/authorization-servers/{id}/scopes`.
pub async fn list(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::ListScopes, &id).await?;
    render(&state, &admin, &server, StatusCode::OK, (None, None)).await
}

/// The scope typed into the form, as the API's input.
fn scope_input(form: &Form) -> ScopeInput {
    let optional = |name: &str| Some(form.get(name).trim().to_owned()).filter(|v| !v.is_empty());
    let on = |name: &str| form.get(name) == "on";
    ScopeInput {
        name: Some(form.get("name").trim().to_owned()),
        display_name: optional("displayName"),
        description: optional("description"),
        default: Some(on("default")),
        optional: None,
        consent: Some(
            if on("consent") {
                "REQUIRED"
            } else {
                "IMPLICIT"
            }
            .to_owned(),
        ),
        metadata_publish: Some(
            if on("metadataPublish") {
                "ALL_CLIENTS"
            } else {
                "NO_CLIENTS"
            }
            .to_owned(),
        ),
    }
}

/// `POST /admin/authorization-servers/{id}/scopes`: adds the scope.
pub async fn add(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form, server) = accept(&state, post, ConsoleAction::CreateScope, &id).await?;
    let e = match create(&state, &admin.audit, &id, &scope_input(&form)).await {
        Ok(_) => return Ok(changed(&state, &path_of(&server, "/scopes"))),
        Err(e) => renamed(e, &[]),
    };
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render(
        &state,
        &admin,
        &server,
        status,
        (Some(&form), Some(&problems)),
    )
    .await
}

/// `POST /admin/authorization-servers/{id}/scopes/{scopeId}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    Path((id, scope)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _, server) = accept(&state, post, ConsoleAction::DeleteScope, &id).await?;
    delete_scope(&state, &admin.audit, &id, &scope)
        .await
        .map_err(error_page)?;
    Ok(changed(&state, &path_of(&server, "/scopes")))
}
