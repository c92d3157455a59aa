//! **Add Rule** (`GET /admin/groups/rules/new`, `POST /admin/groups/rules`) and **Edit** of an
//! inactive rule (`GET /admin/groups/rules/{id}/edit`, `POST /admin/groups/rules/{id}`), in
//! Okta's words: **Name**, IF **Use Okta Expression Language** (checked as it is typed by
//! `console.js`, and by the save), THEN **Assign to** (Okta groups; fixed once the rule exists,
//! as Okta's API allows no change of a rule's actions) and **Exclude people** (usernames). Saved
//! by the functions `/api/v1/groups/rules` runs.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tollgate_core::directory::Group;
use tollgate_core::group_rule::{GroupRule, RuleInput};

use crate::api::group_rules::{create, load_rule, replace};
use crate::console::fields::{Field, Problems, input, marks};
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::pickers;
use crate::console::post::ConsolePost;
use crate::http::ApiError;
use crate::pages::escape;
use crate::state::AppState;

/// What the form holds.
#[derive(Debug, Clone, Default)]
struct RuleForm {
    name: String,
    expression: String,
    group_ids: Vec<String>,
    /// Usernames, separated by commas.
    exclude: String,
}

impl RuleForm {
    fn posted(form: &Form) -> Self {
        Self {
            name: form.get("name"),
            expression: form.get("expression"),
            group_ids: form.all("groupIds"),
            exclude: form.get("exclude"),
        }
    }
}

/// The rule being edited (`None`: Add Rule) and the form's action.
fn target(rule: Option<&GroupRule>) -> (String, &'static str) {
    match rule {
        Some(r) => (format!("/admin/groups/rules/{}", r.id), "Edit rule"),
        None => ("/admin/groups/rules".to_owned(), "Add Rule"),
    }
}

/// The groups of `ids` that exist, in the order of `ids`.
async fn chosen_groups(state: &AppState, ids: &[String]) -> Result<Vec<Group>, Response> {
    let asked: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut found = state
        .store()
        .groups_by_ids(&asked)
        .await
        .map_err(|e| error_page(e.into()))?;
    found.sort_by_key(|g| ids.iter().position(|id| id == g.id.as_str()));
    Ok(found)
}

/// The Assign to select: the chosen groups (selected), then, while the rule can still change
/// them, the first Okta groups; `console.js` adds the Find groups search for the others.
async fn groups_html(
    state: &AppState,
    f: &RuleForm,
    (fixed, problems): (bool, Option<&Problems>),
) -> Result<String, Response> {
    let mut groups = chosen_groups(state, &f.group_ids).await?;
    let chosen = groups.len();
    if !fixed {
        let (first, _) = pickers::okta_groups(state, None, pickers::FIRST)
            .await
            .map_err(error_page)?;
        let picked = |g: &Group| f.group_ids.iter().any(|id| id == g.id.as_str());
        groups.extend(first.into_iter().filter(|g| !picked(g)));
    }
    let options: String = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let sel = if i < chosen { " selected" } else { "" };
            format!(
                "<option value=\"{}\"{sel}>{}</option>",
                escape(g.id.as_str()),
                escape(g.name())
            )
        })
        .collect();
    let (invalid, note) = marks(problems, "actions", "rule-groups");
    let readonly = if fixed {
        " aria-readonly=\"true\""
    } else {
        " data-picker=\"groups\""
    };
    Ok(format!(
        "<label for=\"rule-groups\">Assign to</label>\
         <select id=\"rule-groups\" name=\"groupIds\" multiple size=\"5\" required{readonly}{invalid}>{options}</select>{note}"
    ))
}

/// The whole form.
async fn form_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    (rule, f): (Option<&GroupRule>, &RuleForm),
    problems: Option<&Problems>,
) -> Result<String, Response> {
    let (action, title) = target(rule);
    let name = Field {
        name: "name",
        label: "Name",
        value: &f.name,
        kind: "text",
        required: true,
    };
    let exclude = Field {
        name: "exclude",
        label: "Exclude people (usernames, separated by commas)",
        value: &f.exclude,
        kind: "text",
        required: false,
    };
    let (invalid, note) = marks(problems, "conditions", "rule-expression");
    let alert = problems
        .map(|p| p.alert(&["name", "conditions", "actions", "exclude"]))
        .unwrap_or_default();
    Ok(format!(
        "<h1>{title}</h1>{alert}<form method=\"post\" action=\"{action}\">{csrf}{name}\
         <fieldset><legend>IF</legend><label for=\"rule-expression\">Use Okta Expression Language</label>\
         <textarea id=\"rule-expression\" name=\"expression\" rows=\"3\" spellcheck=\"false\" required \
         data-expression=\"group-rule\"{invalid}>{expression}</textarea>{note}</fieldset>\
         <fieldset><legend>THEN</legend>{groups}{exclude}</fieldset>\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Save</button>\
         <a class=\"button\" href=\"/admin/groups/rules\">Cancel</a></div></form>",
        csrf = csrf_field(admin),
        name = input(&name, problems, ""),
        expression = escape(&f.expression),
        groups = groups_html(state, f, (rule.is_some(), problems)).await?,
        exclude = input(&exclude, problems, ""),
    ))
}

/// The usernames of `f.exclude` as user ids, or the refusal naming the unknown one.
async fn excluded_ids(state: &AppState, f: &RuleForm) -> Result<Vec<String>, ApiError> {
    let mut ids = Vec::new();
    for login in f
        .exclude
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        match state.store().find_user(login).await? {
            Some(u) => ids.push(u.id.as_str().to_owned()),
            None => {
                let message = format!("No person has the username {login}");
                return Err(ApiError::invalid("exclude", &message));
            }
        }
    }
    Ok(ids)
}

async fn input_of(state: &AppState, f: &RuleForm) -> Result<RuleInput, ApiError> {
    Ok(RuleInput {
        kind: None,
        name: Some(f.name.clone()),
        expression_type: None,
        expression: Some(f.expression.clone()),
        excluded_users: excluded_ids(state, f).await?,
        group_ids: f.group_ids.clone(),
    })
}

/// `GET /admin/groups/rules/new`.
pub async fn new(State(state): State<AppState>, admin: ConsoleAdmin) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::CreateGroupRule, None)
        .await?;
    let main = form_html(&state, &admin, (None, &RuleForm::default()), None).await?;
    page(&state, &admin, StatusCode::OK, "Add Rule", &main).await
}

/// `POST /admin/groups/rules`.
pub async fn add(State(state): State<AppState>, post: ConsolePost) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::CreateGroupRule, None)
        .await?;
    let f = RuleForm::posted(&form);
    let created = match input_of(&state, &f).await {
        Ok(input) => create(&state, &admin.audit, &input).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(_) => Ok(redirect("/admin/groups/rules?saved=created")),
        Err(e) => answer_refusal(&state, &admin, (None, &f), e).await,
    }
}

/// The form again with the reasons next to their fields, or the error page.
async fn answer_refusal(
    state: &AppState,
    admin: &ConsoleAdmin,
    (rule, f): (Option<&GroupRule>, &RuleForm),
    e: ApiError,
) -> Result<Response, Response> {
    let Some(problems) = Problems::of_error(&e) else {
        return Err(error_page(e));
    };
    let main = form_html(state, admin, (rule, f), Some(&problems)).await?;
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    page(state, admin, status, target(rule).1, &main).await
}

/// The stored rule as the form shows it.
async fn form_of(state: &AppState, rule: &GroupRule) -> Result<RuleForm, Response> {
    let mut logins = Vec::new();
    for id in &rule.excluded_users {
        let user = state
            .store()
            .find_user(id)
            .await
            .map_err(|e| error_page(e.into()))?;
        logins.push(user.map_or(id.clone(), |u| u.login().to_owned()));
    }
    Ok(RuleForm {
        name: rule.name.clone(),
        expression: rule.expression.clone(),
        group_ids: rule
            .group_ids
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect(),
        exclude: logins.join(", "),
    })
}

/// `GET /admin/groups/rules/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ReplaceGroupRule, Some(&id))
        .await?;
    let rule = load_rule(&state, &id).await.map_err(error_page)?;
    let f = form_of(&state, &rule).await?;
    let main = form_html(&state, &admin, (Some(&rule), &f), None).await?;
    page(&state, &admin, StatusCode::OK, "Edit rule", &main).await
}

/// `POST /admin/groups/rules/{id}`: an active rule is refused, as the API refuses it.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::ReplaceGroupRule, Some(&id))
        .await?;
    let rule = load_rule(&state, &id).await.map_err(error_page)?;
    let f = RuleForm::posted(&form);
    let saved = match input_of(&state, &f).await {
        Ok(input) => replace(&state, &admin.audit, &id, &input).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(redirect("/admin/groups/rules?saved=updated")),
        Err(e) => answer_refusal(&state, &admin, (Some(&rule), &f), e).await,
    }
}
