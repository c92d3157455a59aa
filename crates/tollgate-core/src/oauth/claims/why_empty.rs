//! Why a claim came out empty, in words for the System Log.

use crate::authz::claim::{ClaimValueType, GroupFilterType};
use crate::directory::{Group, GroupType};
use crate::expr;

/// Why claim `claim_name` came out null or empty, in words for the System Log: for a group
/// function, which of the user's groups were dropped and why.
pub fn why_empty(
    claim_name: &str,
    value_type: ClaimValueType,
    value: &str,
    filter: Option<GroupFilterType>,
    ctx: &expr::Context,
    groups: &[Group],
) -> String {
    let head = format!("Claim '{claim_name}' was left out because its value is empty");
    if value_type == ClaimValueType::Groups {
        let f = filter.unwrap_or(GroupFilterType::StartsWith);
        let okta = groups
            .iter()
            .filter(|g| g.kind != GroupType::AppGroup)
            .count();
        return format!(
            "{head}: none of the user's {okta} Okta groups has a name matching {} '{value}'.",
            f.as_str()
        );
    }
    let Ok(compiled) = expr::compile(value) else {
        return format!("{head}.");
    };
    let (_, trace) = compiled.eval_traced(ctx);
    let parts: Vec<String> = trace.calls.iter().map(call_summary).collect();
    if parts.is_empty() {
        format!("{head}: the expression returned null or an empty list.")
    } else {
        format!("{head}. {}.", parts.join(". "))
    }
}

/// Groups named per reason at most; the rest are counted. The reason goes into the System
/// Log with every token that leaves the claim out, so it must stay short for a user in
/// thousands of groups or an allow-list of thousands of ids.
const NAMED_PER_REASON: usize = 3;

/// How one group function call dropped its groups, grouped by reason, in the order the
/// reasons first occur.
fn call_summary(call: &expr::GroupCall) -> String {
    let mut by_reason: Vec<(expr::DropReason, Vec<&expr::GroupDecision>)> = Vec::new();
    for g in &call.groups {
        let expr::Verdict::Dropped(r) = g.verdict else {
            continue;
        };
        match by_reason.iter_mut().find(|(seen, _)| *seen == r) {
            Some((_, list)) => list.push(g),
            None => by_reason.push((r, vec![g])),
        }
    }
    if by_reason.is_empty() {
        return format!("{} considered no group", call.function);
    }
    let reasons: Vec<String> = by_reason
        .iter()
        .map(|(r, list)| reason_summary(*r, list))
        .collect();
    format!("{} kept no group: {}", call.function, reasons.join("; "))
}

fn reason_summary(reason: expr::DropReason, dropped: &[&expr::GroupDecision]) -> String {
    let named: Vec<String> = dropped
        .iter()
        .take(NAMED_PER_REASON)
        .map(|g| {
            g.name
                .as_deref()
                .map_or_else(|| g.id.clone(), |n| format!("{n} ({})", g.id))
        })
        .collect();
    let rest = dropped.len() - named.len();
    let who = if rest == 0 {
        named.join(", ")
    } else {
        format!("{} and {rest} more", named.join(", "))
    };
    let (one, many) = reason_words(reason);
    format!("{who} {}", if dropped.len() == 1 { one } else { many })
}

/// The words for a reason, for one group and for several.
fn reason_words(reason: expr::DropReason) -> (&'static str, &'static str) {
    use expr::DropReason as R;
    match reason {
        R::NotInWhitelist => ("is not in the allow-list", "are not in the allow-list"),
        R::UserNotMember => (
            "is allow-listed but the user is not a member",
            "are allow-listed but the user is not a member",
        ),
        R::Duplicate => ("is listed twice", "are listed twice"),
        R::NullValue => ("gave a null value", "gave null values"),
        R::OverLimit => ("is over the limit", "are over the limit"),
        R::SourceMismatch => (
            "is not from the requested source",
            "are not from the requested source",
        ),
        R::NameMismatch => (
            "does not match the name pattern",
            "do not match the name pattern",
        ),
        _ => ("does not match the criteria", "do not match the criteria"),
    }
}
