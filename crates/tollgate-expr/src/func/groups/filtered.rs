//! `getFilteredGroups`: the allow-listed groups the user is in, each mapped through the group
//! expression, with every group's fate recorded when tracing.

use std::sync::Arc;

use super::{FILTERED_TOO_HIGH, decision, limit, record};
use crate::error::EvalErrorKind;
use crate::func::{Args, Fault};
use crate::ir::{Op, Pre};
use crate::limits::FILTERED_GROUPS_LIMIT;
use crate::machine::Eval;
use crate::trace::{DropReason, GroupDecision, Verdict};
use crate::value::group::GroupObj;
use crate::value::{GroupRef, List, Value};

/// A set of group positions, one bit each: cheaper than hashing for dense small integers.
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    /// Sets bit `i`; true if it was not set before.
    fn insert(&mut self, i: usize) -> bool {
        match self.0.get_mut(i / 64) {
            Some(word) => {
                let mask = 1u64 << (i % 64);
                let fresh = *word & mask == 0;
                *word |= mask;
                fresh
            }
            None => false,
        }
    }

    fn contains(&self, i: usize) -> bool {
        self.0
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }
}

/// `getFilteredGroups(allowlist, groupExpr, limit)`: one value per allow-listed group the user is
/// in, in allow-list order; more matches than `limit` is an error.
pub(super) fn filtered_groups(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let ctx = ev.ctx;
    let ids: List = match a.get(0) {
        Value::Null => {
            return Err(Fault::new(
                EvalErrorKind::Type,
                "getFilteredGroups: the allow-list (argument 1) is null",
            ));
        }
        Value::List(items) => items.clone(),
        Value::Str(s) => List::from(crate::func::arrays::split_csv(s)),
        _ => return Err(a.type_error(0, "a list of group ids")),
    };
    ev.charge(ids.len())?;
    let computed;
    let op: &Op = match a.pre {
        Pre::GroupExpr(op) => op,
        _ => {
            computed = ev.group_expression(a.str(1)?, a.span)?;
            &computed
        }
    };
    let limit = limit(a, &FILTERED_GROUPS_LIMIT, FILTERED_TOO_HIGH)?;
    let tracing = ev.trace.is_some();
    let mut decisions = Vec::new();
    let members = ctx.index.member_count;
    let mut seen = Bits::new(members);
    let mut matched: Vec<&Arc<GroupObj>> = Vec::new();
    for (pos, v) in ids.iter().enumerate() {
        let Value::Str(id) = v else {
            return Err(Fault::new(
                EvalErrorKind::Type,
                format!(
                    "getFilteredGroups: allow-list entry {} is a {}, not a group id",
                    pos + 1,
                    v.type_name()
                ),
            ));
        };
        match ctx.index.by_id.get(&**id).copied() {
            Some(i) if i < members => {
                if seen.insert(i) {
                    matched.extend(ctx.index.groups.get(i));
                } else if tracing && let Some(g) = ctx.index.groups.get(i) {
                    decisions.push(decision(g, Verdict::Dropped(DropReason::Duplicate)));
                }
            }
            other if tracing => decisions.push(GroupDecision {
                id: id.to_string(),
                name: other
                    .and_then(|i| ctx.index.groups.get(i))
                    .map(|g| g.name.to_string()),
                verdict: Verdict::Dropped(DropReason::UserNotMember),
            }),
            _ => {}
        }
    }
    let over = usize::try_from(limit).is_ok_and(|l| matched.len() > l);
    let mut out = Vec::with_capacity(matched.len());
    if !over {
        for g in &matched {
            let v = ev.with_group(Value::Group(GroupRef(Arc::clone(g))), op)?;
            let verdict = if matches!(v, Value::Null) {
                Verdict::Dropped(DropReason::NullValue)
            } else {
                out.push(v);
                Verdict::Kept
            };
            if tracing {
                decisions.push(decision(g, verdict));
            }
        }
    }
    if tracing {
        if over {
            let dropped = Verdict::Dropped(DropReason::OverLimit);
            decisions.extend(matched.iter().map(|g| decision(g, dropped)));
        }
        let not_listed = Verdict::Dropped(DropReason::NotInWhitelist);
        // `seen` is indexed by position in the context's group list, not in Groups.* order.
        let unseen = |g: &&Arc<GroupObj>| {
            ctx.index
                .by_id
                .get(&*g.id)
                .is_none_or(|&i| !seen.contains(i))
        };
        decisions.extend(
            ctx.member_groups()
                .iter()
                .filter(unseen)
                .map(|g| decision(g, not_listed)),
        );
        record(ev, a, Some(limit), decisions);
    }
    if over {
        return Err(Fault::new(
            EvalErrorKind::GroupLimit,
            format!(
                "getFilteredGroups: {} of the user's groups are allow-listed, more than the limit of {limit}",
                matched.len()
            ),
        ));
    }
    ev.charge(out.len())?;
    Ok(Value::from(out))
}
