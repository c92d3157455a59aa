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
    let mut parts = Vec::new();
    for call in &trace.calls {
        let dropped: Vec<String> = call
            .groups
            .iter()
            .filter_map(|g| match g.verdict {
                expr::Verdict::Dropped(r) => {
                    let who = g
                        .name
                        .as_deref()
                        .map_or_else(|| g.id.clone(), |n| format!("{n} ({})", g.id));
                    let why = match r {
                        expr::DropReason::NotInWhitelist => "is not in the allow-list",
                        expr::DropReason::UserNotMember => {
                            "is allow-listed but the user is not a member"
                        }
                        expr::DropReason::Duplicate => "is listed twice",
                        expr::DropReason::NullValue => "gave a null value",
                        expr::DropReason::OverLimit => "is over the limit",
                        expr::DropReason::SourceMismatch => "is not from the requested source",
                        expr::DropReason::NameMismatch => "does not match the name pattern",
                        _ => "does not match the criteria",
                    };
                    Some(format!("{who} {why}"))
                }
                expr::Verdict::Kept => None,
            })
            .collect();
        if dropped.is_empty() {
            parts.push(format!("{} considered no group", call.function));
        } else {
            parts.push(format!(
                "{} kept no group: {}",
                call.function,
                dropped.join("; ")
            ));
        }
    }
    if parts.is_empty() {
        format!("{head}: the expression returned null or an empty list.")
    } else {
        format!("{head}. {}.", parts.join(". "))
    }
}
