//! The errors of each stage, and [`Error`], which wraps them for callers that run several stages.

use std::fmt;

use crate::span::Span;

/// What the parser was looking for when it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expect {
    /// An operand: a literal, a name, `(`, `{`, `!`, `-`. Triggered by `1 +` or `)`.
    Expression,
    /// `)` closing a parenthesized group. Triggered by `(1 + 2`.
    CloseParen,
    /// `,` or `)` inside an argument list. Triggered by `f(1 2)`.
    CloseArgs,
    /// `]` closing an index, projection or selection. Triggered by `a[0`.
    CloseBracket,
    /// `}` or `,` inside an inline list or map. Triggered by `{1 2}`.
    CloseBrace,
    /// `:` between the branches of a ternary. Triggered by `a ? b`.
    TernaryColon,
    /// `:` after a map key. Triggered by `{'a' 1}` once a map was started.
    MapColon,
    /// A map key: a string or a name. Triggered by `{'a': 1, 2: 3}`.
    MapKey,
    /// A property or method name after `.` or `?.`. Triggered by `user.` or `user.1`.
    PropertyName,
    /// The end of the expression. Triggered by `a b` or the double-quoted seed value.
    EndOfInput,
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expect::Expression => "an expression",
            Expect::CloseParen => "`)`",
            Expect::CloseArgs => "`,` or `)`",
            Expect::CloseBracket => "`]`",
            Expect::CloseBrace => "`,` or `}`",
            Expect::TernaryColon => "`:` (the ternary's else branch)",
            Expect::MapColon => "`:` after the map key",
            Expect::MapKey => "a map key (a string or a name)",
            Expect::PropertyName => "a property or function name",
            Expect::EndOfInput => "an operator or the end of the expression",
        })
    }
}

/// Why parsing failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The parser expected `expected` but found the text `found` (empty at the end of input).
    Expected {
        /// What would have been valid here.
        expected: Expect,
        /// The offending token as written, or empty at the end of input.
        found: String,
    },
    /// A string literal without its closing quote.
    UnterminatedString,
    /// A malformed number such as `1e` or `12ab`.
    InvalidNumber,
    /// An integer literal beyond the 64-bit range.
    NumberTooLarge,
    /// A character that starts no token.
    UnexpectedChar(char),
    /// A SpEL feature Okta's expression language does not support (assignment, `++`, `#var`, ...).
    Unsupported(&'static str),
    /// Comparisons are not associative: `a < b < c` needs parentheses.
    ChainedComparison,
    /// The source exceeds [`crate::limits::MAX_SOURCE_LEN`] bytes.
    TooLong {
        /// Length of the source in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Nesting exceeds [`crate::limits::MAX_DEPTH`].
    TooDeep {
        /// The limit.
        max: usize,
    },
}

/// A syntax error, with the byte span where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Where in the source.
    pub span: Span,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ParseErrorKind::Expected { expected, found } if found.is_empty() => {
                write!(f, "expected {expected}, found the end of the expression")
            }
            ParseErrorKind::Expected { expected, found } => {
                write!(f, "expected {expected}, found `{found}`")
            }
            ParseErrorKind::UnterminatedString => f.write_str("unterminated string literal"),
            ParseErrorKind::InvalidNumber => f.write_str("malformed number"),
            ParseErrorKind::NumberTooLarge => f.write_str("number too large"),
            ParseErrorKind::UnexpectedChar(c) => write!(f, "unexpected character `{c}`"),
            ParseErrorKind::Unsupported(what) => write!(f, "{what} is not supported"),
            ParseErrorKind::ChainedComparison => {
                f.write_str("comparisons cannot be chained; add parentheses")
            }
            ParseErrorKind::TooLong { len, max } => {
                write!(f, "expression is {len} bytes long; the limit is {max}")
            }
            ParseErrorKind::TooDeep { max } => {
                write!(
                    f,
                    "expression is nested too deeply (more than {max} levels)"
                )
            }
        }
    }
}

impl ParseError {
    /// The message, the source line and a caret line under the span.
    pub fn render(&self, source: &str) -> String {
        self.span.render(source, &self.to_string())
    }
}

impl std::error::Error for ParseError {}

/// Why the checker refused a parsed expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckErrorKind {
    /// A function name that is not in the catalogue.
    UnknownFunction,
    /// A known function called with the wrong number of arguments.
    Arity,
    /// A name that is no binding (`foo.bar`), or `group` outside a group expression.
    UnknownName,
    /// A binding or construct that exists in Okta but not in token claims (`idpuser`, app references).
    Unsupported,
    /// A method called on a value (`user.firstName.toUpperCase()`).
    MethodOnValue,
    /// A literal group limit outside its range, or of the wrong type.
    GroupLimit,
    /// A literal regular expression that does not compile.
    Regex,
    /// A literal argument of a type the function can never accept, or a misplaced function.
    ArgumentType,
    /// A literal group expression (second argument of `getFilteredGroups`) that does not parse.
    GroupExpression,
}

/// A name, arity or literal-argument error found before evaluation, when a claim is saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    /// Where in the source.
    pub span: Span,
    /// The class of error.
    pub kind: CheckErrorKind,
    /// The admin-facing message.
    pub message: String,
}

impl CheckError {
    pub(crate) fn new(kind: CheckErrorKind, span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl CheckError {
    /// The message, the source line and a caret line under the span.
    pub fn render(&self, source: &str) -> String {
        self.span.render(source, &self.to_string())
    }
}

impl std::error::Error for CheckError {}

/// The class of an evaluation failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalErrorKind {
    /// An operand or argument of the wrong type (including `null` where a value is needed).
    Type,
    /// A property read on `null` without `?.`.
    NullDereference,
    /// Integer or float division by zero.
    DivisionByZero,
    /// Integer overflow, or a conversion result outside its range.
    Overflow,
    /// A list index out of range.
    IndexOutOfRange,
    /// An argument of the right type with an unusable value (unparsable number, bad time, ...).
    InvalidArgument,
    /// A group limit outside its range, or more matching groups than the limit.
    GroupLimit,
    /// A regular expression that does not compile or is too large.
    Regex,
    /// The step or work budget was exhausted, or evaluation nested too deeply.
    Budget,
    /// A result that cannot become a claim value (a group object, a non-finite number).
    NotAClaimValue,
    /// `Time.*` needs the context's `now`, which was not given.
    NoClock,
    /// A computed group expression failed to parse or check.
    GroupExpression,
    /// A binding or function that exists in Okta but not in token claims.
    Unsupported,
}

/// A failure while evaluating a checked expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// The node that failed.
    pub span: Span,
    /// The class of error.
    pub kind: EvalErrorKind,
    /// The admin-facing message.
    pub message: String,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl EvalError {
    /// The message, the source line and a caret line under the span.
    pub fn render(&self, source: &str) -> String {
        self.span.render(source, &self.to_string())
    }
}

impl std::error::Error for EvalError {}

/// A malformed evaluation context given as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextError {
    /// JSON path of the offending value, e.g. `groups[2].id`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid context at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for ContextError {}

/// Any failure of the one-call entry points ([`crate::evaluate_json`], [`crate::check_source`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The source does not parse.
    Parse(ParseError),
    /// The source parses but is refused by the checker.
    Check(CheckError),
    /// The context JSON is malformed.
    Context(ContextError),
    /// Evaluation failed.
    Eval(EvalError),
}

impl Error {
    /// The span in the expression source, if the error has one.
    pub fn span(&self) -> Option<Span> {
        match self {
            Error::Parse(e) => Some(e.span),
            Error::Check(e) => Some(e.span),
            Error::Eval(e) => Some(e.span),
            Error::Context(_) => None,
        }
    }

    /// The message followed by the offending source line and a caret line under the error.
    pub fn render(&self, source: &str) -> String {
        let message = self.to_string();
        match self.span() {
            Some(span) => span.render(source, &message),
            None => message,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse(e) => write!(f, "syntax error: {e}"),
            Error::Check(e) => write!(f, "invalid expression: {e}"),
            Error::Context(e) => e.fmt(f),
            Error::Eval(e) => write!(f, "evaluation failed: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Parse(e) => Some(e),
            Error::Check(e) => Some(e),
            Error::Context(e) => Some(e),
            Error::Eval(e) => Some(e),
        }
    }
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Self {
        Error::Parse(e)
    }
}

impl From<CheckError> for Error {
    fn from(e: CheckError) -> Self {
        Error::Check(e)
    }
}

impl From<ContextError> for Error {
    fn from(e: ContextError) -> Self {
        Error::Context(e)
    }
}

impl From<EvalError> for Error {
    fn from(e: EvalError) -> Self {
        Error::Eval(e)
    }
}

/// A failure inside a function, before the evaluator attaches the call's span.
#[derive(Debug)]
pub(crate) enum Fault {
    New(EvalErrorKind, String),
    /// Already located (an error from evaluating a nested expression).
    Located(EvalError),
}

impl Fault {
    pub(crate) fn new(kind: EvalErrorKind, message: impl Into<String>) -> Fault {
        Fault::New(kind, message.into())
    }

    pub(crate) fn at(self, span: Span) -> EvalError {
        match self {
            Fault::New(kind, message) => EvalError {
                span,
                kind,
                message,
            },
            Fault::Located(e) => e,
        }
    }
}

impl From<EvalError> for Fault {
    fn from(e: EvalError) -> Self {
        Fault::Located(e)
    }
}
