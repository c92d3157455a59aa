//! The org authorization server's ID-token groups claim, which Okta keeps on the app and sets
//! only in its admin UI (and through the internal endpoint its UI and Terraform provider use):
//! a claim name and either a group filter or an expression (`management-api.md` section 3.4).

use crate::authz::claim::{ClaimValueType, GroupFilterType, check_expression};
use crate::error::{Cause, Error};

/// The app's groups claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdTokenGroupsClaim {
    /// The claim's name (default `groups`).
    pub name: String,
    /// `GROUPS` (a filter) or `EXPRESSION`.
    pub value_type: ClaimValueType,
    /// The filter operator for `GROUPS`.
    pub group_filter_type: Option<GroupFilterType>,
    /// The filter value or the expression (unwrapped from an extra pair of quotes, checked).
    pub value: String,
}

impl IdTokenGroupsClaim {
    /// Validates what an admin posted. `None` for every field (Terraform posts only
    /// `issuerMode`) means "no groups claim".
    pub fn from_input(
        value_type: Option<&str>,
        name: Option<&str>,
        value: Option<&str>,
        group_filter_type: Option<&str>,
    ) -> Result<Option<Self>, Error> {
        let Some(vt) = value_type.filter(|v| !v.trim().is_empty()) else {
            return Ok(None);
        };
        let fail = |field: &str, msg: String| {
            Err(Error::Invalid {
                summary: field.to_owned(),
                causes: vec![Cause::field(field, msg)],
            })
        };
        let value_type = match vt {
            "EXPRESSION" => ClaimValueType::Expression,
            "GROUPS" => ClaimValueType::Groups,
            other => {
                return fail(
                    "valueType",
                    format!("'{other}' is not one of EXPRESSION, GROUPS"),
                );
            }
        };
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or("groups")
            .to_owned();
        let raw = value.unwrap_or_default();
        let (value, group_filter_type) = match value_type {
            ClaimValueType::Expression => match check_expression(raw) {
                Ok(v) => (v, None),
                Err(message) => return fail("value", message),
            },
            _ => {
                let Some(filter) = group_filter_type.and_then(GroupFilterType::parse) else {
                    return fail(
                        "groupFilterType",
                        "must be one of EQUALS, STARTS_WITH, CONTAINS, REGEX".to_owned(),
                    );
                };
                if filter == GroupFilterType::Regex
                    && let Err(e) = regex::Regex::new(raw)
                {
                    return fail("value", format!("not a valid regular expression: {e}"));
                }
                (raw.to_owned(), Some(filter))
            }
        };
        Ok(Some(Self {
            name,
            value_type,
            group_filter_type,
            value,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_expression_filters_and_clearing() {
        let seed = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;
        let c =
            IdTokenGroupsClaim::from_input(Some("EXPRESSION"), Some("groups"), Some(seed), None)
                .unwrap()
                .unwrap();
        assert_eq!(c.value, seed);
        let quoted = format!("\"{seed}\"");
        assert_eq!(
            IdTokenGroupsClaim::from_input(Some("EXPRESSION"), None, Some(&quoted), None)
                .unwrap()
                .unwrap()
                .value,
            seed
        );
        assert!(
            IdTokenGroupsClaim::from_input(
                Some("EXPRESSION"),
                None,
                Some("getFilteredGroups(x, \"group.name\", 400)"),
                None
            )
            .is_err()
        );
        let f = IdTokenGroupsClaim::from_input(Some("GROUPS"), None, Some(".*"), Some("REGEX"))
            .unwrap()
            .unwrap();
        assert_eq!(
            (f.name.as_str(), f.group_filter_type),
            ("groups", Some(GroupFilterType::Regex))
        );
        assert!(
            IdTokenGroupsClaim::from_input(Some("GROUPS"), None, Some("("), Some("REGEX")).is_err()
        );
        assert!(IdTokenGroupsClaim::from_input(Some("GROUPS"), None, Some("x"), None).is_err());
        assert_eq!(
            IdTokenGroupsClaim::from_input(None, None, None, None).unwrap(),
            None
        );
    }
}
