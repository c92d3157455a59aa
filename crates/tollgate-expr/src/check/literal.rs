//! Literal group limits, judged when the claim is saved.

use crate::ast::{Node, NodeKind, UnaryOp};
use crate::ir::call::{FuncDef, LimitRule};

/// A limit written as a literal (`40`, `-1`, `'40'`) is judged now; any other expression is judged
/// when evaluated.
pub(super) fn limit(def: &FuncDef, rule: &LimitRule, arg: &Node) -> Result<(), String> {
    let (neg, inner) = match &arg.kind {
        NodeKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => (true, &operand.kind),
        k => (false, k),
    };
    let value = match inner {
        NodeKind::Int(i) => {
            if neg {
                -*i
            } else {
                *i
            }
        }
        NodeKind::Float(_) | NodeKind::Str(_) | NodeKind::Bool(_) | NodeKind::Null => {
            return Err(format!(
                "the maximum number of groups (argument {} of {}) must be an integer",
                rule.arg + 1,
                def.qualified()
            ));
        }
        _ => return Ok(()),
    };
    if value > *rule.range.end() {
        return Err(rule.too_high.to_owned());
    }
    if value < *rule.range.start() {
        return Err(format!(
            "The maximum number of groups must be at least {}",
            rule.range.start()
        ));
    }
    Ok(())
}
