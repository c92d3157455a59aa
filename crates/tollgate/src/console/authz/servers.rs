//! `GET /admin/authorization-servers`: the custom authorization servers (the built-in `default`
//! among them; the org server is not one, as in Okta), each with its audience, issuer and
//! status; `GET …/new` and `POST /admin/authorization-servers`: **Add Authorization Server**
//! (Name, Audience, Description), created as `POST /api/v1/authorizationServers` creates.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use tollgate_core::authz::ServerInput;
use tollgate_core::server::AuthServer;
use tollgate_store::AuthServerQuery;

use super::controls::{actions, text};
use super::{BASE, changed, path_of, split_list, status_words};
use crate::api::authorization_servers::create;
use crate::console::fields::{Problems, input};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page, page};
use crate::console::post::ConsolePost;
use crate::console::sections::refused;
use crate::pages::escape;
use crate::state::AppState;

fn row(state: &AppState, s: &AuthServer) -> String {
    let issuer = state.link(&format!("/oauth2/{}", s.id));
    format!(
        "<tr><td><a href=\"{path}\">{name}</a></td><td>{aud}</td><td><code>{issuer}</code></td><td>{status}</td></tr>",
        path = escape(&path_of(s, "")),
        name = escape(&s.name),
        aud = escape(&s.audiences.join(", ")),
        issuer = escape(&issuer),
        status = status_words(s.status),
    )
}

/// `GET /admin/authorization-servers`.
pub async fn list(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ListAuthServers, None)
        .await?;
    let query = AuthServerQuery {
        prefix: None,
        limit: 200,
        after: None,
    };
    let (servers, _) = state
        .store()
        .list_auth_servers(&query)
        .await
        .map_err(|e| error_page(e.into()))?;
    let may_add = admin
        .may(&state, ConsoleAction::CreateAuthServer, None)
        .await?;
    let add = if may_add {
        format!("<p><a class=\"button\" href=\"{BASE}/new\">Add Authorization Server</a></p>")
    } else {
        String::new()
    };
    let rows: String = servers.iter().map(|s| row(&state, s)).collect();
    let main = format!(
        "<h1>Authorization Servers</h1>{add}<table><thead><tr><th scope=\"col\">Name</th>\
         <th scope=\"col\">Audience</th><th scope=\"col\">Issuer URI</th><th scope=\"col\">Status</th>\
         </tr></thead><tbody>{rows}</tbody></table>\
         <p><a href=\"{BASE}/org/token-preview\">Token Preview of the Org Authorization Server</a></p>"
    );
    page(
        &state,
        &admin,
        StatusCode::OK,
        "Authorization Servers",
        &main,
    )
    .await
}

/// A server form's alert and fields (Name, Audience, Description), holding `values` and
/// `problems`' messages.
pub fn server_fields(values: [&str; 3], problems: Option<&Problems>) -> String {
    let [name, audience, description] = values;
    let fields = [
        text("name", "Name", name, true),
        text("audience", "Audience", audience, true),
        text("description", "Description", description, false),
    ];
    let inputs: String = fields.iter().map(|f| input(f, problems, "")).collect();
    let alert = problems
        .map(|p| p.alert(&["name", "audience", "description"]))
        .unwrap_or_default();
    format!("{alert}{inputs}")
}

/// The Add Authorization Server form, holding `form`'s values and `problems`' messages.
fn add_html(admin: &ConsoleAdmin, form: Option<&Form>, problems: Option<&Problems>) -> String {
    let value = |name: &str| form.map(|f| f.get(name)).unwrap_or_default();
    let (name, audience, description) = (value("name"), value("audience"), value("description"));
    format!(
        "<h1>Add Authorization Server</h1><form method=\"post\" action=\"{BASE}\">{csrf}{fields}{actions}</form>",
        csrf = csrf_field(admin),
        fields = server_fields([&name, &audience, &description], problems),
        actions = actions("Save", BASE),
    )
}

/// `GET /admin/authorization-servers/new`.
pub async fn new(State(state): State<AppState>, admin: ConsoleAdmin) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::CreateAuthServer, None)
        .await?;
    let main = add_html(&admin, None, None);
    let title = "Add Authorization Server";
    page(&state, &admin, StatusCode::OK, title, &main).await
}

/// The settings typed into a server form, as the API's input.
pub fn server_input(form: &Form, current: Option<&AuthServer>) -> ServerInput {
    ServerInput {
        name: Some(form.get("name")),
        description: Some(form.get("description").trim().to_owned()),
        audiences: Some(split_list(&form.get("audience"))),
        issuer_mode: current.map(|s| s.issuer_mode.as_str().to_owned()),
        rotation_mode: current.map(|s| s.rotation_mode.as_str().to_owned()),
    }
}

/// `POST /admin/authorization-servers`: creates the server, then shows its Settings tab.
pub async fn add(State(state): State<AppState>, post: ConsolePost) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::CreateAuthServer, None)
        .await?;
    match create(&state, &admin.audit, &server_input(&form, None)).await {
        Ok(server) => Ok(changed(
            &state,
            &format!("{}?saved=created", path_of(&server, "")),
        )),
        Err(e) => {
            let e = super::renamed(e, &[("audiences", "audience")]);
            let form_html = |p: &Problems| add_html(&admin, Some(&form), Some(p));
            refused(&state, &admin, (e, "Add Authorization Server"), form_html).await
        }
    }
}
