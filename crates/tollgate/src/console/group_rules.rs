//! Directory > Groups > **Rules**, as Okta shows them beside the groups: `GET
//! /admin/groups/rules` lists the rules with their status, condition and groups, and each rule's
//! **Activate** / **Deactivate**, **Edit** (only an inactive rule, as on Okta) and **Delete**
//! (`POST /admin/groups/rules/{id}/{activate|deactivate|delete}`; Delete may also remove the
//! users the rule assigned, as `removeUsers=true` does). Every change runs the function
//! `/api/v1/groups/rules` runs, with its System Log events and membership evaluation. Add Rule
//! and Edit are in `group_rule_form`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tollgate_core::group_rule::{GroupRule, RuleStatus};
use tollgate_core::id::GroupId;
use tollgate_store::GroupRuleQuery;

use crate::api::group_rules::{delete, set_status};
use crate::console::fields::{next_page, post_button};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::pages::escape;
use crate::state::AppState;

const PAGE_SIZE: usize = 50;

/// The Groups / Rules tabs of Directory > Groups, `current` marked.
pub fn group_tabs(current: &str) -> String {
    let tab = |path: &str, name: &str| {
        let mark = if name == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        format!("<li><a href=\"{path}\"{mark}>{name}</a></li>")
    };
    format!(
        "<nav aria-label=\"Groups\"><ul class=\"tabs\">{}{}</ul></nav>",
        tab("/admin/groups", "Groups"),
        tab("/admin/groups/rules", "Rules")
    )
}

/// What the list shows: the page after `after`, the notice after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    after: Option<String>,
    saved: Option<String>,
}

/// What this admin may do to the rules.
struct Rights {
    lifecycle: bool,
    edit: bool,
    delete: bool,
}

fn actions_html(r: &GroupRule, may: &Rights, csrf: &str) -> String {
    let base = format!("/admin/groups/rules/{}", r.id);
    let mut out = String::new();
    let lifecycle = match r.status {
        RuleStatus::Active => Some(("deactivate", "Deactivate")),
        RuleStatus::Inactive => Some(("activate", "Activate")),
        RuleStatus::Invalid => None,
    };
    if let (Some((op, words)), true) = (lifecycle, may.lifecycle) {
        let label = format!("{words} {}", r.name);
        out.push_str(&post_button(&format!("{base}/{op}"), csrf, &label, ""));
    }
    if r.status == RuleStatus::Inactive && may.edit {
        out.push_str(&format!(
            "<a class=\"button\" href=\"{base}/edit\">Edit {}</a>",
            escape(&r.name)
        ));
    }
    if may.delete {
        out.push_str(&delete_form(&base, csrf, &r.name));
    }
    format!("<div class=\"actions\">{out}</div>")
}

/// Delete, with Okta's choice to also take away the memberships the rule made (`removeUsers`).
fn delete_form(base: &str, csrf: &str, name: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{base}/delete\">{csrf}<label class=\"choice\">\
         <input type=\"checkbox\" name=\"removeUsers\" value=\"true\">Remove users assigned by {name}</label>\
         <button type=\"submit\">Delete {name}</button></form>",
        name = escape(name),
    )
}

fn rule_row(r: &GroupRule, names: &[(GroupId, String)], may: &Rights, csrf: &str) -> String {
    let groups: Vec<&str> = r
        .group_ids
        .iter()
        .map(|g| {
            names
                .iter()
                .find(|(id, _)| id == g)
                .map_or(g.as_str(), |(_, n)| n.as_str())
        })
        .collect();
    format!(
        "<tr><td>{name}</td><td>{status}</td><td><code>{expression}</code></td><td>{groups}</td><td>{actions}</td></tr>",
        name = escape(&r.name),
        status = crate::console::words::rule_status(r.status),
        expression = escape(&r.expression),
        groups = escape(&groups.join(", ")),
        actions = actions_html(r, may, csrf),
    )
}

/// The names of the groups `rules` assign to.
async fn group_names(
    state: &AppState,
    rules: &[GroupRule],
) -> Result<Vec<(GroupId, String)>, Response> {
    let ids: Vec<&str> = rules
        .iter()
        .flat_map(|r| r.group_ids.iter().map(GroupId::as_str))
        .collect();
    let groups = state
        .store()
        .groups_by_ids(&ids)
        .await
        .map_err(|e| error_page(e.into()))?;
    Ok(groups
        .iter()
        .map(|g| (g.id.clone(), g.name().to_owned()))
        .collect())
}

async fn rights(state: &AppState, admin: &ConsoleAdmin) -> Result<Rights, Response> {
    Ok(Rights {
        lifecycle: admin
            .may(state, ConsoleAction::GroupRuleLifecycle("activate"), None)
            .await?,
        edit: admin
            .may(state, ConsoleAction::ReplaceGroupRule, None)
            .await?,
        delete: admin
            .may(state, ConsoleAction::DeleteGroupRule, None)
            .await?,
    })
}

fn notice(saved: Option<&str>) -> &'static str {
    match saved {
        Some("created") => {
            "<p role=\"status\" class=\"notice\">Rule added. It is inactive until you activate it.</p>"
        }
        Some("updated") => "<p role=\"status\" class=\"notice\">Rule saved.</p>",
        Some("activate") => "<p role=\"status\" class=\"notice\">Rule activated.</p>",
        Some("deactivate") => "<p role=\"status\" class=\"notice\">Rule deactivated.</p>",
        Some("delete") => "<p role=\"status\" class=\"notice\">Rule deleted.</p>",
        _ => "",
    }
}

/// `GET /admin/groups/rules`.
pub async fn list(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(shown): Query<Shown>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ListGroupRules, None)
        .await?;
    let query = GroupRuleQuery {
        search: None,
        limit: PAGE_SIZE,
        after: shown.after.clone().filter(|a| !a.is_empty()),
    };
    let (rules, more) = state
        .store()
        .list_group_rules(&query)
        .await
        .map_err(|e| error_page(e.into()))?;
    let names = group_names(&state, &rules).await?;
    let may = rights(&state, &admin).await?;
    let csrf = csrf_field(&admin);
    let table = if rules.is_empty() {
        "<p>No rules yet.</p>".to_owned()
    } else {
        let rows: String = rules
            .iter()
            .map(|r| rule_row(r, &names, &may, &csrf))
            .collect();
        format!(
            "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Status</th>\
             <th scope=\"col\">Condition</th><th scope=\"col\">Assigned to</th>\
             <th scope=\"col\">Actions</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let add = if admin
        .may(&state, ConsoleAction::CreateGroupRule, None)
        .await?
    {
        "<p><a class=\"button\" href=\"/admin/groups/rules/new\">Add Rule</a></p>"
    } else {
        ""
    };
    let last = rules.last().filter(|_| more).map(|r| r.id.as_str());
    let main = format!(
        "<h1>Group rules</h1>{tabs}{notice}{add}{table}{next}",
        tabs = group_tabs("Rules"),
        notice = notice(shown.saved.as_deref()),
        next = next_page("/admin/groups/rules", "", last),
    );
    page(&state, &admin, StatusCode::OK, "Group rules", &main).await
}

/// `POST /admin/groups/rules/{id}/{activate|deactivate|delete}`.
pub async fn change(
    State(state): State<AppState>,
    Path((id, op)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let action = match op.as_str() {
        "activate" => ConsoleAction::GroupRuleLifecycle("activate"),
        "deactivate" => ConsoleAction::GroupRuleLifecycle("deactivate"),
        "delete" => ConsoleAction::DeleteGroupRule,
        _ => {
            return Err(error_page(crate::http::ApiError::not_found(
                &op,
                "Operation",
            )));
        }
    };
    let (admin, form) = post.permitted(&state, action, Some(&id)).await?;
    let audit = &admin.audit;
    let done = match action {
        ConsoleAction::GroupRuleLifecycle("activate") => {
            set_status(&state, audit, &id, RuleStatus::Active).await
        }
        ConsoleAction::GroupRuleLifecycle(_) => {
            set_status(&state, audit, &id, RuleStatus::Inactive).await
        }
        _ => delete(&state, audit, &id, form.get("removeUsers") == "true").await,
    };
    done.map_err(error_page)?;
    Ok(redirect(&format!("/admin/groups/rules?saved={op}")))
}
