//! A server's Access Policies tab, `GET /admin/authorization-servers/{id}/policies`: each
//! policy with its rules, **Add Policy** (`…/policies/new`, as `POST …/policies` creates), **Add
//! Rule** (`…/policies/{policyId}/rules/new`, as `POST …/rules` creates), Edit (see
//! `policy_edit`) and Delete for each.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tollgate_core::authz::{ALL_CLIENTS, Policy, Rule};
use tollgate_core::server::AuthServer;

use super::controls::actions;
use super::policy_form::{self, PolicyForm};
use super::rule_form::{self, RuleForm};
use super::{accept, changed, open, path_of, renamed, status_words, tab_page};
use crate::api::authorization_servers::policies::{self as api_policies, load_policy};
use crate::api::authorization_servers::rules as api_rules;
use crate::console::fields::{Problems, post_button};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page};
use crate::console::post::ConsolePost;
use crate::pages::escape;
use crate::state::AppState;

/// What the admin may change here: `Some(csrf field)` for each of (policies, rules).
struct May<'a> {
    policies: Option<&'a str>,
    rules: Option<&'a str>,
}

/// An Edit link to `path`, named `name` for assistive technology.
fn edit_link(path: &str, name: &str) -> String {
    format!(
        "<a href=\"{}\" aria-label=\"{}\">Edit</a> ",
        escape(path),
        escape(name)
    )
}

fn rule_row(server: &AuthServer, r: &Rule, csrf: Option<&str>) -> String {
    let grants: Vec<&str> = r.grant_types.iter().map(|g| g.as_str()).collect();
    let rule_path = path_of(server, &format!("/policies/{}/rules/{}", r.policy_id, r.id));
    let edit = edit_link(&rule_path, &format!("Edit rule {}", r.name));
    let delete = csrf.map(|csrf| {
        let path = format!("{rule_path}/delete");
        post_button(&path, csrf, &format!("Delete rule {}", r.name), "")
    });
    format!(
        "<tr><td>{name}</td><td>{grants}</td><td>{scopes}</td><td>{access}</td><td>{status}</td><td>{edit}{delete}</td></tr>",
        name = escape(&r.name),
        grants = escape(&grants.join(", ")),
        scopes = escape(&r.scopes.join(", ")),
        access = r.token.access_minutes,
        status = status_words(r.status),
        delete = delete.unwrap_or_default(),
    )
}

fn policy_html(server: &AuthServer, p: &Policy, rules: &[Rule], may: &May<'_>) -> String {
    let clients = if p.clients.iter().any(|c| c == ALL_CLIENTS) {
        "All clients".to_owned()
    } else {
        p.clients.join(", ")
    };
    let base = path_of(server, &format!("/policies/{}", p.id));
    let delete = may.policies.map(|csrf| {
        post_button(
            &format!("{base}/delete"),
            csrf,
            &format!("Delete policy {}", p.name),
            "",
        )
    });
    let edit = edit_link(&base, &format!("Edit policy {}", p.name));
    let add_rule = may.rules.map(|_| {
        format!(
            "<p><a class=\"button\" href=\"{}/rules/new\" aria-label=\"Add Rule to {name}\">Add Rule</a></p>",
            escape(&base),
            name = escape(&p.name)
        )
    });
    let rows: String = rules
        .iter()
        .map(|r| rule_row(server, r, may.rules))
        .collect();
    let table = if rules.is_empty() {
        "<p>No rules.</p>".to_owned()
    } else {
        format!(
            "<table><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Grant types</th><th scope=\"col\">Scopes</th>\
             <th scope=\"col\">Access token lifetime (minutes)</th><th scope=\"col\">Status</th><th scope=\"col\">Actions</th></tr></thead>\
             <tbody>{rows}</tbody></table>"
        )
    };
    format!(
        "<section aria-labelledby=\"p-{id}\"><h3 id=\"p-{id}\">{name}</h3><dl><dt>Description</dt><dd>{desc}</dd>\
         <dt>Assigned to</dt><dd>{clients}</dd><dt>Status</dt><dd>{status}</dd></dl><p>{edit}</p>{delete}{add_rule}{table}</section>",
        id = escape(p.id.as_str()),
        name = escape(&p.name),
        desc = escape(&p.description),
        clients = escape(&clients),
        status = status_words(p.status),
        delete = delete.unwrap_or_default(),
        add_rule = add_rule.unwrap_or_default(),
    )
}

/// `GET /admin/authorization-servers/{id}/policies`.
pub async fn list(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::ListPolicies, &id).await?;
    let store_error = |e: tollgate_store::Error| error_page(e.into());
    let policies = state.store().policies_of(&id).await.map_err(store_error)?;
    let who = Some(id.as_str());
    let may_policies = admin.may(&state, ConsoleAction::CreatePolicy, who).await?
        && admin.may(&state, ConsoleAction::DeletePolicy, who).await?;
    let may_rules = admin.may(&state, ConsoleAction::CreateRule, who).await?
        && admin.may(&state, ConsoleAction::DeleteRule, who).await?;
    let csrf = csrf_field(&admin);
    let may = May {
        policies: may_policies.then_some(csrf.as_str()),
        rules: may_rules.then_some(csrf.as_str()),
    };
    let mut sections = String::new();
    for p in &policies {
        let rules = state
            .store()
            .rules_of(p.id.as_str())
            .await
            .map_err(store_error)?;
        sections.push_str(&policy_html(&server, p, &rules, &may));
    }
    let add = if may_policies {
        format!(
            "<p><a class=\"button\" href=\"{}\">Add Policy</a></p>",
            escape(&path_of(&server, "/policies/new"))
        )
    } else {
        "<p>Your admin role can view these policies but not change them.</p>".to_owned()
    };
    let none = if policies.is_empty() {
        "<p>No policies.</p>"
    } else {
        ""
    };
    let body = format!("<h2>Access Policies</h2>{add}{none}{sections}");
    tab_page(
        &state,
        &admin,
        (&server, "Access Policies"),
        StatusCode::OK,
        &body,
    )
    .await
}

/// A form page of the tab: `title`, posting to `action`, its fields `fields`, the problems.
async fn form_page(
    state: &AppState,
    admin: &ConsoleAdmin,
    server: &AuthServer,
    (status, title, action): (StatusCode, &str, &str),
    (fields, alert): (String, String),
) -> Result<Response, Response> {
    let body = format!(
        "<h2>{title}</h2>{alert}<form method=\"post\" action=\"{action}\">{csrf}{fields}{actions}</form>",
        title = escape(title),
        action = escape(action),
        csrf = csrf_field(admin),
        actions = actions("Save", &path_of(server, "/policies")),
    );
    tab_page(state, admin, (server, "Access Policies"), status, &body).await
}

/// `GET /admin/authorization-servers/{id}/policies/new`.
pub async fn new(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::CreatePolicy, &id).await?;
    let fields = PolicyForm::default().fields_html(None);
    let action = path_of(&server, "/policies");
    let page = (StatusCode::OK, "Add Policy", action.as_str());
    form_page(&state, &admin, &server, page, (fields, String::new())).await
}

/// `POST /admin/authorization-servers/{id}/policies`.
pub async fn add(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, posted, server) = accept(&state, post, ConsoleAction::CreatePolicy, &id).await?;
    let form = PolicyForm::posted(&posted);
    let e = match api_policies::create(&state, &admin.audit, &id, &form.input()).await {
        Ok(_) => return Ok(changed(&state, &path_of(&server, "/policies"))),
        Err(e) => e,
    };
    let e = renamed(e, &policy_form::WIRE_NAMES);
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let action = path_of(&server, "/policies");
    let page = (
        StatusCode::UNPROCESSABLE_ENTITY,
        "Add Policy",
        action.as_str(),
    );
    let parts = (
        form.fields_html(Some(&problems)),
        problems.alert(&policy_form::FIELDS),
    );
    form_page(&state, &admin, &server, page, parts).await
}

/// `POST /admin/authorization-servers/{id}/policies/{policyId}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    Path((id, policy)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _, server) = accept(&state, post, ConsoleAction::DeletePolicy, &id).await?;
    api_policies::delete(&state, &admin.audit, &id, &policy)
        .await
        .map_err(error_page)?;
    Ok(changed(&state, &path_of(&server, "/policies")))
}

/// `GET /admin/authorization-servers/{id}/policies/{policyId}/rules/new`.
pub async fn new_rule(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path((id, policy)): Path<(String, String)>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::CreateRule, &id).await?;
    let policy = load_policy(&state, &id, &policy)
        .await
        .map_err(error_page)?;
    let action = path_of(&server, &format!("/policies/{}/rules", policy.id));
    let title = format!("Add Rule to {}", policy.name);
    let fields = RuleForm::default().fields_html(None);
    let page = (StatusCode::OK, title.as_str(), action.as_str());
    form_page(&state, &admin, &server, page, (fields, String::new())).await
}

/// `POST /admin/authorization-servers/{id}/policies/{policyId}/rules`.
pub async fn add_rule(
    State(state): State<AppState>,
    Path((id, policy)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, posted, server) = accept(&state, post, ConsoleAction::CreateRule, &id).await?;
    let policy = load_policy(&state, &id, &policy)
        .await
        .map_err(error_page)?;
    let form = RuleForm::posted(&posted);
    let ids = (id.as_str(), policy.id.as_str());
    let created = match form.input() {
        Ok(input) => api_rules::create(&state, &admin.audit, ids, &input).await,
        Err(e) => Err(e),
    };
    let e = match created {
        Ok(_) => return Ok(changed(&state, &path_of(&server, "/policies"))),
        Err(e) => e,
    };
    let e = renamed(e, &rule_form::WIRE_NAMES);
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let action = path_of(&server, &format!("/policies/{}/rules", policy.id));
    let title = format!("Add Rule to {}", policy.name);
    let page = (
        StatusCode::UNPROCESSABLE_ENTITY,
        title.as_str(),
        action.as_str(),
    );
    let parts = (
        form.fields_html(Some(&problems)),
        problems.alert(&rule_form::FIELDS),
    );
    form_page(&state, &admin, &server, page, parts).await
}

/// `POST /admin/authorization-servers/{id}/policies/{policyId}/rules/{ruleId}/delete`.
pub async fn delete_rule(
    State(state): State<AppState>,
    Path((id, policy, rule)): Path<(String, String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, _, server) = accept(&state, post, ConsoleAction::DeleteRule, &id).await?;
    api_rules::delete(&state, &admin.audit, (&id, &policy, &rule))
        .await
        .map_err(error_page)?;
    Ok(changed(&state, &path_of(&server, "/policies")))
}
