//! An OpenID Connect app's **General Settings**, edited from its General tab:
//! `GET /admin/apps/{id}/general` shows the form (**App integration name**, **Grant type**,
//! **Sign-in redirect URIs**, **Sign-out redirect URIs**) and its `POST` saves it by the
//! function `PUT /api/v1/apps/{id}` runs: the stored `settings.oauthClient` with these fields
//! changed, the response types left for the API to derive from the grants, so every rule
//! (grants allowed for the application type, redirect URIs a flow needs) and the System Log
//! event are the API's.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use tollgate_core::app::vocab::GrantType;
use tollgate_core::app::{App, AppDraft};

use crate::api::apps::{load_app, save_replacement};
use crate::console::apps::tabs;
use crate::console::fields::{Problems, marks};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page, message_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::console::words;
use crate::pages::escape;
use crate::state::AppState;

/// What the form holds.
struct Settings {
    label: String,
    grants: Vec<GrantType>,
    sign_in: String,
    sign_out: String,
}

impl Settings {
    fn stored(app: &App) -> Self {
        let s = &app.settings;
        Self {
            label: app.label.clone(),
            grants: s.grant_types.clone(),
            sign_in: s.redirect_uris.join("\n"),
            sign_out: s.post_logout_redirect_uris.join("\n"),
        }
    }

    fn posted(app: &App, form: &Form) -> Self {
        let checked = form.all("grant_types");
        Self {
            label: form.get("label"),
            grants: app
                .settings
                .application_type
                .allowed_grants()
                .iter()
                .copied()
                .filter(|g| checked.iter().any(|c| c == g.as_str()))
                .collect(),
            sign_in: form.get("redirect_uris"),
            sign_out: form.get("post_logout_redirect_uris"),
        }
    }

    /// The API's `settings.oauthClient`: the stored one with this form's fields.
    fn oauth_client(&self, app: &App) -> serde_json::Map<String, Value> {
        let lines = |text: &str| -> Vec<String> {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut out = app.settings.to_json();
        let grants: Vec<&str> = self.grants.iter().map(|g| g.as_str()).collect();
        out.insert("grant_types".into(), json!(grants));
        out.remove("response_types");
        out.insert("redirect_uris".into(), json!(lines(&self.sign_in)));
        out.insert(
            "post_logout_redirect_uris".into(),
            json!(lines(&self.sign_out)),
        );
        out
    }
}

fn grants_html(app: &App, s: &Settings, problems: Option<&Problems>) -> String {
    let boxes: String = app
        .settings
        .application_type
        .allowed_grants()
        .iter()
        .map(|g| {
            let v = g.as_str();
            let checked = if s.grants.contains(g) { " checked" } else { "" };
            format!(
                "<div><input type=\"checkbox\" id=\"grant-{v}\" name=\"grant_types\" value=\"{v}\"{checked}>\
                 <label for=\"grant-{v}\">{}</label></div>",
                words::grant(*g)
            )
        })
        .collect();
    let (_, note) = marks(problems, "grant_types", "grant-types");
    let described = if note.is_empty() {
        ""
    } else {
        " aria-describedby=\"grant-types-error\""
    };
    format!("<fieldset{described}><legend>Grant type</legend>{boxes}{note}</fieldset>")
}

fn textarea(name: &str, label: &str, value: &str, problems: Option<&Problems>) -> String {
    let id = format!("f-{name}");
    let (_, note) = marks(problems, name, &id);
    // The hint and, after a refusal, the message both describe the box.
    let described = if note.is_empty() {
        format!("aria-describedby=\"{id}-hint\"")
    } else {
        format!("aria-invalid=\"true\" aria-describedby=\"{id}-hint {id}-error\"")
    };
    format!(
        "<label for=\"{id}\">{label}</label><p class=\"hint\" id=\"{id}-hint\">One URI per line.</p>\
         <textarea id=\"{id}\" name=\"{name}\" rows=\"3\" spellcheck=\"false\" {described}>{}</textarea>{note}",
        escape(value)
    )
}

fn form_html(admin: &ConsoleAdmin, app: &App, s: &Settings, problems: Option<&Problems>) -> String {
    let (label_invalid, label_note) = marks(problems, "label", "f-label");
    let alert = problems
        .map(|p| {
            p.alert(&[
                "label",
                "grant_types",
                "redirect_uris",
                "post_logout_redirect_uris",
            ])
        })
        .unwrap_or_default();
    format!(
        "{tabs}<h2>General Settings</h2>{alert}<form method=\"post\" action=\"/admin/apps/{id}/general\">{csrf}\
         <label for=\"f-label\">App integration name</label><input type=\"text\" id=\"f-label\" name=\"label\" value=\"{label}\" required{label_invalid}>{label_note}\
         <p>Application type: {kind}</p>{grants}{sign_in}{sign_out}\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Save</button>\
         <a class=\"button\" href=\"/admin/apps/{id}\">Cancel</a></div></form>",
        tabs = tabs(app, "General"),
        id = escape(app.id.as_str()),
        csrf = csrf_field(admin),
        label = escape(&s.label),
        kind = words::application_type(app.settings.application_type),
        grants = grants_html(app, s, problems),
        sign_in = textarea(
            "redirect_uris",
            "Sign-in redirect URIs",
            &s.sign_in,
            problems
        ),
        sign_out = textarea(
            "post_logout_redirect_uris",
            "Sign-out redirect URIs",
            &s.sign_out,
            problems
        ),
    )
}

/// The app, if it is an OpenID Connect client (the others have no such settings).
async fn oidc_app(state: &AppState, id: &str) -> Result<App, Response> {
    let app = load_app(state, id).await.map_err(error_page)?;
    if app.template.is_some() {
        return Err(message_page(
            StatusCode::NOT_FOUND,
            "Not an OpenID Connect app",
            "Only OpenID Connect apps have these settings.",
        ));
    }
    Ok(app)
}

/// `GET /admin/apps/{id}/general`.
pub async fn edit(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::SaveApp, Some(&id))
        .await?;
    let app = oidc_app(&state, &id).await?;
    let main = form_html(&admin, &app, &Settings::stored(&app), None);
    page(&state, &admin, StatusCode::OK, &app.label, &main).await
}

/// `POST /admin/apps/{id}/general`: saved, or the form again with the API's reasons.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::SaveApp, Some(&id))
        .await?;
    let app = oidc_app(&state, &id).await?;
    let s = Settings::posted(&app, &form);
    let draft = AppDraft {
        label: Some(s.label.clone()),
        settings: Some(s.oauth_client(&app)),
        ..AppDraft::default()
    };
    match save_replacement(&state, &admin.audit, &app, draft).await {
        Ok(_) => {
            state.caches().invalidate();
            Ok(redirect(&format!("/admin/apps/{}?saved=general", app.id)))
        }
        Err(e) => {
            let Some(problems) = Problems::of_error(&e) else {
                return Err(error_page(e));
            };
            let main = form_html(&admin, &app, &s, Some(&problems));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &admin, status, &app.label, &main).await
        }
    }
}
