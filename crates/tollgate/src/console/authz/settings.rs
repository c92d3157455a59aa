//! A server's Settings tab, `GET /admin/authorization-servers/{id}`: Name, Audience,
//! Description and the Issuer, **Edit** (`?edit`) and Save (`POST`, as
//! `PUT /api/v1/authorizationServers/{id}` replaces), and **Activate** / **Deactivate**
//! (`POST …/lifecycle/{op}`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tollgate_core::server::{AuthServer, Status};

use super::controls::actions;
use super::servers::{server_fields, server_input};
use super::{accept, changed, load, open, path_of, renamed, status_words, tab_page};
use crate::api::authorization_servers::{replace, set_status};
use crate::console::apps::read_only_bits;
use crate::console::fields::{Problems, post_button};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page, message_page};
use crate::console::post::ConsolePost;
use crate::http::ApiError;
use crate::pages::escape;
use crate::state::AppState;

/// How the tab is opened.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    edit: Option<String>,
    saved: Option<String>,
}

fn notice(saved: Option<&str>) -> &'static str {
    match saved {
        Some("created") => "<p role=\"status\" class=\"notice\">Authorization server added.</p>",
        Some("activated") => {
            "<p role=\"status\" class=\"notice\">Authorization server activated.</p>"
        }
        Some("deactivated") => {
            "<p role=\"status\" class=\"notice\">Authorization server deactivated.</p>"
        }
        Some(_) => "<p role=\"status\" class=\"notice\">Settings saved.</p>",
        None => "",
    }
}

/// The settings as read, with Edit and the lifecycle button.
fn summary_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    s: &AuthServer,
    may: (bool, bool),
) -> String {
    let (may_save, may_lifecycle) = may;
    let (disabled, note) = read_only_bits(may_save);
    let issuer = state.link(&format!("/oauth2/{}", s.id));
    let (op, words) = match s.status {
        Status::Active => ("deactivate", "Deactivate"),
        Status::Inactive => ("activate", "Activate"),
    };
    let lifecycle_disabled = if may_lifecycle { "" } else { " disabled" };
    let lifecycle = post_button(
        &path_of(s, &format!("/lifecycle/{op}")),
        &csrf_field(admin),
        words,
        lifecycle_disabled,
    );
    format!(
        "<h2>Settings</h2>{note}<form method=\"get\"><input type=\"hidden\" name=\"edit\" value=\"1\">\
         <button type=\"submit\"{disabled}>Edit</button></form>\
         <dl><dt>Name</dt><dd>{name}</dd><dt>Audience</dt><dd>{aud}</dd><dt>Description</dt><dd>{desc}</dd>\
         <dt>Issuer</dt><dd><code>{issuer}</code></dd><dt>Status</dt><dd>{status}</dd></dl>{lifecycle}",
        name = escape(&s.name),
        aud = escape(&s.audiences.join(", ")),
        desc = escape(&s.description),
        issuer = escape(&issuer),
        status = status_words(s.status),
    )
}

/// The edit form, holding what was typed (else the stored settings) and the problems.
fn edit_html(
    admin: &ConsoleAdmin,
    s: &AuthServer,
    form: Option<&Form>,
    problems: Option<&Problems>,
) -> String {
    let value = |name: &str, stored: String| form.map_or(stored, |f| f.get(name));
    let name = value("name", s.name.clone());
    let audience = value("audience", s.audiences.join(", "));
    let description = value("description", s.description.clone());
    let path = path_of(s, "");
    format!(
        "<h2>Settings</h2><form method=\"post\" action=\"{action}\">{csrf}{fields}{actions}</form>",
        action = escape(&path),
        csrf = csrf_field(admin),
        fields = server_fields([&name, &audience, &description], problems),
        actions = actions("Save", &path),
    )
}

/// `GET /admin/authorization-servers/{id}`.
pub async fn show(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::ViewAuthServer, &id).await?;
    let may_save = admin
        .may(&state, ConsoleAction::SaveAuthServer, Some(&id))
        .await?;
    let lifecycle = match server.status {
        Status::Active => ConsoleAction::DeactivateAuthServer,
        Status::Inactive => ConsoleAction::ActivateAuthServer,
    };
    let may_lifecycle = admin.may(&state, lifecycle, Some(&id)).await?;
    let body = if shown.edit.is_some() && may_save {
        edit_html(&admin, &server, None, None)
    } else {
        let summary = summary_html(&state, &admin, &server, (may_save, may_lifecycle));
        format!("{}{summary}", notice(shown.saved.as_deref()))
    };
    tab_page(&state, &admin, (&server, "Settings"), StatusCode::OK, &body).await
}

/// `POST /admin/authorization-servers/{id}`: saves the settings; the form comes back with the
/// reasons when the API would refuse them.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form, server) = accept(&state, post, ConsoleAction::SaveAuthServer, &id).await?;
    let input = server_input(&form, Some(&server));
    let e = match replace(&state, &admin.audit, &id, &input).await {
        Ok(saved) => return Ok(changed(&state, &format!("{}?saved=1", path_of(&saved, "")))),
        Err(e) => renamed(e, &[("audiences", "audience")]),
    };
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let body = edit_html(&admin, &server, Some(&form), Some(&problems));
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    tab_page(&state, &admin, (&server, "Settings"), status, &body).await
}

/// `POST /admin/authorization-servers/{id}/lifecycle/{op}`: `activate` or `deactivate`.
pub async fn lifecycle(
    State(state): State<AppState>,
    Path((id, op)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (action, status, done) = match op.as_str() {
        "activate" => (
            ConsoleAction::ActivateAuthServer,
            Status::Active,
            "activated",
        ),
        "deactivate" => (
            ConsoleAction::DeactivateAuthServer,
            Status::Inactive,
            "deactivated",
        ),
        _ => {
            return Err(message_page(
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is no console page at this address.",
            ));
        }
    };
    let (admin, _) = post.permitted(&state, action, Some(&id)).await?;
    let server = load(&state, &id).await?;
    set_status(&state, &admin.audit, &id, status)
        .await
        .map_err(|e: ApiError| error_page(e))?;
    Ok(changed(
        &state,
        &format!("{}?saved={done}", path_of(&server, "")),
    ))
}
