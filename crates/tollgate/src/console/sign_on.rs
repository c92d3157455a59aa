//! An app's Sign On tab: `GET /admin/apps/{id}/sign-on` shows the section **OpenID Connect ID
//! Token** and its **Edit** button (`?edit` opens the form), `POST` saves it. The form is the
//! one the seed page's Step Three walks through: **Groups claim type** (Filter / Expression),
//! **Group claims filter** (the claim's name, then Starts with / Equals / Contains / Matches
//! regex and its value) and **Groups claim expression**. It is checked and stored exactly as the
//! internal endpoint Okta's UI posts to (`api::app_id_token`); a Filter with no value means no
//! groups claim.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tollgate_core::Error;
use tollgate_core::app::App;
use tollgate_core::app::id_token_claim::IdTokenGroupsClaim;
use tollgate_core::authz::claim::ClaimValueType;

use crate::api::app_id_token::{load_oidc_app, save_claim};
use crate::console::apps::{Outcome, outcome_html, read_only_bits, tabs};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::pages::escape;
use crate::state::AppState;

/// The filter operators, Okta's words and wire names.
const FILTERS: [(&str, &str); 4] = [
    ("STARTS_WITH", "Starts with"),
    ("EQUALS", "Equals"),
    ("CONTAINS", "Contains"),
    ("REGEX", "Matches regex"),
];

/// What the form shows: the stored claim, or what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ClaimForm {
    /// `GROUPS` (Filter) or `EXPRESSION`.
    kind: String,
    name: String,
    filter_type: String,
    filter_value: String,
    expression: String,
}

impl ClaimForm {
    fn of(claim: Option<&IdTokenGroupsClaim>) -> Self {
        let mut f = Self {
            kind: "GROUPS".into(),
            name: "groups".into(),
            filter_type: "REGEX".into(),
            filter_value: String::new(),
            expression: String::new(),
        };
        if let Some(c) = claim {
            f.name.clone_from(&c.name);
            if c.value_type == ClaimValueType::Expression {
                f.kind = "EXPRESSION".into();
                f.expression.clone_from(&c.value);
            } else {
                f.filter_value.clone_from(&c.value);
                if let Some(t) = c.group_filter_type {
                    f.filter_type = t.as_str().into();
                }
            }
        }
        f
    }

    fn posted(form: &crate::console::guard::Form) -> Self {
        Self {
            kind: form.get("valueType"),
            name: form.get("name"),
            filter_type: form.get("groupFilterType"),
            filter_value: form.get("filterValue"),
            expression: form.get("expression"),
        }
    }

    /// The claim to store, checked by the same function as the internal endpoint.
    fn claim(&self) -> Result<Option<IdTokenGroupsClaim>, Error> {
        let expression = self.kind == "EXPRESSION";
        if !expression && self.filter_value.trim().is_empty() {
            return Ok(None);
        }
        let value = if expression {
            &self.expression
        } else {
            &self.filter_value
        };
        IdTokenGroupsClaim::from_input(
            Some(&self.kind),
            Some(&self.name),
            Some(value),
            Some(&self.filter_type),
        )
    }
}

/// The read-only summary and the Edit button.
fn summary_html(f: &ClaimForm, may_save: bool) -> String {
    let (disabled, note) = read_only_bits(may_save);
    let (kind, value) = match f.kind.as_str() {
        "EXPRESSION" => ("Expression", f.expression.clone()),
        _ if f.filter_value.is_empty() => ("Filter", "None".to_owned()),
        _ => {
            let op = FILTERS
                .iter()
                .find(|(wire, _)| *wire == f.filter_type)
                .map_or("", |(_, words)| words);
            ("Filter", format!("{op} {}", f.filter_value))
        }
    };
    format!(
        "{note}<form method=\"get\"><input type=\"hidden\" name=\"edit\" value=\"1\">\
         <button type=\"submit\"{disabled}>Edit</button></form>\
         <dl><dt>Groups claim type</dt><dd>{kind}</dd><dt>Claim name</dt><dd><code>{name}</code></dd>\
         <dt>Value</dt><dd><code>{value}</code></dd></dl>",
        name = escape(&f.name),
        value = escape(&value),
    )
}

fn radio(f: &ClaimForm, value: &str, words: &str) -> String {
    let checked = if f.kind == value || (value == "GROUPS" && f.kind != "EXPRESSION") {
        " checked"
    } else {
        ""
    };
    format!(
        "<label class=\"choice\"><input type=\"radio\" name=\"valueType\" value=\"{value}\"{checked}>{words}</label>"
    )
}

/// The form, with the error (if any) pointed at by the expression field.
fn edit_html(admin: &ConsoleAdmin, app: &App, f: &ClaimForm, invalid: bool) -> String {
    let options: String = FILTERS
        .iter()
        .map(|(wire, words)| {
            let sel = if *wire == f.filter_type {
                " selected"
            } else {
                ""
            };
            format!("<option value=\"{wire}\"{sel}>{words}</option>")
        })
        .collect();
    let marked = if invalid {
        " aria-invalid=\"true\" aria-describedby=\"claim-error\""
    } else {
        ""
    };
    format!(
        "<form method=\"post\" action=\"/admin/apps/{id}/sign-on\">{csrf}\
         <fieldset><legend>Groups claim type</legend>{filter}{expr}</fieldset>\
         <fieldset><legend>Group claims filter</legend>\
         <label for=\"claim-name\">Claim name</label><input type=\"text\" id=\"claim-name\" name=\"name\" value=\"{name}\" required>\
         <label for=\"filter-type\">Filter type</label><select id=\"filter-type\" name=\"groupFilterType\">{options}</select>\
         <label for=\"filter-value\">Filter value</label><input type=\"text\" id=\"filter-value\" name=\"filterValue\" value=\"{fv}\"{marked}></fieldset>\
         <label for=\"expression\">Groups claim expression</label>\
         <textarea id=\"expression\" name=\"expression\" rows=\"3\" spellcheck=\"false\" \
         data-expression=\"groups-claim\" data-app-id=\"{id}\"{marked}>{ex}</textarea>\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Save</button>\
         <a class=\"button\" href=\"/admin/apps/{id}/sign-on\">Cancel</a></div></form>",
        id = escape(app.id.as_str()),
        csrf = csrf_field(admin),
        filter = radio(f, "GROUPS", "Filter"),
        expr = radio(f, "EXPRESSION", "Expression"),
        name = escape(&f.name),
        fv = escape(&f.filter_value),
        ex = escape(&f.expression),
    )
}

/// How the tab is opened.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    edit: Option<String>,
    saved: Option<String>,
}

/// The whole tab.
struct View<'a> {
    app: &'a App,
    form: &'a ClaimForm,
    editing: bool,
    outcome: Option<Outcome>,
}

async fn render(
    state: &AppState,
    admin: &ConsoleAdmin,
    status: StatusCode,
    v: View<'_>,
) -> Result<Response, Response> {
    let may_save = admin
        .may(state, ConsoleAction::SaveSignOn, Some(v.app.id.as_str()))
        .await?;
    let invalid = matches!(v.outcome, Some(Outcome::Invalid(_)));
    let section = if v.editing && may_save {
        edit_html(admin, v.app, v.form, invalid)
    } else {
        summary_html(v.form, may_save)
    };
    let main = format!(
        "{tabs}<section aria-labelledby=\"id-token\"><h2 id=\"id-token\">OpenID Connect ID Token</h2>{outcome}{section}\
         <p><a href=\"/admin/authorization-servers/org/token-preview?client={client}\">Token Preview</a></p></section>",
        tabs = tabs(v.app, "Sign On"),
        client = escape(&v.app.credentials.client_id),
        outcome = outcome_html(v.outcome.as_ref(), "Groups claim saved.", "claim-error"),
    );
    page(
        state,
        admin,
        status,
        &format!("{} - Sign On", v.app.label),
        &main,
    )
    .await
}

/// `GET /admin/apps/{id}/sign-on`.
pub async fn show(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::ViewSignOn, Some(&id))
        .await?;
    let app = load_oidc_app(&state, &id).await.map_err(error_page)?;
    let stored = state
        .store()
        .app_id_token_claim(app.id.as_str())
        .await
        .map_err(|e| error_page(e.into()))?;
    let form = ClaimForm::of(stored.as_ref());
    let view = View {
        app: &app,
        form: &form,
        editing: shown.edit.is_some(),
        outcome: shown.saved.map(|_| Outcome::Saved),
    };
    render(&state, &admin, StatusCode::OK, view).await
}

/// `POST /admin/apps/{id}/sign-on`.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, posted) = post
        .permitted(&state, ConsoleAction::SaveSignOn, Some(&id))
        .await?;
    let app = load_oidc_app(&state, &id).await.map_err(error_page)?;
    let form = ClaimForm::posted(&posted);
    let problem = match form.claim() {
        Ok(claim) => {
            save_claim(&state, &admin.audit, &app, claim.as_ref())
                .await
                .map_err(error_page)?;
            state.caches().invalidate();
            return Ok(redirect(&format!("/admin/apps/{}/sign-on?saved=1", app.id)));
        }
        Err(e) => problem_text(&e),
    };
    let view = View {
        app: &app,
        form: &form,
        editing: true,
        outcome: Some(Outcome::Invalid(problem)),
    };
    render(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, view).await
}

/// The checker's words, named by the field of the form they are about.
fn problem_text(e: &Error) -> String {
    match e {
        Error::Invalid { causes, .. } => causes
            .iter()
            .map(|c| {
                let field = match c.field.as_deref() {
                    Some("value") => "Groups claim expression or filter value",
                    Some("groupFilterType") => "Filter type",
                    Some("valueType") => "Groups claim type",
                    _ => "Groups claim",
                };
                format!("{field}: {}", c.message)
            })
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(kind: &str, filter_value: &str, expression: &str) -> ClaimForm {
        ClaimForm {
            kind: kind.into(),
            name: "groups".into(),
            filter_type: "STARTS_WITH".into(),
            filter_value: filter_value.into(),
            expression: expression.into(),
        }
    }

    #[test]
    fn the_form_makes_the_claim_the_internal_endpoint_would() {
        let seed = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;
        let claim = typed("EXPRESSION", "ignored", seed)
            .claim()
            .unwrap()
            .unwrap();
        assert_eq!(
            (claim.name.as_str(), claim.value.as_str()),
            ("groups", seed)
        );
        assert_eq!(ClaimForm::of(Some(&claim)).expression, seed);
        let filter = typed("GROUPS", "West", "").claim().unwrap().unwrap();
        assert_eq!(ClaimForm::of(Some(&filter)), typed("GROUPS", "West", ""));
        assert_eq!(typed("GROUPS", " ", "x(").claim().unwrap(), None);
        let bad = typed(
            "EXPRESSION",
            "",
            "getFilteredGroups(x, \"group.name\", 400)",
        );
        let text = problem_text(&bad.claim().unwrap_err());
        assert!(
            text.starts_with("Groups claim expression or filter value: "),
            "{text}"
        );
    }
}
