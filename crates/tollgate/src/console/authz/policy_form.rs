//! The Add Policy form: **Name**, **Description** and **Assign to** (All clients / The
//! following clients, by client ID), as the API's policy body (`conditions.clients.include`).

use tollgate_core::authz::policy::POLICY_TYPE;
use tollgate_core::authz::{ALL_CLIENTS, Policy, PolicyInput};

use super::controls::{Choice, radios, text};
use super::split_list;
use crate::console::fields::{Problems, input};
use crate::console::guard::Form;

const ASSIGN: [(&str, &str); 2] = [("all", "All clients"), ("some", "The following clients:")];

/// The form's fields named as the API names them in its validation causes.
pub const WIRE_NAMES: [(&str, &str); 1] = [("conditions.clients.include", "clients")];

/// Every field of the form.
pub const FIELDS: [&str; 4] = ["name", "description", "assign", "clients"];

/// What the form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyForm {
    name: String,
    description: String,
    assign: String,
    clients: String,
}

impl Default for PolicyForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            assign: "all".into(),
            clients: String::new(),
        }
    }
}

impl PolicyForm {
    /// What policy `p` holds, for Edit Policy.
    pub fn of(p: &Policy) -> Self {
        let all = p.clients.iter().any(|c| c == ALL_CLIENTS);
        Self {
            name: p.name.clone(),
            description: p.description.clone(),
            assign: if all { "all" } else { "some" }.to_owned(),
            clients: if all {
                String::new()
            } else {
                p.clients.join(", ")
            },
        }
    }

    /// What was posted.
    pub fn posted(form: &Form) -> Self {
        Self {
            name: form.get("name"),
            description: form.get("description"),
            assign: form.get("assign"),
            clients: form.get("clients"),
        }
    }

    /// The API's input for this form.
    pub fn input(&self) -> PolicyInput {
        let clients = if self.assign == "some" {
            split_list(&self.clients)
        } else {
            vec![ALL_CLIENTS.to_owned()]
        };
        PolicyInput {
            kind: Some(POLICY_TYPE.to_owned()),
            name: Some(self.name.trim().to_owned()),
            description: Some(self.description.trim().to_owned()),
            priority: None,
            status: None,
            clients: Some(clients),
        }
    }

    /// The form's fields, each with its problem.
    pub fn fields_html(&self, problems: Option<&Problems>) -> String {
        let assign = Choice {
            name: "assign",
            label: "Assign to",
            options: &ASSIGN,
            value: &self.assign,
        };
        [
            input(&text("name", "Name", &self.name, true), problems, ""),
            input(
                &text("description", "Description", &self.description, true),
                problems,
                "",
            ),
            radios(&assign, problems),
            input(
                &text("clients", "Clients", &self.clients, false),
                problems,
                "",
            ),
        ]
        .concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_clients_or_the_ones_typed() {
        let mut f = PolicyForm {
            name: "Web".into(),
            description: "For the web app".into(),
            ..PolicyForm::default()
        };
        assert_eq!(f.input().clients, Some(vec![ALL_CLIENTS.to_owned()]));
        f.assign = "some".into();
        f.clients = "0oa1, 0oa2".into();
        assert_eq!(f.input().clients, Some(vec!["0oa1".into(), "0oa2".into()]));
        assert_eq!(f.input().kind.as_deref(), Some(POLICY_TYPE));
    }
}
