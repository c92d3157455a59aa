//! Methods of the `user` binding: `getInternalProperty`, `getGroups`, `isMemberOf`. The evaluator
//! passes the (non-null) user as argument 0.

use std::collections::HashSet;
use std::sync::Arc;

use super::groups::scan_members;
use super::{Args, Fault, FuncDef, Ns};
use crate::machine::Eval;
use crate::trace::{DropReason, Verdict};
use crate::value::group::GroupObj;
use crate::value::{GroupRef, Map, Value};

pub(crate) static FUNCS: &[FuncDef] = &[
    FuncDef::new(Ns::User, "getInternalProperty", 1, 1, internal_property),
    FuncDef::new(Ns::User, "getGroups", 0, usize::MAX, get_groups),
    FuncDef::new(Ns::User, "isMemberOf", 1, usize::MAX, is_member_of),
];

/// `id` and `status`; any other name is `null`.
fn internal_property(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let name = a.opt_str(1)?;
    Ok(match (a.get(0), name) {
        (Value::Map(user), Some(key @ ("id" | "status"))) => {
            user.get(key).cloned().unwrap_or_default()
        }
        _ => Value::Null,
    })
}

/// One criteria map: every key present must match (a list value means any of its elements).
struct Criteria {
    ids: Option<HashSet<Arc<str>>>,
    types: Option<Vec<Arc<str>>>,
    sources: Option<HashSet<Arc<str>>>,
    /// Lower-cased names, with a trailing `.*` removed.
    names: Option<Vec<String>>,
    exact: bool,
}

const KEYS: &str = "group.id, group.type, group.source.id, group.profile.name, operator";

fn strings(v: &Value, a: &Args<'_>, key: &str) -> Result<Vec<Arc<str>>, Fault> {
    match v {
        Value::Str(s) => Ok(vec![s.clone()]),
        Value::List(items) => items
            .iter()
            .map(|i| match i {
                Value::Str(s) => Ok(s.clone()),
                other => Err(a.invalid(format!(
                    "`{key}` values must be strings, found {}",
                    other.type_name()
                ))),
            })
            .collect(),
        other => Err(a.invalid(format!(
            "`{key}` must be a string or a list, found {}",
            other.type_name()
        ))),
    }
}

fn criteria(map: &Map, a: &Args<'_>) -> Result<Criteria, Fault> {
    let mut c = Criteria {
        ids: None,
        types: None,
        sources: None,
        names: None,
        exact: false,
    };
    for (key, v) in map.iter() {
        match key {
            "group.id" => c.ids = Some(strings(v, a, key)?.into_iter().collect()),
            "group.type" => c.types = Some(strings(v, a, key)?),
            "group.source.id" => {
                c.sources = Some(strings(v, a, key)?.into_iter().collect());
            }
            "group.profile.name" => {
                let names = strings(v, a, key)?;
                c.names = Some(
                    names
                        .iter()
                        .map(|n| n.strip_suffix(".*").unwrap_or(n).to_lowercase())
                        .collect(),
                );
            }
            "operator" => {
                c.exact = match v.as_str().map(str::to_ascii_uppercase).as_deref() {
                    Some("EXACT") => true,
                    Some("STARTS_WITH") => false,
                    _ => return Err(a.invalid("`operator` must be \"EXACT\" or \"STARTS_WITH\"")),
                }
            }
            other => {
                return Err(a.invalid(format!(
                    "unknown criteria key `{other}`; expected one of {KEYS}"
                )));
            }
        }
    }
    Ok(c)
}

impl Criteria {
    fn scan_cost(&self) -> usize {
        1 + self.names.as_ref().map_or(0, Vec::len) + self.types.as_ref().map_or(0, Vec::len)
    }

    fn accepts(&self, g: &GroupObj) -> bool {
        self.ids.as_ref().is_none_or(|ids| ids.contains(&*g.id))
            && self.types.as_ref().is_none_or(|types| {
                types
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(g.group_type.as_str()))
            })
            && self
                .sources
                .as_ref()
                .is_none_or(|sources| g.source_id.as_deref().is_some_and(|s| sources.contains(s)))
            && self.names.as_ref().is_none_or(|names| {
                names.iter().any(|n| {
                    if self.exact {
                        g.name_lower == *n
                    } else {
                        g.name_lower.starts_with(n.as_str())
                    }
                })
            })
    }
}

/// The user's groups matching every criteria map, in `Groups.*` order.
fn matching(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Vec<Value>, Fault> {
    let all = a
        .vals
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, v)| match v {
            Value::Map(m) => criteria(m, a),
            other => Err(a.invalid(format!(
                "argument {i} must be a criteria map such as {{'group.type': 'OKTA_GROUP'}}, found {}",
                other.type_name()
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Ids and sources are hashed; names and types are scanned once per group.
    for v in a.vals.iter().skip(1) {
        ev.charge(v.weight())?;
    }
    let per_group: usize = all.iter().map(Criteria::scan_cost).sum();
    ev.charge(ev.ctx.index.member_count.saturating_mul(per_group))?;
    let mut out = Vec::new();
    scan_members(ev, a, None, |g| {
        if all.iter().all(|c| c.accepts(g)) {
            out.push(Value::Group(GroupRef(Arc::clone(g))));
            Verdict::Kept
        } else {
            Verdict::Dropped(DropReason::CriteriaMismatch)
        }
    })?;
    Ok(out)
}

fn get_groups(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    Ok(Value::from(matching(ev, a)?))
}

fn is_member_of(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    Ok(Value::Bool(!matching(ev, a)?.is_empty()))
}
