//! Security > API > Trusted Origins: **Add Origin** (`GET /admin/trusted-origins/new`, saved
//! by `POST /admin/trusted-origins` as `POST /api/v1/trustedOrigins`) and an origin's edit form
//! (`GET /admin/trusted-origins/{id}`, saved by `POST` to the same path as
//! `PUT /api/v1/trustedOrigins/{id}`). Both run the API's own functions, so the API's refusals
//! (a blank name, a URL that is not an origin, an origin already trusted, no type) come back
//! next to their field, and CORS checks see a saved change at once.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tollgate_core::trusted_origin::{OriginScope, ScopeType, TrustedOrigin, TrustedOriginInput};

use crate::api::trusted_origins::{create, load_origin, replace};
use crate::console::fields::{Field, Problems, input};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::console::sections::refused;
use crate::pages::escape;
use crate::state::AppState;

/// The list page, where every form leads back.
pub const LIST: &str = "/admin/trusted-origins";

/// The types an origin may be trusted for: the API's scope type and Okta's words.
pub const TYPES: [(ScopeType, &str); 3] = [
    (ScopeType::Cors, "CORS"),
    (ScopeType::Redirect, "Redirect"),
    (ScopeType::IframeEmbed, "iFrame embed"),
];

/// What the form shows: the typed values (or the origin's), and where it posts.
struct Shown<'a> {
    title: &'a str,
    action: String,
    name: &'a str,
    origin: &'a str,
    types: Vec<ScopeType>,
}

impl<'a> Shown<'a> {
    fn of_origin(o: &'a TrustedOrigin) -> Self {
        Self {
            title: "Edit Origin",
            action: format!("{LIST}/{}", o.id),
            name: &o.name,
            origin: &o.origin,
            types: o.scopes.iter().map(|s| s.kind).collect(),
        }
    }

    fn of_form(title: &'a str, action: String, posted: &'a Posted) -> Self {
        Self {
            title,
            action,
            name: &posted.name,
            origin: &posted.origin,
            types: posted.types.clone(),
        }
    }
}

/// The Type checkboxes, with the API's message about `scopes` below them.
fn types_html(types: &[ScopeType], problems: Option<&Problems>, disabled: &str) -> String {
    let boxes: String = TYPES
        .iter()
        .map(|(kind, words)| {
            let on = if types.contains(kind) { " checked" } else { "" };
            let value = kind.as_str();
            format!(
                "<label class=\"choice\"><input type=\"checkbox\" id=\"f-scopes-{value}\" name=\"scopes\" \
                 value=\"{value}\"{on}{disabled}>{words}</label>"
            )
        })
        .collect();
    let (described, note) = match problems.and_then(|p| p.of("scopes")) {
        Some(m) => (
            " aria-describedby=\"f-scopes-error\"",
            format!(
                "<p class=\"error\" id=\"f-scopes-error\">{}</p>",
                escape(&m)
            ),
        ),
        None => ("", String::new()),
    };
    format!("<fieldset id=\"f-scopes\"{described}><legend>Type</legend>{boxes}{note}</fieldset>")
}

/// The whole form; `disabled` is the controls' `disabled` attribute (or nothing).
fn form_html(
    admin: &ConsoleAdmin,
    shown: &Shown<'_>,
    problems: Option<&Problems>,
    disabled: &str,
) -> String {
    let name = Field {
        name: "name",
        label: "Name",
        value: shown.name,
        kind: "text",
        required: true,
    };
    let origin = Field {
        name: "origin",
        label: "Origin URL",
        value: shown.origin,
        kind: "url",
        required: true,
    };
    let alert = problems.map_or_else(String::new, |p| p.alert(&["name", "origin", "scopes"]));
    format!(
        "<h1>{title}</h1><p><a href=\"{LIST}\">Back to Trusted Origins</a></p>{alert}\
         <form method=\"post\" action=\"{action}\">{csrf}{name}{origin}{types}\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\"{disabled}>Save</button>\
         <a class=\"button\" href=\"{LIST}\">Cancel</a></div></form>",
        title = escape(shown.title),
        action = escape(&shown.action),
        csrf = csrf_field(admin),
        name = input(&name, problems, disabled),
        origin = input(&origin, problems, disabled),
        types = types_html(&shown.types, problems, disabled),
    )
}

/// What was posted.
struct Posted {
    name: String,
    origin: String,
    types: Vec<ScopeType>,
}

impl Posted {
    fn of(form: &Form) -> Self {
        Self {
            name: form.get("name"),
            origin: form.get("origin").trim().to_owned(),
            types: form
                .all("scopes")
                .iter()
                .filter_map(|t| ScopeType::parse(t))
                .collect(),
        }
    }

    /// The API's input; an iFrame embed scope keeps the apps `before` allowed.
    fn input(&self, before: Option<&TrustedOrigin>) -> TrustedOriginInput {
        let apps = |kind: ScopeType| {
            before
                .and_then(|o| o.scopes.iter().find(|s| s.kind == kind))
                .map(|s| s.allowed_okta_apps.clone())
                .unwrap_or_default()
        };
        TrustedOriginInput {
            name: Some(self.name.clone()),
            origin: Some(self.origin.clone()),
            scopes: Some(
                self.types
                    .iter()
                    .map(|&kind| OriginScope {
                        kind,
                        allowed_okta_apps: apps(kind),
                    })
                    .collect(),
            ),
        }
    }
}

/// The `disabled` attribute of a control for `action` (nothing when this admin may do it).
pub async fn disabled(
    state: &AppState,
    admin: &ConsoleAdmin,
    action: ConsoleAction,
    id: Option<&str>,
) -> Result<&'static str, Response> {
    Ok(if admin.may(state, action, id).await? {
        ""
    } else {
        " disabled"
    })
}

/// `GET /admin/trusted-origins/new`: the Add Origin form (disabled for an admin who may not add).
pub async fn new(State(state): State<AppState>, admin: ConsoleAdmin) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ListTrustedOrigins, None)
        .await?;
    let off = disabled(&state, &admin, ConsoleAction::CreateTrustedOrigin, None).await?;
    let shown = Shown {
        title: "Add Origin",
        action: LIST.to_owned(),
        name: "",
        origin: "",
        types: Vec::new(),
    };
    let main = form_html(&admin, &shown, None, off);
    page(&state, &admin, StatusCode::OK, "Add Origin", &main).await
}

/// `POST /admin/trusted-origins`: adds the origin, or shows the form with the API's refusal.
pub async fn add(State(state): State<AppState>, post: ConsolePost) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::CreateTrustedOrigin, None)
        .await?;
    let posted = Posted::of(&form);
    match create(&state, &admin.audit, posted.input(None)).await {
        Ok(_) => {
            // As after any management write: this process's caches re-check.
            state.caches().invalidate();
            Ok(redirect(&format!("{LIST}?saved=created")))
        }
        Err(e) => {
            let shown = Shown::of_form("Add Origin", LIST.to_owned(), &posted);
            refused(&state, &admin, (e, "Add Origin"), |p| {
                form_html(&admin, &shown, Some(p), "")
            })
            .await
        }
    }
}

/// `GET /admin/trusted-origins/{id}`: the origin's form (disabled for an admin who may not save).
pub async fn edit(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ViewTrustedOrigin, Some(&id))
        .await?;
    let origin = load_origin(&state, &id).await.map_err(error_page)?;
    let off = disabled(
        &state,
        &admin,
        ConsoleAction::ReplaceTrustedOrigin,
        Some(&id),
    )
    .await?;
    let main = form_html(&admin, &Shown::of_origin(&origin), None, off);
    page(&state, &admin, StatusCode::OK, "Edit Origin", &main).await
}

/// `POST /admin/trusted-origins/{id}`: saves the origin, or shows the form with the API's
/// refusal.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::ReplaceTrustedOrigin, Some(&id))
        .await?;
    let before = load_origin(&state, &id).await.map_err(error_page)?;
    let posted = Posted::of(&form);
    match replace(&state, &admin.audit, &id, posted.input(Some(&before))).await {
        Ok(_) => {
            state.caches().invalidate();
            Ok(redirect(&format!("{LIST}?saved=updated")))
        }
        Err(e) => {
            let shown = Shown::of_form("Edit Origin", format!("{LIST}/{id}"), &posted);
            refused(&state, &admin, (e, "Edit Origin"), |p| {
                form_html(&admin, &shown, Some(p), "")
            })
            .await
        }
    }
}
