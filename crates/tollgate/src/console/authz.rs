//! Security > API > Authorization Servers: the list and **Add Authorization Server**, then a
//! server's page with its tabs (Settings, Scopes, Claims, Access Policies, Keys, and a link to
//! Token Preview). Every change runs the management API's own function for that call, with its
//! checks and System Log events.

mod claim_form;
mod claims;
mod controls;
mod keys;
mod policies;
mod policy_edit;
mod policy_form;
mod rule_form;
mod scope_edit;
mod scopes;
mod servers;
mod settings;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use tollgate_core::server::{AuthServer, Status};

use crate::api::authorization_servers::load_server;
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{error_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::http::ApiError;
use crate::pages::escape;
use crate::state::AppState;

/// Where the pages live.
const BASE: &str = "/admin/authorization-servers";

/// The routes of these pages.
pub fn routes() -> Router<AppState> {
    let at = |rest: &str| format!("{BASE}{rest}");
    Router::new()
        .route(BASE, get(servers::list).post(servers::add))
        .route(&at("/new"), get(servers::new))
        .route(&at("/{id}"), get(settings::show).post(settings::save))
        .route(&at("/{id}/lifecycle/{op}"), post(settings::lifecycle))
        .route(&at("/{id}/scopes"), get(scopes::list).post(scopes::add))
        .route(&at("/{id}/scopes/{scope}/delete"), post(scopes::delete))
        .route(
            &at("/{id}/scopes/{scope}"),
            get(scope_edit::edit).post(scope_edit::save),
        )
        .route(
            &at("/{id}/policies/{policy}"),
            get(policy_edit::edit).post(policy_edit::save),
        )
        .route(
            &at("/{id}/policies/{policy}/rules/{rule}"),
            get(policy_edit::edit_rule).post(policy_edit::save_rule),
        )
        .route(&at("/{id}/claims"), get(claims::list).post(claims::add))
        .route(&at("/{id}/claims/new"), get(claims::new))
        .route(
            &at("/{id}/claims/{claim}"),
            get(claims::edit).post(claims::save),
        )
        .route(&at("/{id}/claims/{claim}/delete"), post(claims::delete))
        .route(
            &at("/{id}/policies"),
            get(policies::list).post(policies::add),
        )
        .route(&at("/{id}/policies/new"), get(policies::new))
        .route(
            &at("/{id}/policies/{policy}/delete"),
            post(policies::delete),
        )
        .route(
            &at("/{id}/policies/{policy}/rules"),
            post(policies::add_rule),
        )
        .route(
            &at("/{id}/policies/{policy}/rules/new"),
            get(policies::new_rule),
        )
        .route(
            &at("/{id}/policies/{policy}/rules/{rule}/delete"),
            post(policies::delete_rule),
        )
        .route(&at("/{id}/keys"), get(keys::show))
        .route(&at("/{id}/keys/rotate"), post(keys::rotate))
}

/// The tabs of a server's page, Okta's names and our paths.
const TABS: [(&str, &str); 6] = [
    ("Settings", ""),
    ("Scopes", "/scopes"),
    ("Claims", "/claims"),
    ("Access Policies", "/policies"),
    ("Keys", "/keys"),
    ("Token Preview", "/token-preview"),
];

/// The server's heading and its tabs, `current` marked.
fn tabs(server: &AuthServer, current: &str) -> String {
    let id = escape(server.id.as_str());
    let items: String = TABS
        .iter()
        .map(|(name, path)| {
            let mark = if *name == current {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!("<li><a href=\"{BASE}/{id}{path}\"{mark}>{name}</a></li>")
        })
        .collect();
    format!(
        "<h1>{}</h1><nav aria-label=\"Authorization server\"><ul class=\"tabs\">{items}</ul></nav>",
        escape(&server.name)
    )
}

/// The server, or the console's page for the API's refusal.
async fn load(state: &AppState, id: &str) -> Result<AuthServer, Response> {
    load_server(state, id).await.map_err(error_page)
}

/// Server `id`, once `admin` may do `action` to it.
async fn open(
    state: &AppState,
    admin: &ConsoleAdmin,
    action: ConsoleAction,
    id: &str,
) -> Result<AuthServer, Response> {
    admin.require(state, action, Some(id)).await?;
    load(state, id).await
}

/// The admin, the form and server `id` of a post, once the admin may do `action` to it.
async fn accept(
    state: &AppState,
    post: ConsolePost,
    action: ConsoleAction,
    id: &str,
) -> Result<(ConsoleAdmin, Form, AuthServer), Response> {
    let (admin, form) = post.permitted(state, action, Some(id)).await?;
    let server = load(state, id).await?;
    Ok((admin, form, server))
}

/// Tab `tab` of `server`'s page, its content `body`.
async fn tab_page(
    state: &AppState,
    admin: &ConsoleAdmin,
    (server, tab): (&AuthServer, &str),
    status: StatusCode,
    body: &str,
) -> Result<Response, Response> {
    let main = format!("{}{body}", tabs(server, tab));
    let title = format!("{} - {tab}", server.name);
    page(state, admin, status, &title, &main).await
}

/// After a change: this process's caches re-check (as after an API write), and the browser
/// goes to `path`.
fn changed(state: &AppState, path: &str) -> Response {
    state.caches().invalidate();
    redirect(path)
}

/// The path of `server`'s tab at `rest` (`""` for Settings).
fn path_of(server: &AuthServer, rest: &str) -> String {
    format!("{BASE}/{}{rest}", server.id)
}

/// Okta's words for a status.
fn status_words(status: Status) -> &'static str {
    match status {
        Status::Active => "Active",
        Status::Inactive => "Inactive",
    }
}

/// The API's validation causes renamed to the form's fields: each `(wire, field)` of `names`
/// turns a cause about `wire` into one about `field`, so it shows next to that field.
fn renamed(mut e: ApiError, names: &[(&str, &str)]) -> ApiError {
    for cause in &mut e.causes {
        for (wire, field) in names {
            if let Some(message) = cause.strip_prefix(&format!("{wire}: ")) {
                *cause = format!("{field}: {message}");
                break;
            }
        }
    }
    e
}

/// A comma- or space-separated list, without blanks.
fn split_list(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n', '\r', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests;
