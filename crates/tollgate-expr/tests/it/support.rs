//! The spec's §5.1 fixture and helpers shared by the test modules.

use serde_json::Value as Json;
use tollgate_expr::{Context, Error, compile};

pub fn fixture_json() -> Json {
    serde_json::from_str(include_str!("../fixture.json")).expect("fixture.json parses")
}

pub fn fixture() -> Context {
    Context::from_json(&fixture_json()).expect("fixture is a valid context")
}

/// Compiles and evaluates `src` against the fixture.
pub fn eval(src: &str) -> Result<Json, Error> {
    Ok(compile(src)?.eval_json(&fixture())?)
}
