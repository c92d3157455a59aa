//! Security > API > Tokens: `GET /admin/api-tokens` (the org's tokens as
//! `GET /api/v1/api-tokens` shows them), **Create Token** (`POST /admin/api-tokens`: a token
//! owned by the signed-in admin, acting with their roles, whose value is shown once, on the page
//! that answers the post, never in an address or again) and **Revoke**
//! (`POST /admin/api-tokens/{id}/revoke`, as `DELETE /api/v1/api-tokens/{id}`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use tollgate_core::log::Entity;
use tollgate_store::ApiTokenRecord;

use crate::api::api_tokens::{mint, revoke, token_json};
use crate::console::fields::{Field, Problems, input, post_button};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::http::ApiError;
use crate::pages::escape;
use crate::state::AppState;

/// What the list page says after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

/// The owner's login, or their id when they are gone.
async fn owner_login(state: &AppState, t: &ApiTokenRecord) -> Result<String, Response> {
    let Some(id) = &t.user_id else {
        return Ok(String::new());
    };
    let user = state
        .store()
        .find_user(id)
        .await
        .map_err(|e| error_page(e.into()))?;
    Ok(user.map_or_else(|| id.clone(), |u| u.login().to_owned()))
}

/// One token's row; `disabled` is its Revoke button's `disabled` attribute (or nothing).
async fn row(
    state: &AppState,
    admin: &ConsoleAdmin,
    t: &ApiTokenRecord,
    disabled: &str,
) -> Result<String, Response> {
    let json = token_json(state, t);
    let field = |k: &str| escape(json.get(k).and_then(Value::as_str).unwrap_or_default());
    let used = t
        .last_used
        .map_or_else(|| "Never".to_owned(), |_| field("lastUpdated"));
    let button = post_button(
        &format!("/admin/api-tokens/{}/revoke", t.id),
        &csrf_field(admin),
        "Revoke",
        disabled,
    )
    .replace(
        "<button ",
        &format!("<button aria-label=\"Revoke {}\" ", escape(&t.name)),
    );
    Ok(format!(
        "<tr><td>{name}</td><td>{owner}</td><td>{created}</td><td>{expires}</td><td>{used}</td><td>{button}</td></tr>",
        name = escape(&t.name),
        owner = escape(&owner_login(state, t).await?),
        created = field("created"),
        expires = field("expiresAt"),
    ))
}

/// The Create Token form, holding `name` and `problems`' messages.
fn create_form(
    admin: &ConsoleAdmin,
    name: &str,
    problems: Option<&Problems>,
    disabled: &str,
) -> String {
    let f = Field {
        name: "name",
        label: "Name",
        value: name,
        kind: "text",
        required: true,
    };
    format!(
        "<h2>Create Token</h2><form method=\"post\" action=\"/admin/api-tokens\">{csrf}{input}\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\"{disabled}>Create Token</button></div></form>",
        csrf = csrf_field(admin),
        input = input(&f, problems, disabled),
    )
}

/// The list and the form; `top` comes first (a notice or the new token).
async fn list_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    top: &str,
    form: &str,
) -> Result<String, Response> {
    let tokens = state
        .store()
        .list_api_tokens()
        .await
        .map_err(|e| error_page(e.into()))?;
    let may_revoke = admin
        .may(state, ConsoleAction::RevokeApiToken, None)
        .await?;
    let disabled = if may_revoke { "" } else { " disabled" };
    let mut rows = String::new();
    for (t, _) in &tokens {
        rows.push_str(&row(state, admin, t, disabled).await?);
    }
    let table = if rows.is_empty() {
        "<p>No tokens.</p>".to_owned()
    } else {
        format!(
            "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Owner</th><th scope=\"col\">Created</th>\
             <th scope=\"col\">Expires</th><th scope=\"col\">Last used</th><th scope=\"col\">Actions</th></tr></thead>\
             <tbody>{rows}</tbody></table>"
        )
    };
    Ok(format!("<h1>Tokens</h1>{top}{form}<h2>Tokens</h2>{table}"))
}

async fn create_disabled(state: &AppState, admin: &ConsoleAdmin) -> Result<&'static str, Response> {
    let may = admin
        .may(state, ConsoleAction::CreateApiToken, None)
        .await?;
    Ok(if may { "" } else { " disabled" })
}

/// `GET /admin/api-tokens`.
pub async fn list(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(s): Query<Saved>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ListApiTokens, None)
        .await?;
    let top = match s.saved.as_deref() {
        Some("revoked") => "<p role=\"status\" class=\"notice\">Token revoked.</p>",
        _ => "",
    };
    let form = create_form(&admin, "", None, create_disabled(&state, &admin).await?);
    let main = list_html(&state, &admin, top, &form).await?;
    page(&state, &admin, StatusCode::OK, "Tokens", &main).await
}

/// `POST /admin/api-tokens`: mints the token and shows its value this once.
pub async fn create(
    State(state): State<AppState>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::CreateApiToken, None)
        .await?;
    let name = form.get("name").trim().to_owned();
    if name.is_empty() {
        let problems = Problems::of_error(&ApiError::invalid("name", "A name is required."));
        let form = create_form(&admin, &name, problems.as_ref(), "");
        let main = list_html(&state, &admin, "", &form).await?;
        return page(
            &state,
            &admin,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tokens",
            &main,
        )
        .await;
    }
    let now = state.clock().now();
    let (token, record) = mint(state.store(), &name, admin.user.id.as_str(), now)
        .await
        .map_err(|e| error_page(e.into()))?;
    let id = record.map(|r| r.id).unwrap_or_default();
    let event = admin
        .audit
        .event("system.api_token.create", "Create API token", now)
        .target(Entity::new(id, "Token", name.clone(), name.clone()));
    state
        .store()
        .append_events(&[event])
        .await
        .map_err(|e| error_page(e.into()))?;
    let shown = format!(
        "<div role=\"status\" class=\"notice\"><p>Token created. Copy its value now: \
         <strong>it will not be shown again</strong>.</p>\
         <label for=\"token-value\">Token value</label>\
         <input type=\"text\" id=\"token-value\" value=\"{}\" readonly></div>",
        escape(token.expose())
    );
    let form = create_form(&admin, "", None, "");
    let main = list_html(&state, &admin, &shown, &form).await?;
    page(&state, &admin, StatusCode::OK, "Tokens", &main).await
}

/// `POST /admin/api-tokens/{id}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _) = post
        .permitted(&state, ConsoleAction::RevokeApiToken, Some(&id))
        .await?;
    let token = state
        .store()
        .find_api_token_by_id(&id)
        .await
        .map_err(|e| error_page(e.into()))?
        .ok_or_else(|| error_page(ApiError::not_found(&id, "ApiToken")))?;
    revoke(&state, &admin.audit, &token)
        .await
        .map_err(error_page)?;
    // As after any management write: this process's cached token check re-reads at once.
    state.caches().invalidate();
    Ok(redirect("/admin/api-tokens?saved=revoked"))
}
