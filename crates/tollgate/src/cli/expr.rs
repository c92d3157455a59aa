//! `tollgate expr [--context FILE] [--check] EXPR`: success prints only the JSON result on
//! stdout; any error prints the message and a caret line on stderr and exits 1.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use tollgate_core::expr;

use crate::cli::args::ExprArgs;

/// Runs the command.
pub fn run(args: &ExprArgs) -> ExitCode {
    match evaluate(args) {
        Ok(Some(out)) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn evaluate(args: &ExprArgs) -> Result<Option<String>, String> {
    if args.check {
        return expr::check_source(&args.expr)
            .map(|()| None)
            .map_err(|e| e.render(&args.expr));
    }
    let text = match &args.context {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the context file {}: {e}", path.display()))?,
        // An interactive terminal has no context to give: evaluate against `{}`.
        None if std::io::stdin().is_terminal() => "{}".to_owned(),
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("cannot read the context from stdin: {e}"))?;
            if s.trim().is_empty() {
                "{}".to_owned()
            } else {
                s
            }
        }
    };
    let context: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("the context is not valid JSON: {e}"))?;
    let value = expr::evaluate_json(&args.expr, &context).map_err(|e| e.render(&args.expr))?;
    serde_json::to_string(&value)
        .map(Some)
        .map_err(|e| e.to_string())
}
