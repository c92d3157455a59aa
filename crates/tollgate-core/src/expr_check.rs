//! The expression editor's two questions, answered by the functions a save and a token or a
//! rule evaluation use, so that the editor cannot disagree with them: is this expression
//! valid where it is typed ([`check`]), and what does it give for this user ([`evaluate`])?
//!
//! Where an expression is typed decides its checker: a claim value and an app's groups claim
//! expression are checked as a claim save checks them ([`checked_expression`]), a group rule's
//! condition as a rule save does ([`group_rule::check_expression`], after trimming).

use serde_json::Value;

use crate::authz::claim::{ClaimValueType, checked_expression};
use crate::clock::Timestamp;
use crate::directory::User;
use crate::expr;
use crate::group_rule;
use crate::oauth::claims::{self, Subject};

/// Where an expression is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExprUse {
    /// A claim's value, or an app's groups claim expression (the same checker).
    Claim,
    /// A group rule's condition.
    GroupRule,
}

impl ExprUse {
    /// The name the console's `data-expression` attribute gives: `claim`, `groups-claim` or
    /// `group-rule`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "claim" | "groups-claim" => Some(Self::Claim),
            "group-rule" => Some(Self::GroupRule),
            _ => None,
        }
    }
}

/// Where in the source a problem is: characters from the start (`start..end`), and the line
/// and column (both from 1) of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Line of `start`.
    pub line: usize,
    /// Column of `start` on its line.
    pub column: usize,
}

/// Why an expression is refused or failed, in the checker's or evaluator's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprProblem {
    /// The message.
    pub message: String,
    /// Where, when the message is about a part of the source.
    pub position: Option<Position>,
}

impl ExprProblem {
    fn of(source: &str, offset: usize, e: &expr::Error) -> Self {
        Self {
            message: e.to_string(),
            position: e
                .span()
                .map(|s| position(source, offset + s.start, offset + s.end)),
        }
    }

    fn blank() -> Self {
        Self {
            message: "The field cannot be left blank".to_owned(),
            position: None,
        }
    }
}

/// Byte offsets in `source` as a [`Position`] (clamped to the source).
fn position(source: &str, start: usize, end: usize) -> Position {
    let chars_to = |byte: usize| source.char_indices().take_while(|(i, _)| *i < byte).count();
    let (start, end) = (chars_to(start), chars_to(end.max(start)));
    let before: Vec<char> = source.chars().take(start).collect();
    let line_start = before.iter().rposition(|c| *c == '\n').map_or(0, |i| i + 1);
    Position {
        start,
        end,
        line: 1 + before.iter().filter(|c| **c == '\n').count(),
        column: 1 + start - line_start,
    }
}

/// The leading whitespace a rule save trims, in bytes, and the trimmed condition.
fn trimmed(source: &str) -> (usize, &str) {
    let start = source.len() - source.trim_start().len();
    (start, source.trim())
}

/// Checks `source` as a save of `use_` would; the compiled expression when it passes.
fn compiled(use_: ExprUse, source: &str) -> Result<expr::Compiled, ExprProblem> {
    match use_ {
        ExprUse::Claim => {
            let stored = checked_expression(source).map_err(|e| ExprProblem::of(source, 0, &e))?;
            expr::compile(&stored).map_err(|e| ExprProblem::of(source, 0, &e))
        }
        ExprUse::GroupRule => {
            let (offset, condition) = trimmed(source);
            if condition.is_empty() {
                return Err(ExprProblem::blank());
            }
            group_rule::check_expression(condition).map_err(|e| ExprProblem::of(source, offset, &e))
        }
    }
}

/// Whether `source` would be saved where it is typed.
pub fn check(use_: ExprUse, source: &str) -> Result<(), ExprProblem> {
    compiled(use_, source).map(drop)
}

/// What a claim's `source` gives against `subject` (its user, groups and app), as a token's
/// claim is evaluated: JSON `null` when the claim would be left out.
pub fn evaluate_claim(source: &str, subject: &Subject<'_>) -> Result<Value, ExprProblem> {
    compiled(ExprUse::Claim, source)?;
    claim_value(source, subject)
}

/// What a rule's condition `source` gives for `user` at `now`, as a rule is evaluated (it puts
/// the user in its groups only when `true`).
pub fn evaluate_condition(source: &str, user: &User, now: Timestamp) -> Result<Value, ExprProblem> {
    compiled(ExprUse::GroupRule, source)?
        .eval_json(&group_rule::rule_context(user, now))
        .map_err(|e| ExprProblem::of(source, trimmed(source).0, &e.into()))
}

fn claim_value(source: &str, subject: &Subject<'_>) -> Result<Value, ExprProblem> {
    let stored = checked_expression(source).map_err(|e| ExprProblem::of(source, 0, &e))?;
    let ctx = claims::context(subject);
    let evaluated = claims::evaluate(
        "value",
        ClaimValueType::Expression,
        &stored,
        None,
        &ctx,
        subject.groups,
        false,
    );
    match evaluated {
        Ok((v, _)) => Ok(v),
        Err(f) => Err(ExprProblem {
            message: f.detail,
            position: None,
        }),
    }
}

#[cfg(test)]
mod tests;
