//! The checked form that the evaluator walks: names resolved to bindings and functions, literal
//! regular expressions and group expressions compiled once. Immutable and shareable across threads.

pub(crate) mod call;

use std::sync::Arc;

use regex::Regex;

use crate::ast::BinaryOp;
use crate::span::Span;
use crate::value::Value;
use call::FuncDef;

/// The bindings a path can start from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Root {
    User,
    App,
    AppUser,
    Org,
    Access,
    Session,
    /// Only inside a group expression.
    Group,
}

/// Work prepared at check time for one call.
#[derive(Clone, Debug, Default)]
pub(crate) enum Pre {
    #[default]
    None,
    /// A literal pattern argument, compiled.
    Regex(Arc<Regex>),
    /// A literal group expression argument, parsed and checked.
    GroupExpr(Arc<Op>),
}

#[derive(Debug)]
pub(crate) struct Op {
    pub(crate) kind: OpKind,
    pub(crate) span: Span,
}

#[derive(Debug)]
pub(crate) enum OpKind {
    Const(Value),
    List(Vec<Op>),
    Map(Vec<(Arc<str>, Op)>),
    Root(Root),
    /// A bare name inside a projection or selection: a property of the current element.
    ElemProp(Arc<str>),
    Prop {
        target: Box<Op>,
        name: Arc<str>,
        null_safe: bool,
    },
    Index {
        target: Box<Op>,
        index: Box<Op>,
    },
    Call {
        func: &'static FuncDef,
        /// The receiver of a `user.…(…)` method, passed as the first argument; `true` when `?.`.
        receiver: Option<(Box<Op>, bool)>,
        args: Vec<Op>,
        pre: Pre,
    },
    Project {
        target: Box<Op>,
        body: Box<Op>,
    },
    Select {
        target: Box<Op>,
        body: Box<Op>,
    },
    Not(Box<Op>),
    Neg(Box<Op>),
    And(Box<Op>, Box<Op>),
    Or(Box<Op>, Box<Op>),
    /// Arithmetic and comparison operators (never `and`, `or`, `matches`).
    Binary {
        op: BinaryOp,
        lhs: Box<Op>,
        rhs: Box<Op>,
    },
    Matches {
        lhs: Box<Op>,
        rhs: Box<Op>,
        regex: Option<Arc<Regex>>,
    },
    Ternary {
        cond: Box<Op>,
        then: Box<Op>,
        otherwise: Box<Op>,
    },
    Elvis {
        value: Box<Op>,
        fallback: Box<Op>,
    },
}
