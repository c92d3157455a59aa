//! `attributeStatements` of a SAML app: `EXPRESSION` statements whose values are expressions
//! over the user, and `GROUP` statements that send the names of the user's groups matching
//! Okta's filter (`STARTS_WITH`, `EQUALS`, `CONTAINS`, `REGEX`).

use serde_json::Value;

use crate::authz::claim::GroupFilterType;
use crate::directory::Group;
use crate::oauth::claims::filter_groups;

/// Okta's attribute name format when a statement gives none.
pub const UNSPECIFIED_NAME_FORMAT: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified";

/// Where an attribute's values come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeSource {
    /// Expressions, one value each (a list result gives several).
    Expression(Vec<String>),
    /// The user's groups matching a filter.
    Group {
        /// How names are matched.
        filter: GroupFilterType,
        /// What they are matched against.
        value: String,
    },
}

/// One statement of `attributeStatements`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeStatement {
    /// `name`.
    pub name: String,
    /// `namespace`: the attribute's `NameFormat`.
    pub name_format: String,
    /// `type` and its fields.
    pub source: AttributeSource,
}

/// An attribute of the assertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// `Name`.
    pub name: String,
    /// `NameFormat`.
    pub name_format: String,
    /// The `AttributeValue`s.
    pub values: Vec<String>,
}

fn parse_one(v: &Value) -> Option<AttributeStatement> {
    let text = |k: &str| v.get(k).and_then(Value::as_str);
    let name = text("name").filter(|n| !n.is_empty())?.to_owned();
    let name_format = text("namespace")
        .filter(|n| !n.is_empty())
        .unwrap_or(UNSPECIFIED_NAME_FORMAT)
        .to_owned();
    let source = match text("type").unwrap_or("EXPRESSION") {
        "GROUP" => AttributeSource::Group {
            filter: GroupFilterType::parse(text("filterType")?)?,
            value: text("filterValue").unwrap_or_default().to_owned(),
        },
        "EXPRESSION" => AttributeSource::Expression(
            v.get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned))
                .into_iter()
                .flatten()
                .collect(),
        ),
        _ => return None,
    };
    Some(AttributeStatement {
        name,
        name_format,
        source,
    })
}

/// The statements of `attributeStatements` that are well formed, in order.
pub fn parse_statements(v: &Value) -> Vec<AttributeStatement> {
    v.as_array()
        .map(|a| a.iter().filter_map(parse_one).collect())
        .unwrap_or_default()
}

/// The attributes for a user: each expression is evaluated by `eval` (its values; none when
/// it is null), each group statement filters `groups`. An attribute without values is left
/// out, as Okta does.
pub fn resolve(
    statements: &[AttributeStatement],
    eval: &mut dyn FnMut(&str) -> Result<Vec<String>, String>,
    groups: &[Group],
) -> Result<Vec<Attribute>, String> {
    let mut out = Vec::new();
    for s in statements {
        let values = match &s.source {
            AttributeSource::Expression(sources) => {
                let mut values = Vec::new();
                for source in sources {
                    values.extend(eval(source)?);
                }
                values
            }
            AttributeSource::Group { filter, value } => filter_groups(groups, *filter, value)
                .map_err(|e| format!("attribute '{}': {e}", s.name))?,
        };
        if !values.is_empty() {
            out.push(Attribute {
                name: s.name.clone(),
                name_format: s.name_format.clone(),
                values,
            });
        }
    }
    Ok(out)
}
