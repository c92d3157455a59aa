//! The checker: resolves every name, function and arity against the registry and prepares literal
//! arguments (regexes, group expressions, group limits), so that a bad claim is refused when it is
//! saved, not when a token is minted. Its output, [`Compiled`], is what the evaluator runs.

mod call;
mod literal;
mod name;

use std::sync::Arc;

use crate::ast::{BinaryOp, Expr, Node, NodeKind, UnaryOp};
use crate::error::{CheckError, CheckErrorKind};
use crate::ir::{Op, OpKind};
use crate::pattern::{self, Mode};
use crate::span::Span;
use crate::value::{Map, Value};

/// A checked expression, ready to evaluate. Cheap to clone (one reference count) and `Send + Sync`:
/// cache it and evaluate it from any number of threads.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) expr: Expr,
    pub(crate) op: Op,
}

impl Compiled {
    /// The parsed expression this was checked from.
    pub fn expr(&self) -> &Expr {
        &self.inner.expr
    }
}

impl Expr {
    /// Resolves names, functions and arities, checks literal group limits and compiles literal
    /// regexes and group expressions.
    pub fn check(&self) -> Result<Compiled, CheckError> {
        let mut c = Checker::new(Span::default(), None, false);
        let op = c.op(&self.root)?;
        Ok(Compiled {
            inner: Arc::new(Inner {
                expr: self.clone(),
                op,
            }),
        })
    }
}

/// Parses and checks a group expression (the second argument of `getFilteredGroups`), with `group`
/// bound. `at` is where the string literal holding it sits in the outer source; when the literal has
/// no doubled quotes, inner spans map exactly into it.
pub(crate) fn group_expression(source: &str, at: Span, exact: bool) -> Result<Op, CheckError> {
    let outer = |span: Span, message: String| {
        let span = if exact {
            span.shifted(at.start + 1)
        } else {
            at
        };
        CheckError::new(
            CheckErrorKind::GroupExpression,
            span,
            format!("in the group expression: {message}"),
        )
    };
    let expr = Expr::parse(source).map_err(|e| outer(e.span, e.to_string()))?;
    let mut c = Checker::new(at, Some(exact), true);
    c.op(&expr.root)
        .map_err(|e| CheckError::new(e.kind, e.span, format!("in the group expression: {e}")))
}

struct Checker {
    /// Where inner spans land in the outer source, for a group expression.
    at: Span,
    exact: Option<bool>,
    group_bound: bool,
    projection_depth: usize,
}

fn err(kind: CheckErrorKind, span: Span, message: impl Into<String>) -> CheckError {
    CheckError::new(kind, span, message)
}

impl Checker {
    fn new(at: Span, exact: Option<bool>, group_bound: bool) -> Self {
        Self {
            at,
            exact,
            group_bound,
            projection_depth: 0,
        }
    }

    fn span(&self, s: Span) -> Span {
        match self.exact {
            None => s,
            Some(true) => s.shifted(self.at.start + 1),
            Some(false) => self.at,
        }
    }

    fn boxed(&mut self, node: &Node) -> Result<Box<Op>, CheckError> {
        self.op(node).map(Box::new)
    }

    fn op(&mut self, node: &Node) -> Result<Op, CheckError> {
        let span = self.span(node.span);
        let kind = match &node.kind {
            NodeKind::Null => OpKind::Const(Value::Null),
            NodeKind::Bool(b) => OpKind::Const(Value::Bool(*b)),
            NodeKind::Int(i) => OpKind::Const(Value::Int(*i)),
            NodeKind::Float(x) => OpKind::Const(Value::Float(*x)),
            NodeKind::Str(s) => OpKind::Const(Value::from(s.as_str())),
            NodeKind::List(items) => constant_or(
                items.iter().map(|n| self.op(n)).collect::<Result<_, _>>()?,
                |ops: &Vec<Op>| {
                    let vals: Option<Vec<Value>> = ops.iter().map(const_value).collect();
                    vals.map(Value::from)
                },
                OpKind::List,
            ),
            NodeKind::Map(entries) => {
                let ops = entries
                    .iter()
                    .map(|(k, v)| Ok((Arc::from(k.as_str()), self.op(v)?)))
                    .collect::<Result<Vec<_>, CheckError>>()?;
                constant_or(
                    ops,
                    |ops: &Vec<(Arc<str>, Op)>| {
                        let vals: Option<Vec<(Arc<str>, Value)>> = ops
                            .iter()
                            .map(|(k, o)| const_value(o).map(|v| (k.clone(), v)))
                            .collect();
                        vals.map(|v| Value::Map(Arc::new(Map::from_entries(v))))
                    },
                    OpKind::Map,
                )
            }
            NodeKind::Name(name) => self.name(name)?,
            NodeKind::Property {
                target,
                name,
                null_safe,
            } => OpKind::Prop {
                target: self.boxed(target)?,
                name: Arc::from(name.text.as_str()),
                null_safe: *null_safe,
            },
            NodeKind::Index { target, index } => OpKind::Index {
                target: self.boxed(target)?,
                index: self.boxed(index)?,
            },
            NodeKind::Call {
                target,
                name,
                args,
                null_safe,
            } => self.call(target.as_deref(), name, args, *null_safe, span)?,
            NodeKind::Projection { target, body } | NodeKind::Selection { target, body } => {
                let target = self.boxed(target)?;
                self.projection_depth += 1;
                let body = self.boxed(body);
                self.projection_depth -= 1;
                let body = body?;
                if matches!(node.kind, NodeKind::Projection { .. }) {
                    OpKind::Project { target, body }
                } else {
                    OpKind::Select { target, body }
                }
            }
            NodeKind::Unary { op, operand } => {
                let operand = self.boxed(operand)?;
                match op {
                    UnaryOp::Not => OpKind::Not(operand),
                    UnaryOp::Neg => OpKind::Neg(operand),
                }
            }
            NodeKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs)?,
            NodeKind::Ternary {
                cond,
                then,
                otherwise,
            } => OpKind::Ternary {
                cond: self.boxed(cond)?,
                then: self.boxed(then)?,
                otherwise: self.boxed(otherwise)?,
            },
            NodeKind::Elvis { value, fallback } => OpKind::Elvis {
                value: self.boxed(value)?,
                fallback: self.boxed(fallback)?,
            },
        };
        Ok(Op { kind, span })
    }

    fn binary(&mut self, op: BinaryOp, lhs: &Node, rhs: &Node) -> Result<OpKind, CheckError> {
        let l = self.boxed(lhs)?;
        if op == BinaryOp::Matches {
            let regex = match &rhs.kind {
                NodeKind::Str(p) => Some(self.regex(p, Mode::FullMatch, rhs.span)?),
                _ => None,
            };
            return Ok(OpKind::Matches {
                lhs: l,
                rhs: self.boxed(rhs)?,
                regex,
            });
        }
        let r = self.boxed(rhs)?;
        Ok(match op {
            BinaryOp::And => OpKind::And(l, r),
            BinaryOp::Or => OpKind::Or(l, r),
            _ => OpKind::Binary { op, lhs: l, rhs: r },
        })
    }

    fn regex(&self, pattern: &str, mode: Mode, at: Span) -> Result<Arc<regex::Regex>, CheckError> {
        pattern::compile(pattern, mode)
            .map(Arc::new)
            .map_err(|m| err(CheckErrorKind::Regex, self.span(at), m))
    }
}

fn const_value(op: &Op) -> Option<Value> {
    match &op.kind {
        OpKind::Const(v) => Some(v.clone()),
        _ => None,
    }
}

/// Inline lists and maps of constants become one constant, built once instead of per evaluation.
fn constant_or<T>(items: T, fold: impl Fn(&T) -> Option<Value>, wrap: fn(T) -> OpKind) -> OpKind {
    match fold(&items) {
        Some(v) => OpKind::Const(v),
        None => wrap(items),
    }
}

#[cfg(test)]
mod tests;
