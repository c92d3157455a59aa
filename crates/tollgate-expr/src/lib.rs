//! The Okta Expression Language for Tollgate's token claims: a hand-written parser, a checker that
//! refuses bad claims when they are saved, and a pure evaluator over a [`Context`] the server fills in
//! advance. The crate does no I/O, reads no clock (`now` is part of the context) and depends on no
//! other workspace crate, so it can be fuzzed and benchmarked on its own.
//!
//! # Public API
//!
//! | Step | API |
//! |---|---|
//! | parse | [`Expr::parse`]`(&str) -> Result<Expr, ParseError>`; `Display` prints canonical source |
//! | check | [`Expr::check`]`(&self) -> Result<Compiled, CheckError>` (names, arities, literal regexes, literal group limits, literal group expressions) |
//! | both | [`compile`]`(&str) -> Result<Compiled, Error>`; [`validate_claim`] adds the 1024-character claim limit |
//! | evaluate | [`Compiled::eval`]`(&Context) -> Result<Value, EvalError>`, [`Compiled::eval_json`], [`Compiled::eval_traced`]` -> (Result<Value, EvalError>, Trace)` |
//! | context | [`Context::builder`]`(now)` … `.build()` from typed parts ([`User`], [`Group`], [`App`], [`Org`], [`Session`]); [`Context::from_json`] for the file format |
//! | output | [`Value::to_json`] (claim output mapping), [`Value::is_omitted_claim`] |
//! | one call | [`evaluate_json`]`(source, &json_context)`, [`check_source`]`(source)`; [`Error::render`] shows the message with a caret line |
//!
//! [`Compiled`] is `Send + Sync` and cheap to clone: cache it in an `Arc` and evaluate it from many
//! threads. Limits (source length, nesting depth, step and work budgets, regex size) live in
//! [`limits`]; exceeding any of them is an ordinary error.
//!
//! # Example
//!
//! The groups claim of the app-profile guide:
//!
//! ```
//! use serde_json::json;
//! use tollgate_expr::{Context, compile};
//!
//! let ctx = Context::from_json(&json!({
//!     "groups": [
//!         { "id": "00gbso71miOMjxHRW0h7", "name": "WestCoastDivision", "type": "OKTA_GROUP" },
//!         { "id": "00gak46y5hydV6NdM0g4", "name": "Everyone", "type": "BUILT_IN" }
//!     ],
//!     "app": { "id": "0oabskvc6442nkvQO0h7", "clientId": "0oabskvc6442nkvQO0h7",
//!              "profile": { "groupwhitelist": ["00gbso71miOMjxHRW0h7"] } }
//! }))?;
//! let claim = compile(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#)?;
//! assert_eq!(claim.eval_json(&ctx)?, json!(["WestCoastDivision"]));
//!
//! // A literal limit of 100 or more is refused when the claim is saved.
//! let err = compile(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 100)"#).unwrap_err();
//! assert!(err.to_string().contains("must be less than 100"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ast;
mod check;
mod context;
mod error;
mod eval;
mod func;
mod ir;
mod iso;
mod lex;
pub mod limits;
mod machine;
mod parse;
mod parts;
mod pattern;
mod span;
mod trace;
mod value;

pub use ast::{BinaryOp, Expr, Name, Node, NodeKind, UnaryOp};
pub use check::Compiled;
pub use context::{
    App, Context, ContextBuilder, Group, GroupSource, GroupType, Org, PreparedApp, PreparedGroup,
    PreparedGroups, Session, User,
};
pub use error::{
    CheckError, CheckErrorKind, ContextError, Error, EvalError, EvalErrorKind, Expect, ParseError,
    ParseErrorKind,
};
pub use span::Span;
pub use trace::{DropReason, GroupCall, GroupDecision, Trace, Verdict};
pub use value::{GroupRef, List, Map, Value};

/// Parses and checks `source`.
pub fn compile(source: &str) -> Result<Compiled, Error> {
    Ok(Expr::parse(source)?.check()?)
}

/// What the server runs when an admin saves a claim: [`compile`], plus Okta's limit of
/// [`limits::CLAIM_MAX_CHARS`] characters.
pub fn validate_claim(source: &str) -> Result<Compiled, Error> {
    let chars = source.chars().count();
    if chars > limits::CLAIM_MAX_CHARS {
        let cut = source
            .char_indices()
            .nth(limits::CLAIM_MAX_CHARS)
            .map_or(source.len(), |(i, _)| i);
        return Err(Error::Parse(ParseError {
            span: Span::new(cut, source.len()),
            kind: ParseErrorKind::TooLong {
                len: chars,
                max: limits::CLAIM_MAX_CHARS,
            },
        }));
    }
    compile(source)
}

/// `tollgate expr --check`: the save-time validation ([`validate_claim`]) without keeping the result.
pub fn check_source(source: &str) -> Result<(), Error> {
    validate_claim(source).map(|_| ())
}

/// `tollgate expr [--context FILE]`: compiles `source`, reads `context` ([`Context::from_json`]),
/// evaluates, and maps the result to JSON.
///
/// ```
/// let v = tollgate_expr::evaluate_json("String.len('This')", &serde_json::json!({})).unwrap();
/// assert_eq!(v, serde_json::json!(4));
/// let e = tollgate_expr::evaluate_json("1 +", &serde_json::json!({})).unwrap_err();
/// assert_eq!(e.render("1 +"), "syntax error: expected an expression, found the end of the expression\n  1 +\n     ^");
/// ```
pub fn evaluate_json(
    source: &str,
    context: &serde_json::Value,
) -> Result<serde_json::Value, Error> {
    let compiled = compile(source)?;
    let ctx = Context::from_json(context)?;
    Ok(compiled.eval_json(&ctx)?)
}

/// Evaluates `source` against an empty context with `now` set, for unit tests of functions.
#[cfg(test)]
pub(crate) fn test_eval(source: &str) -> Result<serde_json::Value, Error> {
    evaluate_json(
        source,
        &serde_json::json!({ "now": "2015-07-31T17:18:37.979Z" }),
    )
}

/// [`test_eval`] that must succeed.
#[cfg(test)]
pub(crate) fn test_ok(source: &str) -> serde_json::Value {
    test_eval(source).unwrap_or_else(|e| panic!("{source}: {e}"))
}
