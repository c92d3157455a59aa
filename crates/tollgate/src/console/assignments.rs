//! An app's **Assignments** tab, `GET /admin/apps/{id}/assignments`: the people assigned (each
//! with their user name in the app, and how they are assigned) and the groups (with their
//! priority), a page at a time; **Assign to People** and **Assign to Groups**, and **Remove**
//! on each direct assignment (the posts are in `assign_posts`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tollgate_core::app::App;
use tollgate_core::app::app_user_credentials::settable;
use tollgate_core::app::assignment::{AppGroup, AppUser, AssignmentScope};

use crate::api::apps::load_app;
use crate::console::apps::tabs;
use crate::console::fields::{Field, Problems, input, next_page, post_button};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page, page};
use crate::pages::escape;
use crate::state::AppState;

const PAGE_SIZE: usize = 50;

/// What the tab shows: the page of people after `after`, of groups after `groups_after`, and
/// the notice after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    after: Option<String>,
    groups_after: Option<String>,
    saved: Option<String>,
}

/// What was typed into the two forms, and why the one posted was refused. A password is never
/// kept: a refused form asks for it again.
#[derive(Debug, Default)]
pub struct Typed {
    /// The person's username.
    pub login: String,
    /// Their user name in the app.
    pub user_name: String,
    /// The group's name.
    pub group: String,
    /// Why Assign to People was refused.
    pub person: Option<Problems>,
    /// Why Assign to Groups was refused.
    pub group_problems: Option<Problems>,
}

/// Whether the app keeps a user name and a password for each person, by its scheme.
pub fn app_credentials(app: &App) -> (bool, bool) {
    settable(app.template.as_ref().and_then(|t| t.scheme.as_deref()))
}

fn person_form(admin: &ConsoleAdmin, app: &App, typed: &Typed) -> String {
    let problems = typed.person.as_ref();
    let (user_name, password) = app_credentials(app);
    let field = |name, label, value, kind, required| Field {
        name,
        label,
        value,
        kind,
        required,
    };
    let mut inputs = input(
        &field("login", "Username", &typed.login, "text", true),
        problems,
        "",
    );
    if password {
        let name = field("userName", "User Name", &typed.user_name, "text", false);
        let secret = field("password", "Password", "", "password", false);
        inputs.push_str(&input(&name, problems, ""));
        inputs.push_str(&input(&secret, problems, ""));
    } else if user_name {
        let name = field("userName", "User Name", &typed.user_name, "text", false);
        inputs.push_str(&input(&name, problems, ""));
    }
    let alert = problems
        .map(|p| p.alert(&["login", "userName", "password"]))
        .unwrap_or_default();
    format!(
        "<h2>Assign to People</h2>{alert}<form method=\"post\" action=\"/admin/apps/{id}/assignments/people\">\
         {csrf}{inputs}<div class=\"actions\"><button type=\"submit\" class=\"primary\">Assign person</button></div></form>",
        id = escape(app.id.as_str()),
        csrf = csrf_field(admin),
    )
}

fn group_form(admin: &ConsoleAdmin, app: &App, typed: &Typed) -> String {
    let problems = typed.group_problems.as_ref();
    let field = Field {
        name: "group",
        label: "Group name",
        value: &typed.group,
        kind: "text",
        required: true,
    };
    let alert = problems.map(|p| p.alert(&["group"])).unwrap_or_default();
    format!(
        "<h2>Assign to Groups</h2>{alert}<form method=\"post\" action=\"/admin/apps/{id}/assignments/groups\">\
         {csrf}{input}<div class=\"actions\"><button type=\"submit\" class=\"primary\">Assign group</button></div></form>",
        id = escape(app.id.as_str()),
        csrf = csrf_field(admin),
        input = input(&field, problems, ""),
    )
}

/// A person's row: who, their user name in the app, how assigned, and Remove for a direct
/// assignment when the admin may (`remove` is the page's CSRF field).
async fn person_row(
    state: &AppState,
    au: &AppUser,
    remove: Option<&str>,
) -> Result<String, Response> {
    let user = state
        .store()
        .find_user(au.user_id.as_str())
        .await
        .map_err(|e| error_page(e.into()))?;
    let (name, login) = user
        .as_ref()
        .map(|u| (crate::console::people::full_name(u), u.login().to_owned()))
        .unwrap_or_default();
    let shown = if name.is_empty() { &login } else { &name };
    let direct = au.scope == AssignmentScope::User;
    let button = match remove.filter(|_| direct) {
        Some(csrf) => {
            let path = format!(
                "/admin/apps/{}/assignments/people/{}/remove",
                au.app_id, au.user_id
            );
            post_button(&path, csrf, &format!("Remove {shown}"), "")
        }
        None => String::new(),
    };
    Ok(format!(
        "<tr><td><a href=\"/admin/people/{id}\">{shown}</a><br>{login}</td><td>{user_name}</td><td>{kind}</td><td>{button}</td></tr>",
        id = escape(au.user_id.as_str()),
        shown = escape(shown),
        login = escape(&login),
        user_name = escape(&au.user_name),
        kind = if direct { "Individual" } else { "Group" },
    ))
}

async fn people_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    app: &App,
    after: Option<&str>,
) -> Result<String, Response> {
    let id = app.id.as_str();
    let (users, more) = state
        .store()
        .list_app_users(id, after.filter(|a| !a.is_empty()), PAGE_SIZE, None)
        .await
        .map_err(|e| error_page(e.into()))?;
    let remove = remover(state, admin, ConsoleAction::UnassignUser, id).await?;
    let mut rows = Vec::with_capacity(users.len());
    for au in &users {
        rows.push(person_row(state, au, remove.as_deref()).await?);
    }
    let head = "<th scope=\"col\">Person &amp; username</th><th scope=\"col\">User name in the app</th>\
                <th scope=\"col\">Type</th><th scope=\"col\">Actions</th>";
    let table = table_or("No people assigned.", ("People assigned", head), &rows);
    let last = users.last().filter(|_| more).map(|u| u.user_id.as_str());
    let next = next_page(&format!("/admin/apps/{id}/assignments"), "", last);
    Ok(format!("<h2>People</h2>{table}{next}"))
}

/// The page's CSRF field, for the Remove buttons, when the admin may do `action` to app `id`.
async fn remover(
    state: &AppState,
    admin: &ConsoleAdmin,
    action: ConsoleAction,
    id: &str,
) -> Result<Option<String>, Response> {
    Ok(admin
        .may(state, action, Some(id))
        .await?
        .then(|| csrf_field(admin)))
}

/// [`table`] of `rows`, or `none` when there are none.
fn table_or(none: &str, (caption, head): (&str, &str), rows: &[String]) -> String {
    if rows.is_empty() {
        format!("<p>{none}</p>")
    } else {
        table(caption, head, &rows.concat())
    }
}

/// A table in a labelled region that scrolls sideways on a narrow screen.
pub fn table(caption: &str, head: &str, rows: &str) -> String {
    format!(
        "<div class=\"table-scroll\" role=\"region\" aria-label=\"{caption}\" tabindex=\"0\"><table>\
         <thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>",
        caption = escape(caption),
    )
}

async fn group_row(
    state: &AppState,
    ag: &AppGroup,
    remove: Option<&str>,
) -> Result<String, Response> {
    let group = state
        .store()
        .find_group(ag.group_id.as_str())
        .await
        .map_err(|e| error_page(e.into()))?;
    let name = group
        .as_ref()
        .map(|g| g.name().to_owned())
        .unwrap_or_default();
    let button = remove.map(|csrf| {
        let path = format!(
            "/admin/apps/{}/assignments/groups/{}/remove",
            ag.app_id, ag.group_id
        );
        post_button(&path, csrf, &format!("Remove {name}"), "")
    });
    Ok(format!(
        "<tr><td><a href=\"/admin/groups/{id}\">{name}</a></td><td>{priority}</td><td>{button}</td></tr>",
        id = escape(ag.group_id.as_str()),
        name = escape(&name),
        priority = ag.priority,
        button = button.unwrap_or_default(),
    ))
}

async fn groups_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    app: &App,
    after: Option<&str>,
) -> Result<String, Response> {
    let id = app.id.as_str();
    let (groups, more) = state
        .store()
        .list_app_groups(id, after.filter(|a| !a.is_empty()), PAGE_SIZE, None)
        .await
        .map_err(|e| error_page(e.into()))?;
    let remove = remover(state, admin, ConsoleAction::UnassignGroup, id).await?;
    let mut rows = Vec::with_capacity(groups.len());
    for ag in &groups {
        rows.push(group_row(state, ag, remove.as_deref()).await?);
    }
    let head =
        "<th scope=\"col\">Group</th><th scope=\"col\">Priority</th><th scope=\"col\">Actions</th>";
    let table = table_or("No groups assigned.", ("Groups assigned", head), &rows);
    let next = match groups.last().filter(|_| more) {
        Some(last) => format!(
            "<p><a href=\"/admin/apps/{}/assignments?groups_after={}\">Next page of groups</a></p>",
            escape(id),
            escape(last.group_id.as_str())
        ),
        None => String::new(),
    };
    Ok(format!("<h2>Groups</h2>{table}{next}"))
}

fn notice(saved: Option<&str>) -> &'static str {
    match saved {
        Some("person") => "<p role=\"status\" class=\"notice\">Person assigned.</p>",
        Some("group") => "<p role=\"status\" class=\"notice\">Group assigned.</p>",
        Some("removed") => "<p role=\"status\" class=\"notice\">Assignment removed.</p>",
        _ => "",
    }
}

/// The tab of `app`, with what was typed and refused, if anything.
pub async fn render(
    state: &AppState,
    admin: &ConsoleAdmin,
    app: &App,
    (status, shown): (StatusCode, &Shown),
    typed: &Typed,
) -> Result<Response, Response> {
    let id = Some(app.id.as_str());
    let assign_person = admin.may(state, ConsoleAction::AssignUser, id).await?;
    let assign_group = admin.may(state, ConsoleAction::AssignGroup, id).await?;
    let main = format!(
        "{tabs}{notice}{person}{people}{group}{groups}",
        tabs = tabs(app, "Assignments"),
        notice = notice(shown.saved.as_deref()),
        person = if assign_person {
            person_form(admin, app, typed)
        } else {
            String::new()
        },
        people = people_html(state, admin, app, shown.after.as_deref()).await?,
        group = if assign_group {
            group_form(admin, app, typed)
        } else {
            String::new()
        },
        groups = groups_html(state, admin, app, shown.groups_after.as_deref()).await?,
    );
    let title = format!("{} - Assignments", app.label);
    page(state, admin, status, &title, &main).await
}

/// `GET /admin/apps/{id}/assignments`.
pub async fn show(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, Response> {
    for action in [ConsoleAction::ViewAppUsers, ConsoleAction::ViewAppGroups] {
        admin.require(&state, action, Some(&id)).await?;
    }
    let app = load_app(&state, &id).await.map_err(error_page)?;
    let typed = Typed::default();
    render(&state, &admin, &app, (StatusCode::OK, &shown), &typed).await
}
