//! **Edit Policy** (`…/policies/{policyId}`: Name, Description, Assign to) and **Edit Rule**
//! (`…/policies/{policyId}/rules/{ruleId}`), saved as `PUT …/policies/{policyId}` and
//! `PUT …/rules/{ruleId}` replace them, with the API's checks and events. A rule keeps the
//! exclusions the form does not show; a read-only admin sees the forms with Save disabled.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tollgate_core::server::AuthServer;

use super::controls::edit_form;
use super::policy_form::{self, PolicyForm};
use super::rule_form::{self, RuleForm};
use super::{accept, changed, open, path_of, renamed, tab_page};
use crate::api::authorization_servers::policies::{self as api_policies, load_policy};
use crate::api::authorization_servers::rules::{self as api_rules, load_rule};
use crate::console::fields::Problems;
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page};
use crate::console::post::ConsolePost;
use crate::pages::escape;
use crate::state::AppState;

/// What an edit page shows: its title, where it posts, the action that saves it, its fields
/// and its alert.
struct EditPage<'a> {
    title: &'a str,
    action: &'a str,
    save: ConsoleAction,
    fields: String,
    alert: String,
}

/// An edit page of the Access Policies tab; Save disabled when the admin may not save.
async fn show(
    state: &AppState,
    admin: &ConsoleAdmin,
    server: &AuthServer,
    status: StatusCode,
    p: EditPage<'_>,
) -> Result<Response, Response> {
    let may_save = admin.may(state, p.save, Some(server.id.as_str())).await?;
    let cancel = path_of(server, "/policies");
    let csrf = csrf_field(admin);
    let form = edit_form(&csrf, (p.action, &cancel), &p.fields, may_save);
    let body = format!("<h2>{}</h2>{}{form}", escape(p.title), p.alert);
    tab_page(state, admin, (server, "Access Policies"), status, &body).await
}

/// `GET /admin/authorization-servers/{id}/policies/{policyId}`.
pub async fn edit(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path((id, policy)): Path<(String, String)>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::ViewPolicy, &id).await?;
    let stored = load_policy(&state, &id, &policy)
        .await
        .map_err(error_page)?;
    let action = path_of(&server, &format!("/policies/{}", stored.id));
    let page = EditPage {
        title: "Edit Policy",
        action: &action,
        save: ConsoleAction::SavePolicy,
        fields: PolicyForm::of(&stored).fields_html(None),
        alert: String::new(),
    };
    show(&state, &admin, &server, StatusCode::OK, page).await
}

/// `POST /admin/authorization-servers/{id}/policies/{policyId}`.
pub async fn save(
    State(state): State<AppState>,
    Path((id, policy)): Path<(String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, posted, server) = accept(&state, post, ConsoleAction::SavePolicy, &id).await?;
    let form = PolicyForm::posted(&posted);
    let ids = (id.as_str(), policy.as_str());
    let e = match api_policies::replace(&state, &admin.audit, ids, &form.input()).await {
        Ok(_) => return Ok(changed(&state, &path_of(&server, "/policies"))),
        Err(e) => e,
    };
    let e = renamed(e, &policy_form::WIRE_NAMES);
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let action = path_of(&server, &format!("/policies/{policy}"));
    let page = EditPage {
        title: "Edit Policy",
        action: &action,
        save: ConsoleAction::SavePolicy,
        fields: form.fields_html(Some(&problems)),
        alert: problems.alert(&policy_form::FIELDS),
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(&state, &admin, &server, status, page).await
}

/// `GET /admin/authorization-servers/{id}/policies/{policyId}/rules/{ruleId}`.
pub async fn edit_rule(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path((id, policy, rule)): Path<(String, String, String)>,
) -> Result<Response, Response> {
    let server = open(&state, &admin, ConsoleAction::ViewRule, &id).await?;
    let stored = load_rule(&state, &id, &policy, &rule)
        .await
        .map_err(error_page)?;
    let action = path_of(
        &server,
        &format!("/policies/{}/rules/{}", stored.policy_id, stored.id),
    );
    let page = EditPage {
        title: "Edit Rule",
        action: &action,
        save: ConsoleAction::SaveRule,
        fields: RuleForm::of(&stored).fields_html(None),
        alert: String::new(),
    };
    show(&state, &admin, &server, StatusCode::OK, page).await
}

/// `POST /admin/authorization-servers/{id}/policies/{policyId}/rules/{ruleId}`.
pub async fn save_rule(
    State(state): State<AppState>,
    Path((id, policy, rule)): Path<(String, String, String)>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, posted, server) = accept(&state, post, ConsoleAction::SaveRule, &id).await?;
    let stored = load_rule(&state, &id, &policy, &rule)
        .await
        .map_err(error_page)?;
    let form = RuleForm::posted(&posted);
    let ids = (id.as_str(), policy.as_str(), rule.as_str());
    let saved = match form.input() {
        Ok(mut input) => {
            if let Some(people) = &mut input.people {
                people.groups_exclude = stored.people.groups_exclude.clone();
                people.users_exclude = stored.people.users_exclude.clone();
            }
            api_rules::replace(&state, &admin.audit, ids, &input).await
        }
        Err(e) => Err(e),
    };
    let e = match saved {
        Ok(_) => return Ok(changed(&state, &path_of(&server, "/policies"))),
        Err(e) => e,
    };
    let e = renamed(e, &rule_form::WIRE_NAMES);
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let action = path_of(&server, &format!("/policies/{policy}/rules/{rule}"));
    let page = EditPage {
        title: "Edit Rule",
        action: &action,
        save: ConsoleAction::SaveRule,
        fields: form.fields_html(Some(&problems)),
        alert: problems.alert(&rule_form::FIELDS),
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(&state, &admin, &server, status, page).await
}
