//! The Add Rule form: **Rule Name**, the grant types (checkboxes), the user (any user assigned
//! the app, or members of the groups or the users named), the scopes (any, or the following)
//! and the token lifetimes, as the API's rule body.

use tollgate_core::authz::rule::RULE_TYPE;
use tollgate_core::authz::{EVERYONE, People, Rule, RuleInput};

use super::controls::{Choice, checkbox, radios, text};
use super::split_list;
use crate::console::fields::{Field, Problems, input};
use crate::console::guard::Form;
use crate::http::ApiError;
use crate::pages::escape;

/// The grants a rule may name, Okta's words.
const GRANTS: [(&str, &str); 4] = [
    ("client_credentials", "Client Credentials"),
    ("authorization_code", "Authorization Code"),
    ("implicit", "Implicit (hybrid)"),
    ("password", "Resource Owner Password"),
];
const PEOPLE: [(&str, &str); 2] = [
    ("any", "Any user assigned the app"),
    (
        "some",
        "Assigned the app and a member of one of the following:",
    ),
];
const SCOPES: [(&str, &str); 2] = [("any", "Any scopes"), ("some", "The following scopes:")];
/// The lifetimes: field, label, default.
const LIFETIMES: [(&str, &str, &str); 3] = [
    ("accessMinutes", "Access token lifetime is (minutes)", "60"),
    (
        "refreshMinutes",
        "Refresh token lifetime is (minutes, 0 for unlimited)",
        "0",
    ),
    (
        "windowMinutes",
        "but will expire if not used every (minutes)",
        "10080",
    ),
];

/// The form's fields named as the API names them in its validation causes.
pub const WIRE_NAMES: [(&str, &str); 8] = [
    ("conditions.grantTypes.include", "grants"),
    ("conditions.people.groups.include", "groups"),
    ("conditions.people.users.include", "users"),
    ("conditions.people", "people"),
    ("conditions.scopes.include", "scopes"),
    ("actions.token.accessTokenLifetimeMinutes", "accessMinutes"),
    (
        "actions.token.refreshTokenLifetimeMinutes",
        "refreshMinutes",
    ),
    ("actions.token.refreshTokenWindowMinutes", "windowMinutes"),
];

/// Every field of the form.
pub const FIELDS: [&str; 9] = [
    "name",
    "grants",
    "people",
    "groups",
    "users",
    "scopes",
    "accessMinutes",
    "refreshMinutes",
    "windowMinutes",
];

/// What the form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleForm {
    name: String,
    grants: Vec<String>,
    people: String,
    groups: String,
    users: String,
    scope_mode: String,
    scopes: String,
    lifetimes: [String; 3],
}

impl Default for RuleForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            grants: vec!["client_credentials".into(), "authorization_code".into()],
            people: "any".into(),
            groups: String::new(),
            users: String::new(),
            scope_mode: "any".into(),
            scopes: String::new(),
            lifetimes: LIFETIMES.map(|(_, _, d)| d.to_owned()),
        }
    }
}

/// Minutes typed into `field`, or the reason they are not minutes.
fn minutes(field: &str, typed: &str) -> Result<i64, ApiError> {
    typed
        .trim()
        .parse()
        .map_err(|_| ApiError::invalid(field, "Enter a whole number of minutes"))
}

impl RuleForm {
    /// What rule `r` holds, for Edit Rule.
    pub fn of(r: &Rule) -> Self {
        let p = &r.people;
        let anyone = p.groups_include.iter().any(|g| g == EVERYONE) && p.users_include.is_empty();
        let any_scope = r.scopes.iter().any(|s| s == "*");
        let t = &r.token;
        Self {
            name: r.name.clone(),
            grants: r
                .grant_types
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect(),
            people: if anyone { "any" } else { "some" }.to_owned(),
            groups: if anyone {
                String::new()
            } else {
                p.groups_include.join(", ")
            },
            users: p.users_include.join(", "),
            scope_mode: if any_scope { "any" } else { "some" }.to_owned(),
            scopes: if any_scope {
                String::new()
            } else {
                r.scopes.join(", ")
            },
            lifetimes: [
                t.access_minutes,
                t.refresh_minutes,
                t.refresh_window_minutes,
            ]
            .map(|m| m.to_string()),
        }
    }

    /// What was posted.
    pub fn posted(form: &Form) -> Self {
        let grants = GRANTS
            .iter()
            .filter(|(g, _)| form.get(&format!("grant_{g}")) == "on")
            .map(|(g, _)| (*g).to_owned())
            .collect();
        Self {
            name: form.get("name"),
            grants,
            people: form.get("people"),
            groups: form.get("groups"),
            users: form.get("users"),
            scope_mode: form.get("scopeMode"),
            scopes: form.get("scopes"),
            lifetimes: LIFETIMES.map(|(f, _, _)| form.get(f)),
        }
    }

    /// The API's input for this form, or why the minutes typed are not minutes.
    pub fn input(&self) -> Result<RuleInput, ApiError> {
        let people = if self.people == "some" {
            People {
                groups_include: split_list(&self.groups),
                users_include: split_list(&self.users),
                ..People::default()
            }
        } else {
            People {
                groups_include: vec![EVERYONE.to_owned()],
                ..People::default()
            }
        };
        let scopes = if self.scope_mode == "some" {
            split_list(&self.scopes)
        } else {
            vec!["*".to_owned()]
        };
        let [access, refresh, window] = &self.lifetimes;
        Ok(RuleInput {
            kind: Some(RULE_TYPE.to_owned()),
            name: Some(self.name.trim().to_owned()),
            priority: None,
            status: None,
            has_conditions: true,
            people: Some(people),
            grant_types: Some(self.grants.clone()),
            scopes: Some(scopes),
            access_minutes: Some(minutes("accessMinutes", access)?),
            refresh_minutes: Some(minutes("refreshMinutes", refresh)?),
            refresh_window_minutes: Some(minutes("windowMinutes", window)?),
        })
    }

    fn grants_html(&self, problems: Option<&Problems>) -> String {
        let boxes: String = GRANTS
            .iter()
            .map(|(g, words)| {
                checkbox(
                    &format!("grant_{g}"),
                    words,
                    self.grants.iter().any(|x| x == g),
                )
            })
            .collect();
        let (described, note) = match problems.and_then(|p| p.of("grants")) {
            Some(m) => (
                " aria-describedby=\"f-grants-error\"",
                format!(
                    "<p class=\"error\" id=\"f-grants-error\">{}</p>",
                    escape(&m)
                ),
            ),
            None => ("", String::new()),
        };
        format!(
            "<fieldset id=\"f-grants\"{described}><legend>Grant type is</legend>{boxes}{note}</fieldset>"
        )
    }

    /// The form's fields, each with its problem.
    pub fn fields_html(&self, problems: Option<&Problems>) -> String {
        let lifetimes: String = LIFETIMES
            .iter()
            .zip(&self.lifetimes)
            .map(|((name, label, _), value)| {
                let f = Field {
                    kind: "number",
                    ..text(name, label, value, true)
                };
                input(&f, problems, "")
            })
            .collect();
        [
            input(&text("name", "Rule Name", &self.name, true), problems, ""),
            self.grants_html(problems),
            radios(
                &Choice::new("people", "User is", &PEOPLE, &self.people),
                problems,
            ),
            input(&text("groups", "Groups", &self.groups, false), problems, ""),
            input(&text("users", "Users", &self.users, false), problems, ""),
            radios(
                &Choice::new("scopeMode", "Scopes requested", &SCOPES, &self.scope_mode),
                problems,
            ),
            input(&text("scopes", "Scopes", &self.scopes, false), problems, ""),
            format!("<fieldset><legend>Token lifetimes</legend>{lifetimes}</fieldset>"),
        ]
        .concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_maps_onto_the_api_rule_body() {
        let input = RuleForm::default().input().unwrap();
        assert_eq!(
            input.grant_types,
            Some(vec![
                "client_credentials".into(),
                "authorization_code".into()
            ])
        );
        assert_eq!(input.scopes, Some(vec!["*".into()]));
        assert_eq!(
            input.people.unwrap().groups_include,
            vec![EVERYONE.to_owned()]
        );
        assert_eq!(
            (input.access_minutes, input.refresh_minutes),
            (Some(60), Some(0))
        );
        let some = RuleForm {
            people: "some".into(),
            groups: "00g1 00g2".into(),
            scope_mode: "some".into(),
            scopes: "openid,groups".into(),
            ..RuleForm::default()
        };
        let input = some.input().unwrap();
        assert_eq!(
            input.people.unwrap().groups_include,
            vec!["00g1".to_owned(), "00g2".to_owned()]
        );
        assert_eq!(input.scopes, Some(vec!["openid".into(), "groups".into()]));
        let bad = RuleForm {
            lifetimes: ["an hour".into(), "0".into(), "10080".into()],
            ..RuleForm::default()
        };
        assert_eq!(
            bad.input().unwrap_err().causes,
            vec!["accessMinutes: Enter a whole number of minutes".to_owned()]
        );
    }
}
