//! The syntax tree. Equality ignores spans, so a tree parsed from its own canonical printing
//! ([`std::fmt::Display`], in `ast/display.rs`) compares equal to the original.

mod display;

use crate::span::Span;

/// A name as written in the source (a binding, property, function or namespace name).
#[derive(Clone, Debug)]
pub struct Name {
    /// The identifier.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`, `not`.
    Not,
    /// `-`.
    Neg,
}

/// Binary operators, in the grammar's precedence classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `or`, `OR`, `||`.
    Or,
    /// `and`, `AND`, `&&`.
    And,
    /// `==`, `eq`.
    Eq,
    /// `!=`, `ne`.
    Ne,
    /// `<`, `lt`.
    Lt,
    /// `>`, `gt`.
    Gt,
    /// `<=`, `le`.
    Le,
    /// `>=`, `ge`.
    Ge,
    /// `matches` (full-match regular expression).
    Matches,
    /// `+` (addition or concatenation).
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`, `div`.
    Div,
    /// `%`, `mod`.
    Rem,
}

impl BinaryOp {
    /// Binding strength: higher binds tighter. Ternary and Elvis sit below all of these at 1.
    pub(crate) fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 2,
            BinaryOp::And => 3,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Gt
            | BinaryOp::Le
            | BinaryOp::Ge
            | BinaryOp::Matches => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => 6,
        }
    }

    /// Relational operators do not associate (`a < b < c` is refused).
    pub(crate) fn is_relational(self) -> bool {
        self.precedence() == 4
    }

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Gt => ">",
            BinaryOp::Le => "<=",
            BinaryOp::Ge => ">=",
            BinaryOp::Matches => "matches",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
        }
    }
}

/// The shape of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// `null`.
    Null,
    /// `true`, `false`.
    Bool(bool),
    /// An integer literal (never negative: `-1` is `Neg` applied to `1`).
    Int(i64),
    /// A decimal literal.
    Float(f64),
    /// A string literal, unescaped.
    Str(String),
    /// `{a, b}`; `{}` is the empty list.
    List(Vec<Node>),
    /// `{'k': v, k2: v2}`; `{:}` is the empty map.
    Map(Vec<(String, Node)>),
    /// A bare name: a binding (`user`), a namespace (`String`), or inside a projection or selection, a
    /// property of the current element.
    Name(Name),
    /// `target.name` or, when `null_safe`, `target?.name`.
    Property {
        /// The value read from.
        target: Box<Node>,
        /// The property.
        name: Name,
        /// Written `?.`.
        null_safe: bool,
    },
    /// `target[index]`.
    Index {
        /// The list, map or string indexed.
        target: Box<Node>,
        /// The index or key.
        index: Box<Node>,
    },
    /// `name(args)` or `target.name(args)`: a global function, a namespaced function
    /// (`String.len(x)`), or a method of `user`.
    Call {
        /// The namespace or receiver, absent for a global function.
        target: Option<Box<Node>>,
        /// The function name.
        name: Name,
        /// The arguments.
        args: Vec<Node>,
        /// Written `?.`.
        null_safe: bool,
    },
    /// `target.![body]`: `body` evaluated for each element.
    Projection {
        /// The list.
        target: Box<Node>,
        /// Evaluated with each element as the implicit root.
        body: Box<Node>,
    },
    /// `target.?[body]`: the elements for which `body` is true.
    Selection {
        /// The list.
        target: Box<Node>,
        /// The predicate, with each element as the implicit root.
        body: Box<Node>,
    },
    /// `!x`, `-x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Node>,
    },
    /// `lhs op rhs`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Node>,
        /// Right operand.
        rhs: Box<Node>,
    },
    /// `cond ? then : otherwise`.
    Ternary {
        /// Must be a boolean.
        cond: Box<Node>,
        /// Value when true.
        then: Box<Node>,
        /// Value when false.
        otherwise: Box<Node>,
    },
    /// `value ?: fallback`: `fallback` when `value` is `null` or `""`.
    Elvis {
        /// The value tried first.
        value: Box<Node>,
        /// The replacement.
        fallback: Box<Node>,
    },
}

/// A node of the syntax tree with its span. Equality compares shape only, never spans.
#[derive(Clone, Debug)]
pub struct Node {
    /// What the node is.
    pub kind: NodeKind,
    /// Where it was written.
    pub span: Span,
    /// Height of the subtree (a leaf is 1); bounded by the parser so every recursive walk is bounded.
    pub(crate) height: usize,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

impl Node {
    /// Builds a node and computes its height from its children.
    pub fn new(kind: NodeKind, span: Span) -> Node {
        let mut height = 0;
        kind.for_each_child(|c| height = height.max(c.height));
        Node {
            kind,
            span,
            height: height + 1,
        }
    }
}

impl NodeKind {
    /// Calls `f` on every direct child, in source order.
    pub fn for_each_child(&self, mut f: impl FnMut(&Node)) {
        match self {
            NodeKind::Null
            | NodeKind::Bool(_)
            | NodeKind::Int(_)
            | NodeKind::Float(_)
            | NodeKind::Str(_)
            | NodeKind::Name(_) => {}
            NodeKind::List(items) => items.iter().for_each(f),
            NodeKind::Map(entries) => entries.iter().for_each(|(_, v)| f(v)),
            NodeKind::Property { target, .. } => f(target),
            NodeKind::Index { target, index } => {
                f(target);
                f(index);
            }
            NodeKind::Call { target, args, .. } => {
                if let Some(t) = target {
                    f(t);
                }
                args.iter().for_each(f);
            }
            NodeKind::Projection { target, body } | NodeKind::Selection { target, body } => {
                f(target);
                f(body);
            }
            NodeKind::Unary { operand, .. } => f(operand),
            NodeKind::Binary { lhs, rhs, .. } => {
                f(lhs);
                f(rhs);
            }
            NodeKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                f(cond);
                f(then);
                f(otherwise);
            }
            NodeKind::Elvis { value, fallback } => {
                f(value);
                f(fallback);
            }
        }
    }
}

/// A parsed expression: the root of its syntax tree. Parse with [`Expr::parse`], check with
/// [`Expr::check`]; `Display` prints canonical source that parses back to an equal tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub(crate) root: Node,
}

impl Expr {
    /// Wraps a tree built by hand (tests, generators). Trees from [`Expr::parse`] are bounded in
    /// height; a hand-built tree should keep within [`crate::limits::MAX_DEPTH`] as well.
    pub fn from_root(root: Node) -> Expr {
        Expr { root }
    }

    /// The root node.
    pub fn root(&self) -> &Node {
        &self.root
    }
}
