//! A group's page, `GET /admin/groups/{id}`: its members (paged, each with **Remove**), **Add
//! person** by username (`POST /admin/groups/{id}/members`), and its applications. Membership
//! changes run the API's own membership function, with its System Log events and rule
//! exclusions.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tollgate_core::directory::{Group, GroupType, User};
use tollgate_store::{AppQuery, UserQuery};

use crate::api::groups::{load_group, set_member};
use crate::console::fields::{Field, Problems, input, next_page, post_button};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::people::{full_name, people_table, person_row};
use crate::console::post::ConsolePost;
use crate::console::sections::apps_section;
use crate::http::ApiError;
use crate::pages::escape;
use crate::state::AppState;

const PAGE_SIZE: usize = 50;

/// What the page shows: a page of members after `after`, the notice after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    after: Option<String>,
    saved: Option<String>,
}

/// A member's row: their link, email and status, and Remove when the admin may.
fn member_row(group: &Group, user: &User, remove: Option<&str>) -> String {
    let button = remove.map(|csrf| {
        let path = format!("/admin/groups/{}/members/{}/remove", group.id, user.id);
        let label = format!("Remove {}", full_name(user));
        post_button(&path, csrf, &label, "")
    });
    person_row(user, &format!("<td>{}</td>", button.unwrap_or_default()))
}

/// The members, a page at a time.
async fn members_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    group: &Group,
    after: Option<String>,
) -> Result<String, Response> {
    let query = UserQuery {
        limit: PAGE_SIZE,
        after: after.filter(|a| !a.is_empty()),
        group: (group.kind != GroupType::BuiltIn).then(|| group.id.as_str().to_owned()),
        ..UserQuery::default()
    };
    let (users, more) = state
        .store()
        .list_users(&query)
        .await
        .map_err(|e| error_page(e.into()))?;
    let id = Some(group.id.as_str());
    let may_remove = group.kind == GroupType::OktaGroup
        && admin.may(state, ConsoleAction::RemoveMember, id).await?;
    let csrf = csrf_field(admin);
    let remove = may_remove.then_some(csrf.as_str());
    let rows: String = users.iter().map(|u| member_row(group, u, remove)).collect();
    let table = if users.is_empty() {
        "<p>No members.</p>".to_owned()
    } else {
        people_table(&rows, "<th scope=\"col\">Actions</th>")
    };
    let last = users.last().filter(|_| more).map(|u| u.id.as_str());
    let next = next_page(&format!("/admin/groups/{}", group.id), "", last);
    Ok(format!("<h2>Members</h2>{table}{next}"))
}

/// The Add person form of an `OKTA_GROUP`, for an admin who may add members.
async fn add_member_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    group: &Group,
    (login, problems): (&str, Option<&Problems>),
) -> Result<String, Response> {
    let id = Some(group.id.as_str());
    if group.kind != GroupType::OktaGroup || !admin.may(state, ConsoleAction::AddMember, id).await?
    {
        return Ok(String::new());
    }
    let field = Field {
        name: "login",
        label: "Username",
        value: login,
        kind: "text",
        required: true,
    };
    Ok(format!(
        "<h2>Add person</h2><form method=\"post\" action=\"/admin/groups/{id}/members\">{csrf}{input}\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Add person</button></div></form>",
        id = escape(group.id.as_str()),
        csrf = csrf_field(admin),
        input = input(&field, problems, ""),
    ))
}

/// The group's applications, for an admin who may see them.
async fn apps_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    group: &Group,
) -> Result<String, Response> {
    let id = Some(group.id.as_str());
    if !admin.may(state, ConsoleAction::ViewGroupApps, id).await? {
        return Ok(String::new());
    }
    let query = AppQuery {
        group_id: Some(group.id.as_str().to_owned()),
        ..AppQuery::default()
    };
    apps_section(state, query).await
}

fn notice(saved: Option<&str>) -> &'static str {
    match saved {
        Some("created") => "<p role=\"status\" class=\"notice\">Group added.</p>",
        Some("added") => "<p role=\"status\" class=\"notice\">Person added to the group.</p>",
        Some("removed") => "<p role=\"status\" class=\"notice\">Person removed from the group.</p>",
        _ => "",
    }
}

/// The page of `group`; `add` is the Add person form's value and problems after a refusal.
async fn render(
    state: &AppState,
    admin: &ConsoleAdmin,
    group: &Group,
    (status, shown): (StatusCode, &Shown),
    add: (&str, Option<&Problems>),
) -> Result<Response, Response> {
    let alert = add.1.map(|p| p.alert(&["login"])).unwrap_or_default();
    let main = format!(
        "<h1>{name}</h1><p>{description}</p>{notice}{alert}{add}{members}{apps}",
        name = escape(group.name()),
        description = escape(group.description().unwrap_or_default()),
        notice = notice(shown.saved.as_deref()),
        add = add_member_html(state, admin, group, add).await?,
        members = members_html(state, admin, group, shown.after.clone()).await?,
        apps = apps_html(state, admin, group).await?,
    );
    page(state, admin, status, group.name(), &main).await
}

/// `GET /admin/groups/{id}`.
pub async fn show(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ViewGroup, Some(&id))
        .await?;
    let group = load_group(&state, &id).await.map_err(error_page)?;
    render(&state, &admin, &group, (StatusCode::OK, &shown), ("", None)).await
}

/// `POST /admin/groups/{id}/members`: adds the person with the username typed; an unknown
/// username comes back with the message next to the field.
pub async fn add_member(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::AddMember, Some(&id))
        .await?;
    let group = load_group(&state, &id).await.map_err(error_page)?;
    let login = form.get("login");
    let found = state
        .store()
        .find_user(login.trim())
        .await
        .map_err(|e| error_page(e.into()))?;
    let Some(user) = found.filter(|_| !login.trim().is_empty()) else {
        let e = ApiError::invalid("login", "No person has this username.");
        let problems = Problems::of_error(&e);
        let shown = (StatusCode::UNPROCESSABLE_ENTITY, &Shown::default());
        return render(&state, &admin, &group, shown, (&login, problems.as_ref())).await;
    };
    set_member(
        &state,
        &admin.audit,
        (group.id.as_str(), user.id.as_str()),
        true,
    )
    .await
    .map_err(error_page)?;
    Ok(redirect(&format!("/admin/groups/{}?saved=added", group.id)))
}

/// `POST /admin/groups/{id}/members/{userId}/remove`.
pub async fn remove_member(
    State(state): State<AppState>,
    Path((id, user_id)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _) = post
        .permitted(&state, ConsoleAction::RemoveMember, Some(&id))
        .await?;
    let group = load_group(&state, &id).await.map_err(error_page)?;
    set_member(&state, &admin.audit, (group.id.as_str(), &user_id), false)
        .await
        .map_err(error_page)?;
    Ok(redirect(&format!(
        "/admin/groups/{}?saved=removed",
        group.id
    )))
}
