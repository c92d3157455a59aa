//! Applications > Applications: `GET /admin/apps?q=` (the list, searched by the start of a
//! name or label, as the API's `q`), `GET /admin/apps/{id}` (the General tab) and
//! `POST /admin/apps/{id}/profile` (its profile editor, saved as the API's app update saves);
//! its General Settings are edited in `console::general_settings`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use tollgate_core::app::{App, AppDraft};
use tollgate_store::AppQuery;

use crate::api::apps::{load_app, save_replacement};
use crate::console::app_secrets::secrets_html;
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page, message_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::console::words;
use crate::http::OktaCode;
use crate::pages::escape;
use crate::state::AppState;

const PAGE_SIZE: usize = 50;

/// `GET /admin`: the console opens on the applications.
pub async fn home(_admin: ConsoleAdmin) -> Response {
    redirect("/admin/apps")
}

/// Any other console address, for a signed-in admin.
pub async fn not_found(_admin: ConsoleAdmin) -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no console page at this address.",
    )
}

/// The list's query: `q` searches, `after` pages.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    after: Option<String>,
}

/// `GET /admin/apps`.
pub async fn list_apps(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(p): Query<ListQuery>,
) -> Result<Response, Response> {
    admin.require(&state, ConsoleAction::ListApps, None).await?;
    let q = p.q.unwrap_or_default();
    let query = AppQuery {
        after: p.after.filter(|a| !a.is_empty()),
        limit: PAGE_SIZE,
        prefix: Some(q.trim().to_owned()).filter(|q| !q.is_empty()),
        ..AppQuery::default()
    };
    let (apps, more) = state
        .store()
        .list_apps(&query)
        .await
        .map_err(|e| error_page(e.into()))?;
    let main = list_html(&q, &apps, more);
    page(&state, &admin, StatusCode::OK, "Applications", &main).await
}

fn list_html(q: &str, apps: &[App], more: bool) -> String {
    let rows: String = apps
        .iter()
        .map(|a| {
            format!(
                "<tr><td><a href=\"/admin/apps/{id}\">{label}</a></td><td>{status}</td><td><code>{client}</code></td></tr>",
                id = escape(a.id.as_str()),
                label = escape(&a.label),
                status = words::app_status(a.status),
                client = escape(&a.credentials.client_id),
            )
        })
        .collect();
    let table = if apps.is_empty() {
        "<p>No applications found.</p>".to_owned()
    } else {
        format!(
            "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Status</th>\
             <th scope=\"col\">Client ID</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let next = match (more, apps.last()) {
        (true, Some(last)) => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("q", q)
                .append_pair("after", last.id.as_str())
                .finish();
            format!(
                "<p><a href=\"/admin/apps?{}\">Next page</a></p>",
                escape(&query)
            )
        }
        _ => String::new(),
    };
    format!(
        "<h1>Applications</h1><p><a class=\"button\" href=\"/admin/apps/new\">Create App Integration</a></p><form class=\"search\" method=\"get\" action=\"/admin/apps\" role=\"search\">\
         <div><label for=\"q\">Search</label><input type=\"search\" id=\"q\" name=\"q\" value=\"{q}\"></div>\
         <button type=\"submit\">Search</button></form>{table}{next}",
        q = escape(q)
    )
}

/// The tabs of an app's page, `current` marked.
pub fn tabs(app: &App, current: &str) -> String {
    let id = escape(app.id.as_str());
    let tab = |path: &str, name: &str| {
        let mark = if name == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        format!("<li><a href=\"/admin/apps/{id}{path}\"{mark}>{name}</a></li>")
    };
    // Only OpenID Connect clients have ID token settings.
    let sign_on = match app.template {
        None => tab("/sign-on", "Sign On"),
        Some(_) => String::new(),
    };
    format!(
        "<h1>{}</h1><nav aria-label=\"Application\"><ul class=\"tabs\">{}{sign_on}{}</ul></nav>",
        escape(&app.label),
        tab("", "General"),
        tab("/assignments", "Assignments"),
    )
}

/// A saved notice, or an error the person must fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Just saved.
    Saved,
    /// The General Settings just saved (the General tab's other notice).
    SettingsSaved,
    /// Not saved, for this reason.
    Invalid(String),
}

/// The notice or alert for an outcome; `error_id` is what the field's `aria-describedby` names.
pub fn outcome_html(outcome: Option<&Outcome>, saved: &str, error_id: &str) -> String {
    match outcome {
        None | Some(Outcome::SettingsSaved) => String::new(),
        Some(Outcome::Saved) => format!("<p role=\"status\" class=\"notice\">{saved}</p>"),
        Some(Outcome::Invalid(m)) => format!(
            "<p role=\"alert\" class=\"error\" id=\"{error_id}\">{}</p>",
            escape(m)
        ),
    }
}

/// The disabled attribute and the explanation shown when the admin may only look.
pub fn read_only_bits(may_save: bool) -> (&'static str, &'static str) {
    if may_save {
        ("", "")
    } else {
        (
            " disabled",
            "<p>Your admin role can view these settings but not change them.</p>",
        )
    }
}

fn list_items(items: impl Iterator<Item = String>) -> String {
    let li: String = items.map(|i| format!("<li>{}</li>", escape(&i))).collect();
    if li.is_empty() {
        "None".to_owned()
    } else {
        format!("<ul>{li}</ul>")
    }
}

fn general_html(
    admin: &ConsoleAdmin,
    app: &App,
    profile: &str,
    may: (bool, bool),
    (outcome, kind_html): (Option<&Outcome>, Option<&str>),
) -> String {
    let (may_save, may_manage_secrets) = may;
    let s = &app.settings;
    let redirects = list_items(s.redirect_uris.iter().cloned());
    let grants = list_items(s.grant_types.iter().map(|g| words::grant(*g).to_owned()));
    let edit = if may_save {
        format!(
            "<p><a class=\"button\" href=\"/admin/apps/{}/general\">Edit General Settings</a></p>",
            escape(app.id.as_str())
        )
    } else {
        String::new()
    };
    let general_saved = match outcome {
        Some(Outcome::SettingsSaved) => {
            "<p role=\"status\" class=\"notice\">General Settings saved.</p>"
        }
        _ => "",
    };
    let invalid = match outcome {
        Some(Outcome::Invalid(_)) => " aria-invalid=\"true\" aria-describedby=\"profile-error\"",
        _ => "",
    };
    let (disabled, note) = read_only_bits(may_save);
    let settings = match kind_html {
        Some(html) => html.to_owned(),
        None => format!(
            "<h2>Client Credentials</h2><dl><dt>Client ID</dt><dd><code>{client}</code></dd></dl>{secrets}\
             <h2>General Settings</h2>{general_saved}<dl><dt>Application type</dt><dd>{kind}</dd><dt>Grant type</dt><dd>{grants}</dd>\
             <dt>Sign-in redirect URIs</dt><dd>{redirects}</dd><dt>Sign-out redirect URIs</dt><dd>{sign_out}</dd></dl>{edit}",
            client = escape(&app.credentials.client_id),
            secrets = secrets_html(admin, app, may_manage_secrets),
            kind = words::application_type(s.application_type),
            sign_out = list_items(s.post_logout_redirect_uris.iter().cloned()),
        ),
    };
    format!(
        "{tabs}{settings}<h2>App profile</h2>{note}{outcome}<form method=\"post\" action=\"/admin/apps/{id}/profile\">{csrf}\
         <label for=\"profile\">Profile</label><textarea id=\"profile\" name=\"profile\" rows=\"10\" spellcheck=\"false\"{invalid}{disabled}>{profile}</textarea>\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\"{disabled}>Save</button></div></form>",
        tabs = tabs(app, "General"),
        outcome = outcome_html(outcome, "Profile saved.", "profile-error"),
        id = escape(app.id.as_str()),
        csrf = csrf_field(admin),
        profile = escape(profile),
    )
}

/// Whether the General tab shows a fresh save.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    saved: Option<String>,
}

impl Shown {
    /// The notice after a save (the page the browser was sent back to).
    pub fn outcome(&self) -> Option<Outcome> {
        self.saved.as_deref().map(|what| match what {
            "general" => Outcome::SettingsSaved,
            _ => Outcome::Saved,
        })
    }
}

async fn render_general(
    state: &AppState,
    admin: &ConsoleAdmin,
    app: &App,
    profile: &str,
    status: StatusCode,
    outcome: Option<&Outcome>,
) -> Result<Response, Response> {
    let id = Some(app.id.as_str());
    let may_save = admin.may(state, ConsoleAction::SaveApp, id).await?;
    let may_manage = admin.may(state, ConsoleAction::ManageSecrets, id).await?;
    let kind_html = app
        .template
        .as_ref()
        .map(|t| crate::console::app_kinds::general_html(state, app, t));
    let shown = (outcome, kind_html.as_deref());
    let main = general_html(admin, app, profile, (may_save, may_manage), shown);
    page(state, admin, status, &app.label, &main).await
}

/// The stored profile, pretty-printed for editing.
fn profile_text(app: &App) -> String {
    serde_json::to_string_pretty(&app.profile).unwrap_or_default()
}

/// `GET /admin/apps/{id}`: the General tab.
pub async fn general(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ViewApp, Some(&id))
        .await?;
    let app = load_app(&state, &id).await.map_err(error_page)?;
    let text = profile_text(&app);
    render_general(
        &state,
        &admin,
        &app,
        &text,
        StatusCode::OK,
        shown.outcome().as_ref(),
    )
    .await
}

/// `POST /admin/apps/{id}/profile`: replaces the app's profile. Text that is not JSON, or not a
/// JSON object, comes back with the reason and nothing is saved.
pub async fn save_profile(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::SaveApp, Some(&id))
        .await?;
    let app = load_app(&state, &id).await.map_err(error_page)?;
    let text = form.get("profile");
    let problem = match parse_profile(&text) {
        Err(message) => message,
        Ok(profile) => {
            let draft = AppDraft {
                profile: Some(profile),
                ..AppDraft::default()
            };
            match save_replacement(&state, &admin.audit, &app, draft).await {
                Ok(_) => {
                    state.caches().invalidate();
                    return Ok(redirect(&format!("/admin/apps/{}?saved=profile", app.id)));
                }
                Err(e) if e.code == OktaCode::E0000001 => {
                    format!(
                        "Profile {}",
                        e.causes.join("; ").trim_start_matches("profile: ")
                    )
                }
                Err(e) => return Err(error_page(e)),
            }
        }
    };
    let outcome = Outcome::Invalid(problem);
    render_general(
        &state,
        &admin,
        &app,
        &text,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(&outcome),
    )
    .await
}

/// The profile as JSON; the parser's words and position when it is not JSON. An empty box
/// means an empty profile.
fn parse_profile(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| format!("Profile is not valid JSON: {e}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_text_is_json_or_says_where_it_is_not() {
        assert_eq!(parse_profile("  ").unwrap(), Value::Null);
        assert_eq!(
            parse_profile("{\"groupwhitelist\": [\"00g1\"]}").unwrap()["groupwhitelist"][0],
            "00g1"
        );
        assert_eq!(
            parse_profile("{\"a\": }").unwrap_err(),
            "Profile is not valid JSON: expected value at line 1 column 7."
        );
    }
}
