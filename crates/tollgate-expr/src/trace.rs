//! What [`crate::Compiled::eval_traced`] records: per group function call, each group considered and
//! whether it was kept, and if not, why. This is what a token preview shows an admin.

use crate::span::Span;

/// Why a group was not in a group function's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DropReason {
    /// One of the user's groups whose id is not in the allow-list (`getFilteredGroups`).
    NotInWhitelist,
    /// An allow-listed id the user is not a member of (or that no group has).
    UserNotMember,
    /// An allow-listed id listed again; it counts once.
    Duplicate,
    /// The group expression gave `null` for this group, so it was skipped.
    NullValue,
    /// More groups matched than the limit: `getFilteredGroups` then fails as a whole, `Groups.*`
    /// truncates.
    OverLimit,
    /// The group is not from the requested source (`Groups.*`).
    SourceMismatch,
    /// The group's name does not match the pattern (`Groups.*`).
    NameMismatch,
    /// The group fails the criteria (`user.getGroups`, `user.isMemberOf`).
    CriteriaMismatch,
}

impl DropReason {
    /// A stable identifier (`NOT_IN_WHITELIST`, …) for APIs.
    pub fn code(self) -> &'static str {
        match self {
            DropReason::NotInWhitelist => "NOT_IN_WHITELIST",
            DropReason::UserNotMember => "USER_NOT_MEMBER",
            DropReason::Duplicate => "DUPLICATE",
            DropReason::NullValue => "NULL_VALUE",
            DropReason::OverLimit => "OVER_LIMIT",
            DropReason::SourceMismatch => "SOURCE_MISMATCH",
            DropReason::NameMismatch => "NAME_MISMATCH",
            DropReason::CriteriaMismatch => "CRITERIA_MISMATCH",
        }
    }
}

/// The fate of one group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// In the result.
    Kept,
    /// Left out.
    Dropped(DropReason),
}

/// One group considered by a group function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupDecision {
    /// The group id (as written in the allow-list for ids no group has).
    pub id: String,
    /// The group name, when the context knows the group.
    pub name: Option<String>,
    /// Kept or dropped, and why.
    pub verdict: Verdict,
}

/// One evaluated call of a group function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupCall {
    /// `getFilteredGroups`, `Groups.startsWith`, `user.getGroups`, …
    pub function: String,
    /// Where the call is in the expression.
    pub span: Span,
    /// The limit argument, for functions that have one.
    pub limit: Option<i64>,
    /// Every group considered, in the order the function considered them.
    pub groups: Vec<GroupDecision>,
}

/// The record of one traced evaluation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    /// Group function calls in evaluation order.
    pub calls: Vec<GroupCall>,
}

impl Trace {
    /// The trace as JSON, for an admin API:
    /// `{"calls": [{"function", "span": [start, end], "limit", "groups": [{"id", "name", "kept", "reason"}]}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let calls = self
            .calls
            .iter()
            .map(|c| {
                let groups = c
                    .groups
                    .iter()
                    .map(|g| {
                        let (kept, reason) = match g.verdict {
                            Verdict::Kept => (true, serde_json::Value::Null),
                            Verdict::Dropped(r) => (false, r.code().into()),
                        };
                        serde_json::json!({ "id": g.id, "name": g.name, "kept": kept, "reason": reason })
                    })
                    .collect::<Vec<_>>();
                serde_json::json!({
                    "function": c.function,
                    "span": [c.span.start, c.span.end],
                    "limit": c.limit,
                    "groups": groups,
                })
            })
            .collect::<Vec<_>>();
        serde_json::json!({ "calls": calls })
    }

    /// The decision recorded for group `id` in any call, last one first.
    pub fn decision(&self, id: &str) -> Option<&GroupDecision> {
        self.calls
            .iter()
            .rev()
            .flat_map(|c| c.groups.iter())
            .find(|g| g.id == id)
    }
}
