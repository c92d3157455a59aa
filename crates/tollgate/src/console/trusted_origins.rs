//! Security > API > **Trusted Origins**: `GET /admin/trusted-origins` lists the origins as
//! `GET /api/v1/trustedOrigins` pages them (Name, Origin URL, Type, Status), with each origin's
//! **Edit**, **Activate** / **Deactivate** and **Delete**
//! (`POST /admin/trusted-origins/{id}/{activate|deactivate|delete}`), run by the functions the
//! API runs, with their System Log events and the CORS cache forgotten at once. Add Origin and
//! Edit are in `origin_form`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tollgate_core::server::Status;
use tollgate_core::trusted_origin::TrustedOrigin;
use tollgate_store::TrustedOriginQuery;

use crate::api::trusted_origins::{delete, set_status};
use crate::console::fields::{next_page, post_button};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::origin_form::{LIST, TYPES, disabled};
use crate::console::post::ConsolePost;
use crate::http::ApiError;
use crate::pages::escape;
use crate::state::AppState;

const PAGE_SIZE: usize = 50;

/// What the list shows: the page after `after`, the notice after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    after: Option<String>,
    saved: Option<String>,
}

/// The `disabled` attributes of the buttons this admin may not use.
struct Rights {
    add: &'static str,
    lifecycle: &'static str,
    delete: &'static str,
}

async fn rights(state: &AppState, admin: &ConsoleAdmin) -> Result<Rights, Response> {
    Ok(Rights {
        add: disabled(state, admin, ConsoleAction::CreateTrustedOrigin, None).await?,
        lifecycle: disabled(state, admin, ConsoleAction::DeactivateTrustedOrigin, None).await?,
        delete: disabled(state, admin, ConsoleAction::DeleteTrustedOrigin, None).await?,
    })
}

/// A button posting to `path`, named `words` and `label` for assistive technology.
fn labelled_button(path: &str, csrf: &str, (words, label): (&str, &str), disabled: &str) -> String {
    post_button(path, csrf, words, disabled).replace(
        "<button ",
        &format!("<button aria-label=\"{}\" ", escape(label)),
    )
}

/// Okta's words for the types `o` is trusted for.
fn type_words(o: &TrustedOrigin) -> String {
    TYPES
        .iter()
        .filter(|(kind, _)| o.has_scope(*kind))
        .map(|(_, words)| *words)
        .collect::<Vec<_>>()
        .join(", ")
}

fn origin_row(o: &TrustedOrigin, may: &Rights, csrf: &str) -> String {
    let base = format!("{LIST}/{}", o.id);
    let (op, words, status) = match o.status {
        Status::Active => ("deactivate", "Deactivate", "Active"),
        Status::Inactive => ("activate", "Activate", "Inactive"),
    };
    let name = &o.name;
    let lifecycle = labelled_button(
        &format!("{base}/{op}"),
        csrf,
        (words, &format!("{words} {name}")),
        may.lifecycle,
    );
    let remove = labelled_button(
        &format!("{base}/delete"),
        csrf,
        ("Delete", &format!("Delete {name}")),
        may.delete,
    );
    format!(
        "<tr><td>{name}</td><td>{origin}</td><td>{types}</td><td>{status}</td><td><div class=\"actions\">\
         <a class=\"button\" href=\"{base}\" aria-label=\"Edit {name}\">Edit</a>{lifecycle}{remove}</div></td></tr>",
        name = escape(name),
        origin = escape(&o.origin),
        types = type_words(o),
    )
}

fn notice(saved: Option<&str>) -> &'static str {
    match saved {
        Some("created") => "<p role=\"status\" class=\"notice\">Origin added.</p>",
        Some("updated") => "<p role=\"status\" class=\"notice\">Origin saved.</p>",
        Some("activate") => "<p role=\"status\" class=\"notice\">Origin activated.</p>",
        Some("deactivate") => "<p role=\"status\" class=\"notice\">Origin deactivated.</p>",
        Some("delete") => "<p role=\"status\" class=\"notice\">Origin deleted.</p>",
        _ => "",
    }
}

fn table(origins: &[TrustedOrigin], may: &Rights, csrf: &str) -> String {
    if origins.is_empty() {
        return "<p>No trusted origins yet.</p>".to_owned();
    }
    let rows: String = origins.iter().map(|o| origin_row(o, may, csrf)).collect();
    format!(
        "<div class=\"table-scroll\"><table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Origin URL</th>\
         <th scope=\"col\">Type</th><th scope=\"col\">Status</th><th scope=\"col\">Actions</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>"
    )
}

/// `GET /admin/trusted-origins`.
pub async fn list(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(shown): Query<Shown>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ListTrustedOrigins, None)
        .await?;
    let query = TrustedOriginQuery {
        prefix: None,
        filter: None,
        limit: PAGE_SIZE,
        after: shown.after.clone().filter(|a| !a.is_empty()),
    };
    let (origins, more) = state
        .store()
        .list_trusted_origins(&query)
        .await
        .map_err(|e| error_page(e.into()))?;
    let may = rights(&state, &admin).await?;
    let add = format!(
        "<form method=\"get\" action=\"{LIST}/new\"><button type=\"submit\" class=\"primary\"{}>Add Origin</button></form>",
        may.add
    );
    let last = origins.last().filter(|_| more).map(|o| o.id.as_str());
    let main = format!(
        "<h1>Trusted Origins</h1>{notice}{add}{table}{next}",
        notice = notice(shown.saved.as_deref()),
        table = table(&origins, &may, &csrf_field(&admin)),
        next = next_page(LIST, "", last),
    );
    page(&state, &admin, StatusCode::OK, "Trusted Origins", &main).await
}

/// `POST /admin/trusted-origins/{id}/{activate|deactivate|delete}`.
pub async fn change(
    State(state): State<AppState>,
    Path((id, op)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let action = match op.as_str() {
        "activate" => ConsoleAction::ActivateTrustedOrigin,
        "deactivate" => ConsoleAction::DeactivateTrustedOrigin,
        "delete" => ConsoleAction::DeleteTrustedOrigin,
        _ => return Err(error_page(ApiError::not_found(&op, "Operation"))),
    };
    let (admin, _) = post.permitted(&state, action, Some(&id)).await?;
    let audit = &admin.audit;
    let done = match action {
        ConsoleAction::ActivateTrustedOrigin => set_status(&state, audit, &id, Status::Active)
            .await
            .map(drop),
        ConsoleAction::DeactivateTrustedOrigin => set_status(&state, audit, &id, Status::Inactive)
            .await
            .map(drop),
        _ => delete(&state, audit, &id).await,
    };
    done.map_err(error_page)?;
    // As after any management write: this process's caches re-check.
    state.caches().invalidate();
    Ok(redirect(&format!("{LIST}?saved={op}")))
}

#[cfg(test)]
mod tests {
    use tollgate_core::admin::{Access, Family, Target, classify};

    use super::*;

    #[test]
    fn origin_actions_classify_as_the_api_calls_they_stand_for() {
        let cases = [
            (
                ConsoleAction::ListTrustedOrigins,
                "GET /api/v1/trustedOrigins",
                Access::Read,
            ),
            (
                ConsoleAction::CreateTrustedOrigin,
                "POST /api/v1/trustedOrigins",
                Access::Write,
            ),
            (
                ConsoleAction::ViewTrustedOrigin,
                "GET /api/v1/trustedOrigins/{id}",
                Access::Read,
            ),
            (
                ConsoleAction::ReplaceTrustedOrigin,
                "PUT /api/v1/trustedOrigins/{id}",
                Access::Write,
            ),
            (
                ConsoleAction::ActivateTrustedOrigin,
                "POST /api/v1/trustedOrigins/{id}/lifecycle/activate",
                Access::Write,
            ),
            (
                ConsoleAction::DeactivateTrustedOrigin,
                "POST /api/v1/trustedOrigins/{id}/lifecycle/deactivate",
                Access::Write,
            ),
            (
                ConsoleAction::DeleteTrustedOrigin,
                "DELETE /api/v1/trustedOrigins/{id}",
                Access::Write,
            ),
        ];
        for (action, call, access) in cases {
            let (method, template) = action.api_call();
            assert_eq!(format!("{method} {template}"), call, "{action:?}");
            let params = action.params(Some("tos1"));
            let got = classify(method, template, |name| {
                params
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            });
            assert_eq!(
                (got.family, got.access, got.target),
                (Family::TrustedOrigins, access, Target::None),
                "{action:?}"
            );
        }
    }
}
