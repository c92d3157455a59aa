//! The Add Claim / Edit Claim form: **Name**, **Include in token type** (ID Token / Access
//! Token, and for an ID Token Always / Userinfo / ID Token), **Value type** (Expression /
//! Groups, with the groups filter), **Value** and **Include in** (any scope, or the following
//! scopes). It maps onto the API's claim body: `claimType` IDENTITY / RESOURCE,
//! `alwaysIncludeInToken`, `valueType`, `group_filter_type`, `value` and `conditions.scopes`.

use tollgate_core::authz::{Claim, ClaimInput, ClaimType, ClaimValueType};

use super::controls::{Choice, expression_textarea, radios, select, text};
use super::split_list;
use crate::console::fields::{Problems, input};
use crate::console::guard::Form;

/// `claimType`, Okta's words.
pub const TOKEN_TYPES: [(&str, &str); 2] = [("IDENTITY", "ID Token"), ("RESOURCE", "Access Token")];
const ALWAYS: [(&str, &str); 2] = [("true", "Always"), ("false", "Userinfo / ID Token")];
const VALUE_TYPES: [(&str, &str); 2] = [("EXPRESSION", "Expression"), ("GROUPS", "Groups")];
const FILTERS: [(&str, &str); 4] = [
    ("STARTS_WITH", "Starts with"),
    ("EQUALS", "Equals"),
    ("CONTAINS", "Contains"),
    ("REGEX", "Matches regex"),
];
const INCLUDE: [(&str, &str); 2] = [("any", "Any scope"), ("some", "The following scopes:")];

/// The form's fields named as the API names them in its validation causes.
pub const WIRE_NAMES: [(&str, &str); 3] = [
    ("group_filter_type", "filterType"),
    ("alwaysIncludeInToken", "always"),
    ("conditions.scopes", "scopes"),
];

/// What the form shows: a stored claim, or what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimForm {
    name: String,
    claim_type: String,
    always: String,
    value_type: String,
    filter_type: String,
    value: String,
    include: String,
    scopes: String,
}

impl Default for ClaimForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            claim_type: "RESOURCE".into(),
            always: "true".into(),
            value_type: "EXPRESSION".into(),
            filter_type: "REGEX".into(),
            value: String::new(),
            include: "any".into(),
            scopes: String::new(),
        }
    }
}

impl ClaimForm {
    /// The form of a stored claim.
    pub fn of(c: &Claim) -> Self {
        Self {
            name: c.name.clone(),
            claim_type: c.claim_type.as_str().into(),
            always: c.always_include_in_token.to_string(),
            value_type: c.value_type.as_str().into(),
            filter_type: c.group_filter_type.map_or("REGEX", |g| g.as_str()).into(),
            value: c.value.clone(),
            include: if c.scopes.is_empty() { "any" } else { "some" }.into(),
            scopes: c.scopes.join(" "),
        }
    }

    /// What was posted.
    pub fn posted(form: &Form) -> Self {
        Self {
            name: form.get("name"),
            claim_type: form.get("claimType"),
            always: form.get("always"),
            value_type: form.get("valueType"),
            filter_type: form.get("filterType"),
            value: form.get("value"),
            include: form.get("include"),
            scopes: form.get("scopes"),
        }
    }

    /// The API's input for this form; `status` is kept from the stored claim, if any. An
    /// access-token claim is always included, as Okta stores it.
    pub fn input(&self, status: Option<&str>) -> ClaimInput {
        let groups = self.value_type == ClaimValueType::Groups.as_str();
        let identity = self.claim_type == ClaimType::Identity.as_str();
        let scopes = if self.include == "some" {
            split_list(&self.scopes)
        } else {
            Vec::new()
        };
        ClaimInput {
            name: Some(self.name.trim().to_owned()),
            status: status.map(str::to_owned),
            claim_type: Some(self.claim_type.clone()),
            value_type: Some(self.value_type.clone()),
            value: Some(self.value.clone()),
            group_filter_type: groups.then(|| self.filter_type.clone()),
            always_include_in_token: Some(!identity || self.always == "true"),
            scopes: Some(scopes),
        }
    }

    /// The form's fields (without the `<form>` element), each with its problem.
    pub fn fields_html(&self, problems: Option<&Problems>) -> String {
        [
            input(&text("name", "Name", &self.name, true), problems, ""),
            select(
                &Choice::new(
                    "claimType",
                    "Include in token type",
                    &TOKEN_TYPES,
                    &self.claim_type,
                ),
                problems,
            ),
            select(
                &Choice::new("always", "ID Token inclusion", &ALWAYS, &self.always),
                problems,
            ),
            select(
                &Choice::new("valueType", "Value type", &VALUE_TYPES, &self.value_type),
                problems,
            ),
            select(
                &Choice::new("filterType", "Filter", &FILTERS, &self.filter_type),
                problems,
            ),
            expression_textarea(
                &text("value", "Value", &self.value, true),
                problems,
                ("claim", "valueType=EXPRESSION"),
            ),
            radios(
                &Choice::new("include", "Include in", &INCLUDE, &self.include),
                problems,
            ),
            input(&text("scopes", "Scopes", &self.scopes, false), problems, ""),
        ]
        .concat()
    }
}

/// A claim's token type, Okta's words.
pub fn token_type_words(c: &Claim) -> &'static str {
    match (c.claim_type, c.always_include_in_token) {
        (ClaimType::Identity, true) => "ID Token (Always)",
        (ClaimType::Identity, false) => "ID Token (Userinfo / ID Token)",
        (ClaimType::Resource, _) => "Access Token",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> ClaimForm {
        ClaimForm {
            name: "groups".into(),
            claim_type: "IDENTITY".into(),
            always: "true".into(),
            value_type: "GROUPS".into(),
            filter_type: "REGEX".into(),
            value: ".*".into(),
            include: "some".into(),
            scopes: "openid, groups".into(),
        }
    }

    #[test]
    fn the_form_maps_onto_the_api_claim_body() {
        let input = typed().input(None);
        assert_eq!(input.claim_type.as_deref(), Some("IDENTITY"));
        assert_eq!(input.always_include_in_token, Some(true));
        assert_eq!(input.group_filter_type.as_deref(), Some("REGEX"));
        assert_eq!(input.scopes, Some(vec!["openid".into(), "groups".into()]));
        let access = ClaimForm {
            claim_type: "RESOURCE".into(),
            value_type: "EXPRESSION".into(),
            include: "any".into(),
            ..typed()
        };
        let input = access.input(Some("ACTIVE"));
        assert_eq!(input.always_include_in_token, Some(true));
        assert_eq!(input.group_filter_type, None);
        assert_eq!(input.scopes, Some(Vec::new()));
        assert_eq!(input.status.as_deref(), Some("ACTIVE"));
    }
}
