//! Canonical printing: minimal parentheses, `&&`/`||`/`!` spellings, single-quoted strings.
//! `parse(print(tree)) == tree` is a property test.

use std::fmt::{self, Display, Formatter, Write};

use super::{Expr, Node, NodeKind, UnaryOp};

const TERNARY: u8 = 1;
const OR: u8 = 2;
const UNARY: u8 = 7;
const POSTFIX: u8 = 8;

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.root.fmt(f)
    }
}

impl Display for Node {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_node(f, self, TERNARY)
    }
}

fn precedence(node: &Node) -> u8 {
    match &node.kind {
        NodeKind::Ternary { .. } | NodeKind::Elvis { .. } => TERNARY,
        NodeKind::Binary { op, .. } => op.precedence(),
        NodeKind::Unary { .. } => UNARY,
        _ => POSTFIX,
    }
}

fn write_node(f: &mut Formatter<'_>, node: &Node, min: u8) -> fmt::Result {
    let prec = precedence(node);
    if prec < min {
        f.write_char('(')?;
        write_bare(f, node)?;
        return f.write_char(')');
    }
    write_bare(f, node)
}

fn write_bare(f: &mut Formatter<'_>, node: &Node) -> fmt::Result {
    match &node.kind {
        NodeKind::Null => f.write_str("null"),
        NodeKind::Bool(b) => write!(f, "{b}"),
        NodeKind::Int(i) => write!(f, "{i}"),
        NodeKind::Float(x) => write_float(f, *x),
        NodeKind::Str(s) => write_str_literal(f, s),
        NodeKind::List(items) => {
            f.write_char('{')?;
            write_list(f, items)?;
            f.write_char('}')
        }
        NodeKind::Map(entries) if entries.is_empty() => f.write_str("{:}"),
        NodeKind::Map(entries) => {
            f.write_char('{')?;
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write_str_literal(f, k)?;
                f.write_str(": ")?;
                write_node(f, v, TERNARY)?;
            }
            f.write_char('}')
        }
        NodeKind::Name(n) => f.write_str(&n.text),
        NodeKind::Property {
            target,
            name,
            null_safe,
        } => {
            write_node(f, target, POSTFIX)?;
            f.write_str(if *null_safe { "?." } else { "." })?;
            f.write_str(&name.text)
        }
        NodeKind::Index { target, index } => {
            write_node(f, target, POSTFIX)?;
            f.write_char('[')?;
            write_node(f, index, TERNARY)?;
            f.write_char(']')
        }
        NodeKind::Call {
            target,
            name,
            args,
            null_safe,
        } => {
            if let Some(t) = target {
                write_node(f, t, POSTFIX)?;
                f.write_str(if *null_safe { "?." } else { "." })?;
            }
            f.write_str(&name.text)?;
            f.write_char('(')?;
            write_list(f, args)?;
            f.write_char(')')
        }
        NodeKind::Projection { target, body } | NodeKind::Selection { target, body } => {
            write_node(f, target, POSTFIX)?;
            let open = if matches!(node.kind, NodeKind::Projection { .. }) {
                ".!["
            } else {
                ".?["
            };
            f.write_str(open)?;
            write_node(f, body, TERNARY)?;
            f.write_char(']')
        }
        NodeKind::Unary { op, operand } => {
            f.write_char(match op {
                UnaryOp::Not => '!',
                UnaryOp::Neg => '-',
            })?;
            write_node(f, operand, UNARY)
        }
        NodeKind::Binary { op, lhs, rhs } => {
            let p = op.precedence();
            // Left-associative: a right operand of equal precedence needs parentheses. Comparisons do
            // not associate at all, so both sides need a tighter operator.
            let left_min = if op.is_relational() { p + 1 } else { p };
            write_node(f, lhs, left_min)?;
            write!(f, " {} ", op.symbol())?;
            write_node(f, rhs, p + 1)
        }
        NodeKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            write_node(f, cond, OR)?;
            f.write_str(" ? ")?;
            write_node(f, then, TERNARY)?;
            f.write_str(" : ")?;
            write_node(f, otherwise, TERNARY)
        }
        NodeKind::Elvis { value, fallback } => {
            write_node(f, value, OR)?;
            f.write_str(" ?: ")?;
            write_node(f, fallback, TERNARY)
        }
    }
}

fn write_list(f: &mut Formatter<'_>, items: &[Node]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_node(f, item, TERNARY)?;
    }
    Ok(())
}

fn write_str_literal(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('\'')?;
    for part in s.split('\'').enumerate() {
        if part.0 > 0 {
            f.write_str("''")?;
        }
        f.write_str(part.1)?;
    }
    f.write_char('\'')
}

/// Rust prints the shortest decimal that reads back to the same `f64`, never with an exponent; a
/// `.0` keeps integral values floats when parsed again.
fn write_float(f: &mut Formatter<'_>, x: f64) -> fmt::Result {
    let text = x.to_string();
    f.write_str(&text)?;
    if x.is_finite() && !text.contains('.') {
        f.write_str(".0")?;
    }
    Ok(())
}
