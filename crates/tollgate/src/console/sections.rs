//! Parts of the directory pages that load something: the applications section of a person or a
//! group, and the answer to a form the API refused.

use axum::http::StatusCode;
use axum::response::Response;
use tollgate_store::AppQuery;

use crate::console::fields::{Problems, link_list};
use crate::console::guard::ConsoleAdmin;
use crate::console::layout::{error_page, page};
use crate::http::ApiError;
use crate::state::AppState;

/// The Applications section: the first 200 apps of `query` (those assigned to a person or a
/// group), each linking to its page.
pub async fn apps_section(state: &AppState, query: AppQuery) -> Result<String, Response> {
    let query = AppQuery {
        limit: 200,
        ..query
    };
    let (apps, _) = state
        .store()
        .list_apps(&query)
        .await
        .map_err(|e| error_page(e.into()))?;
    let links = apps
        .iter()
        .map(|a| (format!("/admin/apps/{}", a.id), a.label.as_str()));
    let list = link_list(links, "No applications assigned.");
    Ok(format!("<h2>Applications</h2>{list}"))
}

/// A form the API refused: the page titled `title` with the form again (`form_html`, given the
/// problems, shows each next to its field), or the error page when the refusal is not about
/// what was typed.
pub async fn refused(
    state: &AppState,
    admin: &ConsoleAdmin,
    (e, title): (ApiError, &str),
    form_html: impl FnOnce(&Problems) -> String,
) -> Result<Response, Response> {
    match Problems::of_error(&e) {
        Some(problems) => {
            let main = form_html(&problems);
            page(state, admin, StatusCode::UNPROCESSABLE_ENTITY, title, &main).await
        }
        None => Err(error_page(e)),
    }
}
