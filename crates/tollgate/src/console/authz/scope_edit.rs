//! **Edit Scope**, `GET`/`POST /admin/authorization-servers/{id}/scopes/{scopeId}`: Name,
//! Display phrase, Description, User consent, Optional, Set as a default scope and Include in
//! public metadata, saved as `PUT …/scopes/{scopeId}` replaces. A system scope keeps its name
//! (the API refuses a rename); a read-only admin sees the form with Save disabled.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tollgate_core::authz::{MetadataPublish, Scope, ScopeInput};
use tollgate_core::server::AuthServer;

use super::controls::{Choice, checkbox, edit_form, radios, text};
use super::{accept, changed, open, path_of, tab_page};
use crate::api::authorization_servers::scopes::{load_scope, replace};
use crate::console::fields::{Problems, input};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page};
use crate::console::post::ConsolePost;
use crate::pages::escape;
use crate::state::AppState;

const CONSENT: [(&str, &str); 3] = [
    ("IMPLICIT", "Implicit"),
    ("REQUIRED", "Required"),
    ("FLEXIBLE", "Flexible"),
];

/// Every field with a place for its message.
const FIELDS: [&str; 4] = ["name", "displayName", "description", "consent"];

/// What the form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ScopeForm {
    name: String,
    display: String,
    description: String,
    consent: String,
    optional: bool,
    default: bool,
    publish: bool,
}

impl ScopeForm {
    fn of(s: &Scope) -> Self {
        Self {
            name: s.name.clone(),
            display: s.display_name.clone().unwrap_or_default(),
            description: s.description.clone().unwrap_or_default(),
            consent: s.consent.as_str().to_owned(),
            optional: s.optional,
            default: s.default,
            publish: s.metadata_publish == MetadataPublish::AllClients,
        }
    }

    fn posted(form: &Form) -> Self {
        let on = |name: &str| form.get(name) == "on";
        Self {
            name: form.get("name"),
            display: form.get("displayName"),
            description: form.get("description"),
            consent: form.get("consent"),
            optional: on("optional"),
            default: on("default"),
            publish: on("metadataPublish"),
        }
    }

    fn input(&self) -> ScopeInput {
        let publish = if self.publish {
            MetadataPublish::AllClients
        } else {
            MetadataPublish::NoClients
        };
        ScopeInput {
            name: Some(self.name.trim().to_owned()),
            display_name: Some(self.display.trim().to_owned()),
            description: Some(self.description.trim().to_owned()),
            default: Some(self.default),
            optional: Some(self.optional),
            consent: Some(self.consent.clone()),
            metadata_publish: Some(publish.as_str().to_owned()),
        }
    }

    fn fields_html(&self, system: bool, problems: Option<&Problems>) -> String {
        let name = if system {
            format!(
                "<label for=\"f-name\">Name</label><input id=\"f-name\" name=\"name\" value=\"{}\" \
                 readonly aria-describedby=\"f-name-note\"><p id=\"f-name-note\">A system scope keeps its name.</p>",
                escape(&self.name)
            )
        } else {
            input(&text("name", "Name", &self.name, true), problems, "")
        };
        let consent = Choice::new("consent", "User consent", &CONSENT, &self.consent);
        [
            name,
            input(
                &text("displayName", "Display phrase", &self.display, false),
                problems,
                "",
            ),
            input(
                &text("description", "Description", &self.description, false),
                problems,
                "",
            ),
            radios(&consent, problems),
            format!(
                "<fieldset><legend>Options</legend>{}{}{}</fieldset>",
                checkbox(
                    "optional",
                    "Optional (users may skip consent for this scope)",
                    self.optional
                ),
                checkbox("default", "Set as a default scope", self.default),
                checkbox(
                    "metadataPublish",
                    "Include in public metadata",
                    self.publish
                ),
            ),
        ]
        .concat()
    }
}

/// The Edit Scope page; Save disabled when the admin may not save.
async fn form_page(
    state: &AppState,
    admin: &ConsoleAdmin,
    (server, scope): (&AuthServer, &Scope),
    status: StatusCode,
    (form, problems): (&ScopeForm, Option<&Problems>),
) -> Result<Response, Response> {
    let id = Some(server.id.as_str());
    let may_save = admin.may(state, ConsoleAction::SaveScope, id).await?;
    let action = path_of(server, &format!("/scopes/{}", scope.id));
    let fields = form.fields_html(scope.system, problems);
    let csrf = csrf_field(admin);
    let paths = (action.as_str(), &path_of(server, "/scopes")[..]);
    let body = format!(
        "<h2>Edit Scope</h2>{}{}",
        problems.map(|p| p.alert(&FIELDS)).unwrap_or_default(),
        edit_form(&csrf, paths, &fields, may_save)
    );
    tab_page(state, admin, (server, "Scopes"), status, &body).await
}

/// `GET /admin/authorization-servers/{id}/scopes/{scopeId}`.
pub async fn edit(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path((id, scope)): Path<(String, String)>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::ViewScope, &id).await?;
    let stored = load_scope(&state, &id, &scope).await.map_err(error_page)?;
    let form = ScopeForm::of(&stored);
    form_page(
        &state,
        &admin,
        (&server, &stored),
        StatusCode::OK,
        (&form, None),
    )
    .await
}

/// `POST /admin/authorization-servers/{id}/scopes/{scopeId}`.
pub async fn save(
    State(state): State<AppState>,
    Path((id, scope)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, posted, server) = accept(&state, post, ConsoleAction::SaveScope, &id).await?;
    let stored = load_scope(&state, &id, &scope).await.map_err(error_page)?;
    let form = ScopeForm::posted(&posted);
    let e = match replace(&state, &admin.audit, (&id, &scope), &form.input()).await {
        Ok(_) => return Ok(changed(&state, &path_of(&server, "/scopes"))),
        Err(e) => e,
    };
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    form_page(
        &state,
        &admin,
        (&server, &stored),
        status,
        (&form, Some(&problems)),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_maps_onto_the_api_scope_body() {
        let form = ScopeForm::posted(&Form::from_pairs(&[
            ("name", " orders:read "),
            ("displayName", "Read your orders"),
            ("consent", "REQUIRED"),
            ("default", "on"),
        ]));
        let input = form.input();
        assert_eq!(input.name.as_deref(), Some("orders:read"));
        assert_eq!(input.description.as_deref(), Some(""));
        assert_eq!(input.consent.as_deref(), Some("REQUIRED"));
        assert_eq!((input.default, input.optional), (Some(true), Some(false)));
        assert_eq!(input.metadata_publish.as_deref(), Some("NO_CLIENTS"));
    }
}
