//! The value of one claim: an expression (compiled once, evaluated against the request's
//! context) or a `GROUPS` filter over the user's Okta groups.

use serde_json::{Value, json};

use super::{ClaimFailure, MAX_FILTER_GROUPS};
use crate::authz::Claim;
use crate::authz::claim::{ClaimValueType, GroupFilterType};
use crate::directory::{Group, GroupType};
use crate::expr;
use crate::expr::DropReason;

/// Group names matching a `GROUPS` filter (Okta-mastered groups only), sorted.
pub fn filter_groups(
    groups: &[Group],
    filter: GroupFilterType,
    value: &str,
) -> Result<Vec<String>, String> {
    let regex = match filter {
        GroupFilterType::Regex => {
            Some(regex::Regex::new(&format!("^(?:{value})$")).map_err(|e| e.to_string())?)
        }
        _ => None,
    };
    let needle = value.to_lowercase();
    let mut names: Vec<String> = groups
        .iter()
        .filter(|g| matches!(g.kind, GroupType::OktaGroup | GroupType::BuiltIn))
        .map(Group::name)
        .filter(|name| {
            let lower = name.to_lowercase();
            match filter {
                GroupFilterType::Equals => lower == needle,
                GroupFilterType::StartsWith => lower.starts_with(&needle),
                GroupFilterType::Contains => lower.contains(&needle),
                GroupFilterType::Regex => regex.as_ref().is_some_and(|r| r.is_match(name)),
            }
        })
        .map(str::to_owned)
        .collect();
    names.sort();
    Ok(names)
}

/// A `GROUPS` filter's decision on each of the user's groups, derived from the filter's result
/// `names`, in the shape of an expression's trace (`{"matched", "calls": [{"function",
/// "groups": [{"id", "name", "kept", "reason"}]}]}`), so one explanation fits both.
fn filter_trace(groups: &[Group], names: &[String]) -> Value {
    let decisions: Vec<Value> = groups
        .iter()
        .map(|g| {
            let okta = matches!(g.kind, GroupType::OktaGroup | GroupType::BuiltIn);
            let reason = if !okta {
                Some(DropReason::SourceMismatch)
            } else if names.iter().any(|n| n == g.name()) {
                None
            } else {
                Some(DropReason::NameMismatch)
            };
            json!({"id": g.id.as_str(), "name": g.name(), "kept": reason.is_none(),
                   "reason": reason.map(DropReason::code)})
        })
        .collect();
    json!({"matched": names, "calls": [{"function": "groupsFilter", "groups": decisions}]})
}

fn failure(claim: &str, detail: String) -> ClaimFailure {
    ClaimFailure {
        claim: claim.to_owned(),
        description: format!("The '{claim}' user claim could not be evaluated."),
        detail,
    }
}

/// An expression compiled once, or the message its compilation failed with (reported when a
/// token needs the claim, as an uncompiled expression would be).
#[derive(Debug, Clone)]
pub struct Program(Result<expr::Compiled, String>);

impl Program {
    /// Compiles `source`.
    pub fn compile(source: &str) -> Self {
        Self(expr::compile(source).map_err(|e| e.render(source)))
    }
}

/// A server's claims with their expressions compiled, made once when the configuration is
/// loaded so that the token path never parses an expression.
#[derive(Debug, Clone, Default)]
pub struct CompiledClaims {
    pub(super) claims: Vec<(Claim, Option<Program>)>,
}

impl CompiledClaims {
    /// Compiles every EXPRESSION (and system) claim of `claims`.
    pub fn new(claims: &[Claim]) -> Self {
        Self {
            claims: claims
                .iter()
                .map(|c| {
                    let program = match c.value_type {
                        ClaimValueType::Groups => None,
                        ClaimValueType::Expression | ClaimValueType::System => {
                            Some(Program::compile(&c.value))
                        }
                    };
                    (c.clone(), program)
                })
                .collect(),
        }
    }

    /// The claims, in the order given.
    pub fn claims(&self) -> impl Iterator<Item = &Claim> {
        self.claims.iter().map(|(c, _)| c)
    }
}

/// Evaluates one claim's value; `explain` records group decisions.
pub fn evaluate(
    claim_name: &str,
    value_type: ClaimValueType,
    value: &str,
    filter: Option<GroupFilterType>,
    ctx: &expr::Context,
    groups: &[Group],
    explain: bool,
) -> Result<(Value, Option<Value>), ClaimFailure> {
    let program = match value_type {
        ClaimValueType::Groups => None,
        ClaimValueType::Expression | ClaimValueType::System => Some(Program::compile(value)),
    };
    evaluate_compiled(
        claim_name,
        value,
        filter,
        program.as_ref(),
        ctx,
        groups,
        explain,
    )
}

/// [`evaluate`] with the expression already compiled (`None`: a `GROUPS` filter claim).
pub(super) fn evaluate_compiled(
    claim_name: &str,
    value: &str,
    filter: Option<GroupFilterType>,
    program: Option<&Program>,
    ctx: &expr::Context,
    groups: &[Group],
    explain: bool,
) -> Result<(Value, Option<Value>), ClaimFailure> {
    match program {
        None => {
            let names = filter_groups(groups, filter.unwrap_or(GroupFilterType::StartsWith), value)
                .map_err(|e| failure(claim_name, format!("bad group filter: {e}")))?;
            if names.len() > MAX_FILTER_GROUPS {
                return Err(ClaimFailure {
                    claim: claim_name.to_owned(),
                    description: "The groups claim matched too many groups and must be configured to match fewer groups.".to_owned(),
                    detail: format!("{} groups matched", names.len()),
                });
            }
            let notes = explain.then(|| filter_trace(groups, &names));
            Ok((json!(names), notes))
        }
        Some(Program(compiled)) => {
            let compiled = compiled
                .as_ref()
                .map_err(|rendered| failure(claim_name, rendered.clone()))?;
            let (result, trace) = if explain {
                let (r, t) = compiled.eval_traced(ctx);
                (r, Some(t.to_json()))
            } else {
                (compiled.eval(ctx), None)
            };
            let v = result.map_err(|e| failure(claim_name, e.render(value)))?;
            let j = v
                .to_json()
                .map_err(|e| failure(claim_name, e.to_string()))?;
            Ok((j, trace))
        }
    }
}
