//! A server's Claims tab, `GET /admin/authorization-servers/{id}/claims`: the claims, **Add
//! Claim** (`…/claims/new`, created as `POST …/claims` creates), a claim's edit form
//! (`…/claims/{claimId}`, saved as `PUT …/claims/{claimId}` replaces) and Delete for a claim
//! that is not a system claim. The API's validation (a bad expression, an unknown scope) comes
//! back next to the field it is about.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tollgate_core::authz::Claim;
use tollgate_core::server::AuthServer;

use super::claim_form::{ClaimForm, WIRE_NAMES, token_type_words};
use super::controls::actions;
use super::{accept, changed, open, path_of, renamed, tab_page};
use crate::api::authorization_servers::claims::{
    create, delete as delete_claim, load_claim, replace,
};
use crate::console::fields::{Problems, post_button};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page};
use crate::console::post::ConsolePost;
use crate::http::ApiError;
use crate::pages::escape;
use crate::state::AppState;

/// The Edit link and Delete button of a claim the admin may change.
fn claim_actions(server: &AuthServer, c: &Claim, csrf: Option<&str>) -> String {
    match csrf {
        Some(csrf) if !c.system => {
            let edit = format!(
                "<a href=\"{}\" aria-label=\"Edit {name}\">Edit</a> ",
                escape(&path_of(server, &format!("/claims/{}", c.id))),
                name = escape(&c.name),
            );
            let path = path_of(server, &format!("/claims/{}/delete", c.id));
            format!(
                "{edit}{}",
                post_button(&path, csrf, &format!("Delete {}", c.name), "")
            )
        }
        _ => String::new(),
    }
}

fn row(server: &AuthServer, c: &Claim, csrf: Option<&str>) -> String {
    let include = if c.scopes.is_empty() {
        "Any scope".to_owned()
    } else {
        c.scopes.join(", ")
    };
    format!(
        "<tr><td><code>{name}</code></td><td>{token}</td><td>{kind}</td><td><code>{value}</code></td>\
         <td>{include}</td><td>{actions}</td></tr>",
        name = escape(&c.name),
        token = token_type_words(c),
        kind = c.value_type.as_str(),
        value = escape(&c.value),
        include = escape(&include),
        actions = claim_actions(server, c, csrf),
    )
}

/// `GET /admin/authorization-servers/{id}/claims`.
pub async fn list(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::ListClaims, &id).await?;
    let claims = state
        .store()
        .claims_of(&id)
        .await
        .map_err(|e| error_page(e.into()))?;
    let may_add = admin
        .may(&state, ConsoleAction::CreateClaim, Some(&id))
        .await?;
    let may_change = admin
        .may(&state, ConsoleAction::SaveClaim, Some(&id))
        .await?
        && admin
            .may(&state, ConsoleAction::DeleteClaim, Some(&id))
            .await?;
    let add = if may_add {
        format!(
            "<p><a class=\"button\" href=\"{}\">Add Claim</a></p>",
            escape(&path_of(&server, "/claims/new"))
        )
    } else {
        "<p>Your admin role can view these claims but not change them.</p>".to_owned()
    };
    let csrf = csrf_field(&admin);
    let csrf = may_change.then_some(csrf.as_str());
    let rows: String = claims.iter().map(|c| row(&server, c, csrf)).collect();
    let body = format!(
        "<h2>Claims</h2>{add}<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Token type</th>\
         <th scope=\"col\">Value type</th><th scope=\"col\">Value</th><th scope=\"col\">Include in</th>\
         <th scope=\"col\">Actions</th></tr></thead><tbody>{rows}</tbody></table>"
    );
    tab_page(&state, &admin, (&server, "Claims"), StatusCode::OK, &body).await
}

/// The claim form posting to `action`, titled `title`.
fn form_html(
    admin: &ConsoleAdmin,
    server: &AuthServer,
    (title, action): (&str, &str),
    (form, problems): (&ClaimForm, Option<&Problems>),
) -> String {
    let alert = problems
        .map(|p| {
            p.alert(&[
                "name",
                "claimType",
                "always",
                "valueType",
                "filterType",
                "value",
                "include",
                "scopes",
            ])
        })
        .unwrap_or_default();
    format!(
        "<h2>{title}</h2>{alert}<form method=\"post\" action=\"{action}\">{csrf}{fields}{actions}</form>",
        title = escape(title),
        action = escape(action),
        csrf = csrf_field(admin),
        fields = form.fields_html(problems),
        actions = actions("Save", &path_of(server, "/claims")),
    )
}

/// The claim form as a page of the Claims tab.
async fn form_page(
    state: &AppState,
    admin: &ConsoleAdmin,
    server: &AuthServer,
    status: StatusCode,
    parts: ((&str, &str), (&ClaimForm, Option<&Problems>)),
) -> Result<Response, Response> {
    let body = form_html(admin, server, parts.0, parts.1);
    tab_page(state, admin, (server, "Claims"), status, &body).await
}

/// After a save the API refused: the form again with the reasons, or the error page.
async fn refused(
    state: &AppState,
    admin: &ConsoleAdmin,
    (server, e): (&AuthServer, ApiError),
    parts: ((&str, &str), &ClaimForm),
) -> Result<Response, Response> {
    let e = renamed(e, &WIRE_NAMES);
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    form_page(
        state,
        admin,
        server,
        status,
        (parts.0, (parts.1, Some(&problems))),
    )
    .await
}

/// `GET /admin/authorization-servers/{id}/claims/new`.
pub async fn new(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::CreateClaim, &id).await?;
    let action = path_of(&server, "/claims");
    let form = ClaimForm::default();
    form_page(
        &state,
        &admin,
        &server,
        StatusCode::OK,
        (("Add Claim", &action), (&form, None)),
    )
    .await
}

/// `POST /admin/authorization-servers/{id}/claims`.
pub async fn add(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, posted, server) = accept(&state, post, ConsoleAction::CreateClaim, &id).await?;
    let form = ClaimForm::posted(&posted);
    match create(&state, &admin.audit, &id, &form.input(None)).await {
        Ok(_) => Ok(changed(&state, &path_of(&server, "/claims"))),
        Err(e) => {
            let action = path_of(&server, "/claims");
            refused(
                &state,
                &admin,
                (&server, e),
                (("Add Claim", &action), &form),
            )
            .await
        }
    }
}

/// `GET /admin/authorization-servers/{id}/claims/{claimId}`: the edit form.
pub async fn edit(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path((id, claim)): Path<(String, String)>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::ViewClaim, &id).await?;
    let stored = load_claim(&state, &id, &claim).await.map_err(error_page)?;
    let action = path_of(&server, &format!("/claims/{}", stored.id));
    let form = ClaimForm::of(&stored);
    form_page(
        &state,
        &admin,
        &server,
        StatusCode::OK,
        (("Edit Claim", &action), (&form, None)),
    )
    .await
}

/// `POST /admin/authorization-servers/{id}/claims/{claimId}`.
pub async fn save(
    State(state): State<AppState>,
    Path((id, claim)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, posted, server) = accept(&state, post, ConsoleAction::SaveClaim, &id).await?;
    let stored = load_claim(&state, &id, &claim).await.map_err(error_page)?;
    let form = ClaimForm::posted(&posted);
    let input = form.input(Some(stored.status.as_str()));
    match replace(&state, &admin.audit, (&id, &claim), &input).await {
        Ok(_) => Ok(changed(&state, &path_of(&server, "/claims"))),
        Err(e) => {
            let action = path_of(&server, &format!("/claims/{}", stored.id));
            refused(
                &state,
                &admin,
                (&server, e),
                (("Edit Claim", &action), &form),
            )
            .await
        }
    }
}

/// `POST /admin/authorization-servers/{id}/claims/{claimId}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    Path((id, claim)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _, server) = accept(&state, post, ConsoleAction::DeleteClaim, &id).await?;
    delete_claim(&state, &admin.audit, &id, &claim)
        .await
        .map_err(error_page)?;
    Ok(changed(&state, &path_of(&server, "/claims")))
}
