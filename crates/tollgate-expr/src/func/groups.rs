//! Group functions: `getFilteredGroups`, the `isMemberOfGroup…` predicates and `Groups.*`. All work
//! from the context's id index and its pre-sorted member list: linear in the user's groups plus the
//! allow-list, never quadratic.

mod filtered;

use std::sync::Arc;

use self::filtered::filtered_groups;
use super::{Args, Fault, FuncDef, LimitRule, Ns};
use crate::error::EvalErrorKind;
use crate::limits::{FILTERED_GROUPS_LIMIT, GROUPS_FN_LIMIT};
use crate::machine::Eval;
use crate::pattern::Mode;
use crate::trace::{DropReason, GroupCall, GroupDecision, Verdict};
use crate::value::Value;
use crate::value::group::GroupObj;

const FILTERED_TOO_HIGH: &str = "The maximum number of groups must be less than 100";
const GROUPS_TOO_HIGH: &str = "The maximum number of groups must be at most 100";

const fn groups_fn(name: &'static str, imp: super::NativeFn) -> FuncDef {
    FuncDef {
        limit: Some(LimitRule {
            arg: 2,
            range: GROUPS_FN_LIMIT,
            too_high: GROUPS_TOO_HIGH,
        }),
        ..FuncDef::new(Ns::Groups, name, 3, 3, imp)
    }
}

pub(crate) static FUNCS: &[FuncDef] = &[
    FuncDef {
        group_expr: Some(1),
        limit: Some(LimitRule {
            arg: 2,
            range: FILTERED_GROUPS_LIMIT,
            too_high: FILTERED_TOO_HIGH,
        }),
        ..FuncDef::new(Ns::Global, "getFilteredGroups", 3, 3, filtered_groups)
    },
    FuncDef::new(Ns::Global, "isMemberOfGroup", 1, 1, member_of_group),
    FuncDef::new(
        Ns::Global,
        "isMemberOfAnyGroup",
        1,
        usize::MAX,
        member_of_any,
    ),
    FuncDef::new(Ns::Global, "isMemberOfGroupName", 1, 1, member_by_name),
    FuncDef::new(
        Ns::Global,
        "isMemberOfGroupNameStartsWith",
        1,
        1,
        member_by_prefix,
    ),
    FuncDef::new(
        Ns::Global,
        "isMemberOfGroupNameContains",
        1,
        1,
        member_by_substring,
    ),
    FuncDef {
        regex: Some((0, Mode::GroupName)),
        ..FuncDef::new(
            Ns::Global,
            "isMemberOfGroupNameRegex",
            1,
            1,
            member_by_regex,
        )
    },
    groups_fn("startsWith", groups_starts_with),
    groups_fn("endsWith", groups_ends_with),
    groups_fn("contains", groups_contains),
];

fn decision(g: &GroupObj, verdict: Verdict) -> GroupDecision {
    GroupDecision {
        id: g.id.to_string(),
        name: Some(g.name.to_string()),
        verdict,
    }
}

fn record(ev: &mut Eval<'_>, a: &Args<'_>, limit: Option<i64>, groups: Vec<GroupDecision>) {
    if let Some(trace) = ev.trace.as_deref_mut() {
        trace.calls.push(GroupCall {
            function: a.func.qualified(),
            span: a.span,
            limit,
            groups,
        });
    }
}

/// Decides every one of the user's groups in `Groups.*` order, recording the decisions when tracing.
pub(crate) fn scan_members(
    ev: &mut Eval<'_>,
    a: &Args<'_>,
    limit: Option<i64>,
    mut decide: impl FnMut(&Arc<GroupObj>) -> Verdict,
) -> Result<(), Fault> {
    let groups = ev.ctx.member_groups();
    ev.charge(groups.len())?;
    let tracing = ev.trace.is_some();
    let mut decisions = Vec::new();
    for g in groups {
        let verdict = decide(g);
        if tracing {
            decisions.push(decision(g, verdict));
        }
    }
    if tracing {
        record(ev, a, limit, decisions);
    }
    Ok(())
}

fn limit(
    a: &Args<'_>,
    range: &std::ops::RangeInclusive<i64>,
    too_high: &str,
) -> Result<i64, Fault> {
    let n = a.int(2)?;
    if range.contains(&n) {
        return Ok(n);
    }
    let why = if n > *range.end() {
        too_high.to_owned()
    } else {
        format!(
            "The maximum number of groups must be at least {}",
            range.start()
        )
    };
    Err(Fault::new(
        EvalErrorKind::GroupLimit,
        format!("{}: the limit is {n}. {why}", a.func.qualified()),
    ))
}

fn member_of_group(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let ctx = ev.ctx;
    let yes = a.opt_str(0)?.is_some_and(|id| {
        ctx.index
            .by_id
            .get(id)
            .is_some_and(|&i| i < ctx.index.member_count)
    });
    Ok(Value::Bool(yes))
}

fn member_of_any(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let ctx = ev.ctx;
    let is_member = |v: &Value| match v {
        Value::Str(id) => ctx
            .index
            .by_id
            .get(&**id)
            .is_some_and(|&i| i < ctx.index.member_count),
        _ => false,
    };
    for v in a.vals {
        let hit = match v {
            Value::List(items) => {
                ev.charge(items.len())?;
                items.iter().any(is_member)
            }
            Value::Str(_) | Value::Null => is_member(v),
            _ => return Err(a.type_error(0, "group ids")),
        };
        if hit {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn any_member(ev: &mut Eval<'_>, pred: impl Fn(&GroupObj) -> bool) -> Result<Value, Fault> {
    let groups = ev.ctx.member_groups();
    ev.charge(groups.len())?;
    Ok(Value::Bool(groups.iter().any(|g| pred(g))))
}

fn lower_arg(a: &Args<'_>) -> Result<Option<String>, Fault> {
    Ok(a.opt_str(0)?.map(str::to_lowercase))
}

fn member_by_name(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let Some(name) = lower_arg(a)? else {
        return Ok(Value::Bool(false));
    };
    any_member(ev, |g| g.name_lower == name)
}

fn member_by_prefix(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let Some(prefix) = lower_arg(a)? else {
        return Ok(Value::Bool(false));
    };
    any_member(ev, |g| g.name_lower.starts_with(&prefix))
}

fn member_by_substring(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let Some(part) = lower_arg(a)? else {
        return Ok(Value::Bool(false));
    };
    any_member(ev, |g| g.name_lower.contains(&part))
}

fn member_by_regex(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    if matches!(a.get(0), Value::Null) {
        return Ok(Value::Bool(false));
    }
    let re = a.regex_or_compile(ev, 0, Mode::GroupName)?;
    any_member(ev, |g| re.is_match(&g.name))
}

/// Whether `g` comes from `source`: `OKTA` (Okta and built-in groups), an app type name, or an app
/// instance id.
fn from_source(g: &GroupObj, source: &str) -> bool {
    use crate::parts::GroupType;
    if source.eq_ignore_ascii_case("OKTA") {
        return matches!(g.group_type, GroupType::OktaGroup | GroupType::BuiltIn);
    }
    g.group_type == GroupType::AppGroup
        && (g.source_id.as_deref() == Some(source)
            || g.source_app
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(source)))
}

/// `Groups.*`: names of the user's groups from `source` whose name matches, ignoring case, in name
/// order, truncated at `limit`.
fn groups_matching(
    ev: &mut Eval<'_>,
    a: &Args<'_>,
    matches: fn(&str, &str) -> bool,
) -> Result<Value, Fault> {
    let source = a.str(0)?;
    let pattern = a.str(1)?.to_lowercase();
    let limit = limit(a, &GROUPS_FN_LIMIT, GROUPS_TOO_HIGH)?;
    let cap = usize::try_from(limit).unwrap_or(0);
    let mut out = Vec::new();
    scan_members(ev, a, Some(limit), |g| {
        if !from_source(g, source) {
            Verdict::Dropped(DropReason::SourceMismatch)
        } else if !matches(&g.name_lower, &pattern) {
            Verdict::Dropped(DropReason::NameMismatch)
        } else if out.len() >= cap {
            Verdict::Dropped(DropReason::OverLimit)
        } else {
            out.push(Value::Str(g.name.clone()));
            Verdict::Kept
        }
    })?;
    Ok(Value::from(out))
}

fn groups_starts_with(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    groups_matching(ev, a, |name, p| name.starts_with(p))
}

fn groups_ends_with(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    groups_matching(ev, a, |name, p| name.ends_with(p))
}

fn groups_contains(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    groups_matching(ev, a, |name, p| name.contains(p))
}
