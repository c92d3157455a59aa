//! Every vector of the spec's §5.2, table-driven from `tests/vectors.json`.

use serde_json::Value as Json;
use tollgate_expr::{Context, Error, compile};

use crate::support::fixture_json;

fn run(expr: &str, ctx: &Context) -> Result<Json, Error> {
    Ok(compile(expr)?.eval_json(ctx)?)
}

#[test]
fn spec_vectors() {
    let doc: Json = serde_json::from_str(include_str!("../vectors.json")).unwrap();
    let vectors = doc["vectors"].as_array().unwrap();
    let mut failures = Vec::new();
    for v in vectors {
        let id = v["id"].as_str().unwrap();
        let expr = v["expr"].as_str().unwrap();
        let mut ctx_json = fixture_json();
        if let Some(patch) = v.get("context_patch").and_then(Json::as_object) {
            for (k, val) in patch {
                ctx_json[k] = val.clone();
            }
        }
        let ctx = Context::from_json(&ctx_json).unwrap();
        let got = run(expr, &ctx);
        let ok = match (v.get("expect"), v.get("error").and_then(Json::as_str), &got) {
            (Some(want), _, Ok(have)) => want == have,
            (_, Some("parse"), Err(Error::Parse(_))) => true,
            (_, Some("check"), Err(Error::Check(_))) => true,
            (_, Some("eval"), Err(Error::Eval(_))) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!("#{id} `{expr}`: got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
    assert_eq!(vectors.len(), 111);
}

#[test]
fn error_vectors_fail_for_the_documented_reason() {
    let reason = |src: &str| crate::support::eval(src).unwrap_err().to_string();
    assert!(reason(r#"Convert.toInt("1632096000000")"#).contains("32-bit"));
    assert!(
        reason(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 1)"#)
            .contains("more than the limit of 1")
    );
    assert!(reason(r#"getFilteredGroups(app.profile.missing, "group.name", 10)"#).contains("null"));
    assert!(reason("user.firstName.toUpperCase()").contains("String.toUpperCase"));
    assert!(reason("app.profile.nothingHere.deeper").contains("?.deeper"));
}
