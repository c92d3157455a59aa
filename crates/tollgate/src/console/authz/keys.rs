//! A server's Keys tab, `GET /admin/authorization-servers/{id}/keys`: its signing keys (key ID,
//! status, use) and **Rotate Keys** (`POST …/keys/rotate`, as
//! `POST …/credentials/lifecycle/keyRotate` rotates).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{accept, changed, open, path_of, tab_page};
use crate::api::keys::{rotate as rotate_keys, server_keys};
use crate::console::apps::read_only_bits;
use crate::console::fields::post_button;
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page};
use crate::console::post::ConsolePost;
use crate::pages::escape;
use crate::state::AppState;

/// Whether the tab shows a fresh rotation.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    rotated: Option<String>,
}

/// `GET /admin/authorization-servers/{id}/keys`.
pub async fn show(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::ListKeys, &id).await?;
    let keys = server_keys(&state, server.id.as_str())
        .await
        .map_err(error_page)?;
    let may_rotate = admin
        .may(&state, ConsoleAction::RotateKeys, Some(&id))
        .await?;
    let (disabled, note) = read_only_bits(may_rotate);
    let rows: String = keys
        .iter()
        .map(|k| {
            format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>sig</td></tr>",
                escape(&k.jwk.kid),
                k.status.as_str(),
            )
        })
        .collect();
    let notice = if shown.rotated.is_some() {
        "<p role=\"status\" class=\"notice\">Keys rotated.</p>"
    } else {
        ""
    };
    let rotate = post_button(
        &path_of(&server, "/keys/rotate"),
        &csrf_field(&admin),
        "Rotate Keys",
        disabled,
    );
    let body = format!(
        "<h2>Signing keys</h2>{notice}{note}{rotate}<table><thead><tr><th scope=\"col\">Key ID</th>\
         <th scope=\"col\">Status</th><th scope=\"col\">Use</th></tr></thead><tbody>{rows}</tbody></table>"
    );
    tab_page(&state, &admin, (&server, "Keys"), StatusCode::OK, &body).await
}

/// `POST /admin/authorization-servers/{id}/keys/rotate`.
pub async fn rotate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _, server) = accept(&state, post, ConsoleAction::RotateKeys, &id).await?;
    rotate_keys(&state, &admin.audit, server.id.as_str())
        .await
        .map_err(error_page)?;
    Ok(changed(
        &state,
        &format!("{}?rotated=1", path_of(&server, "/keys")),
    ))
}
