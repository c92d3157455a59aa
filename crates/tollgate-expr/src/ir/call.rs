//! The calling convention between the evaluator and the function catalogue: a function's
//! definition ([`FuncDef`]: namespace, arity, what the checker prepares), the native signature, and
//! the evaluated arguments with typed accessors ([`Args`]).

use std::ops::RangeInclusive;
use std::sync::Arc;

use super::Pre;
use crate::error::{EvalErrorKind, Fault};
use crate::machine::Eval;
use crate::pattern::Mode;
use crate::span::Span;
use crate::value::Value;

pub(crate) type NativeFn = fn(&mut Eval<'_>, &Args<'_>) -> Result<Value, Fault>;

/// Where a function lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ns {
    Global,
    String,
    Arrays,
    Convert,
    Iso3166,
    Time,
    Groups,
    /// Methods of the `user` binding.
    User,
}

impl Ns {
    pub(crate) const NAMESPACES: [(&'static str, Ns); 6] = [
        ("String", Ns::String),
        ("Arrays", Ns::Arrays),
        ("Convert", Ns::Convert),
        ("Iso3166Convert", Ns::Iso3166),
        ("Time", Ns::Time),
        ("Groups", Ns::Groups),
    ];

    pub(crate) fn from_name(name: &str) -> Option<Ns> {
        Self::NAMESPACES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, ns)| ns)
    }

    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Ns::Global => "",
            Ns::String => "String.",
            Ns::Arrays => "Arrays.",
            Ns::Convert => "Convert.",
            Ns::Iso3166 => "Iso3166Convert.",
            Ns::Time => "Time.",
            Ns::Groups => "Groups.",
            Ns::User => "user.",
        }
    }
}

/// A limit argument's valid range and the message for a value above it.
#[derive(Debug)]
pub(crate) struct LimitRule {
    pub(crate) arg: usize,
    pub(crate) range: RangeInclusive<i64>,
    pub(crate) too_high: &'static str,
}

/// One function of the catalogue.
#[derive(Debug)]
pub(crate) struct FuncDef {
    pub(crate) ns: Ns,
    pub(crate) name: &'static str,
    pub(crate) min: usize,
    /// `usize::MAX` for variadic functions.
    pub(crate) max: usize,
    pub(crate) imp: NativeFn,
    /// An argument that, written as a literal string, is compiled as a regex at check time.
    pub(crate) regex: Option<(usize, Mode)>,
    /// An argument that, written as a literal string, is parsed as a group expression at check time.
    pub(crate) group_expr: Option<usize>,
    pub(crate) limit: Option<LimitRule>,
    /// Arguments after the first N come in pairs (`String.stringSwitch`).
    pub(crate) pairs_after: Option<usize>,
}

impl FuncDef {
    pub(crate) const fn new(
        ns: Ns,
        name: &'static str,
        min: usize,
        max: usize,
        imp: NativeFn,
    ) -> FuncDef {
        FuncDef {
            ns,
            name,
            min,
            max,
            imp,
            regex: None,
            group_expr: None,
            limit: None,
            pairs_after: None,
        }
    }

    /// `String.len`, `getFilteredGroups`, `user.getGroups`.
    pub(crate) fn qualified(&self) -> String {
        format!("{}{}", self.ns.prefix(), self.name)
    }
}

/// The evaluated arguments of one call, with typed accessors that produce uniform messages.
pub(crate) struct Args<'a> {
    pub(crate) func: &'static FuncDef,
    pub(crate) vals: &'a [Value],
    pub(crate) pre: &'a Pre,
    /// The call's span, for errors located inside a computed group expression.
    pub(crate) span: Span,
}

static NULL: Value = Value::Null;

impl Args<'_> {
    pub(crate) fn get(&self, i: usize) -> &Value {
        self.vals.get(i).unwrap_or(&NULL)
    }

    pub(crate) fn type_error(&self, i: usize, wanted: &str) -> Fault {
        Fault::new(
            EvalErrorKind::Type,
            format!(
                "argument {} of {} must be {wanted}, found {}",
                i + 1,
                self.func.qualified(),
                self.get(i).type_name()
            ),
        )
    }

    pub(crate) fn invalid(&self, message: impl std::fmt::Display) -> Fault {
        Fault::new(
            EvalErrorKind::InvalidArgument,
            format!("{}: {message}", self.func.qualified()),
        )
    }

    /// A string or `null`.
    pub(crate) fn opt_str(&self, i: usize) -> Result<Option<&str>, Fault> {
        match self.get(i) {
            Value::Null => Ok(None),
            Value::Str(s) => Ok(Some(s)),
            _ => Err(self.type_error(i, "a string")),
        }
    }

    /// A string; `null` is an error.
    pub(crate) fn str(&self, i: usize) -> Result<&str, Fault> {
        match self.get(i) {
            Value::Str(s) => Ok(s),
            _ => Err(self.type_error(i, "a string")),
        }
    }

    /// An integer; a double with an integral value is accepted.
    pub(crate) fn int(&self, i: usize) -> Result<i64, Fault> {
        match self.get(i) {
            Value::Int(n) => Ok(*n),
            #[expect(
                clippy::cast_possible_truncation,
                reason = "checked integral and in range"
            )]
            Value::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(*x as i64),
            _ => Err(self.type_error(i, "an integer")),
        }
    }

    /// The prepared regex, or the argument compiled now (a computed pattern, through the
    /// evaluation's cache and budget).
    pub(crate) fn regex_or_compile(
        &self,
        ev: &mut Eval<'_>,
        i: usize,
        mode: Mode,
    ) -> Result<Arc<regex::Regex>, Fault> {
        match self.pre {
            Pre::Regex(r) => Ok(r.clone()),
            _ => ev.regex(self.str(i)?, mode),
        }
    }
}
