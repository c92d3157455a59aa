//! The General tab's client secrets: the list (masked), **Generate new secret**, and per
//! secret **Activate**, **Deactivate** and **Delete**, saved through the API's own
//! `/credentials/secrets` rules. A new secret is shown once, on the page that answers the
//! generation, never in an address.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tollgate_core::Timestamp;
use tollgate_core::app::App;
use tollgate_core::app::client_secrets::{ClientSecret, SecretStatus};
use tollgate_core::secret::Secret;

use crate::api::apps::client_secrets::change_secrets;
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::pages::escape;
use crate::state::AppState;

/// The section of the General tab; `may_manage` enables its buttons.
pub fn secrets_html(admin: &ConsoleAdmin, app: &App, may_manage: bool) -> String {
    if app.template.is_some() {
        return String::new();
    }
    let secrets = &app.credentials.secrets;
    if secrets.is_empty() && !app.credentials.auth_method.needs_secret() {
        return "<p>This client authenticates without a client secret.</p>".to_owned();
    }
    let disabled = if may_manage { "" } else { " disabled" };
    let active = secrets
        .iter()
        .filter(|s| s.status == SecretStatus::Active)
        .count();
    let rows: String = secrets
        .iter()
        .map(|s| row_html(admin, app, s, active, disabled))
        .collect();
    format!(
        "<h3>Client secrets</h3><table><thead><tr><th scope=\"col\">Secret</th><th scope=\"col\">Status</th>\
         <th scope=\"col\">Created</th><th scope=\"col\">Actions</th></tr></thead><tbody>{rows}</tbody></table>\
         <form method=\"post\" action=\"/admin/apps/{id}/secrets\">{csrf}<input type=\"hidden\" name=\"op\" value=\"generate\">\
         <button type=\"submit\"{disabled}>Generate new secret</button></form>",
        id = escape(app.id.as_str()),
        csrf = csrf_field(admin),
    )
}

fn row_html(
    admin: &ConsoleAdmin,
    app: &App,
    s: &ClientSecret,
    active: usize,
    disabled: &str,
) -> String {
    let button = |op: &str, label: &str| {
        format!(
            "<form method=\"post\" action=\"/admin/apps/{app}/secrets\" class=\"inline\">{csrf}\
             <input type=\"hidden\" name=\"op\" value=\"{op}\"><input type=\"hidden\" name=\"secret\" value=\"{secret}\">\
             <button type=\"submit\" aria-label=\"{label} secret {hint}\"{disabled}>{label}</button></form>",
            app = escape(app.id.as_str()),
            csrf = csrf_field(admin),
            secret = escape(&s.id),
            hint = escape(&s.hint),
        )
    };
    let actions = match s.status {
        SecretStatus::Active if active > 1 => button("deactivate", "Deactivate"),
        SecretStatus::Active => String::new(),
        SecretStatus::Inactive => format!(
            "{}{}",
            button("activate", "Activate"),
            button("delete", "Delete")
        ),
    };
    format!(
        "<tr><td><code>{hint}</code></td><td>{status}</td><td>{created}</td><td>{actions}</td></tr>",
        hint = escape(if s.hint.is_empty() {
            "(set before rotation)"
        } else {
            &s.hint
        }),
        status = s.status.as_str(),
        created = Timestamp::from_millis(s.created),
    )
}

/// `POST /admin/apps/{id}/secrets`: `op` is `generate`, `activate`, `deactivate` or `delete`
/// (of `secret`). A refusal (the limit of two, the only active secret) comes back as the API
/// words it.
pub async fn change(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::ManageSecrets, Some(&id))
        .await?;
    let secret_id = form.get("secret");
    let now = state.clock().now();
    let audit = &admin.audit;
    let op = form.get("op");
    let shown: Option<Secret> = match op.as_str() {
        "generate" => {
            let (_, (_, secret)) = change_secrets(&state, audit, &id, "create", |app, s| {
                s.add(None, None, app.credentials.auth_method, now)
            })
            .await
            .map_err(error_page)?;
            Some(secret)
        }
        "activate" | "deactivate" => {
            let status = if op == "activate" {
                SecretStatus::Active
            } else {
                SecretStatus::Inactive
            };
            change_secrets(&state, audit, &id, &op, |_, s| {
                s.set_status(&secret_id, status, now)
            })
            .await
            .map_err(error_page)?;
            None
        }
        "delete" => {
            change_secrets(&state, audit, &id, "delete", |_, s| s.remove(&secret_id))
                .await
                .map_err(error_page)?;
            None
        }
        _ => return Err(error_page(crate::http::ApiError::invalid("op", "unknown"))),
    };
    state.caches().invalidate();
    match shown {
        None => Ok(redirect(&format!("/admin/apps/{id}"))),
        Some(secret) => {
            let main = new_secret_html(&id, &secret, "New client secret");
            page(
                &state,
                &admin,
                StatusCode::CREATED,
                "New client secret",
                &main,
            )
            .await
        }
    }
}

/// The page that shows a client secret once: `heading`, the secret in a read-only box, and
/// the way back to app `id`.
pub fn new_secret_html(id: &str, secret: &Secret, heading: &str) -> String {
    format!(
        "<h1>{heading}</h1><p role=\"status\">Copy the client secret now: it is not shown again.</p>\
         <p><label for=\"new-secret\">Client secret</label>\
         <input id=\"new-secret\" readonly value=\"{secret}\" autocomplete=\"off\" spellcheck=\"false\"></p>\
         <p><a href=\"/admin/apps/{id}\">Open the application</a></p>",
        heading = escape(heading),
        secret = escape(secret.expose()),
        id = escape(id),
    )
}
