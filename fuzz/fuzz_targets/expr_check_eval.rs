//! Parse → check → evaluate. The input is an expression, optionally followed by a NUL byte and a JSON
//! context; the expression is evaluated against the spec's fixture and against that context.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tollgate_expr::{Context, Error, compile};

static FIXTURE: LazyLock<Context> = LazyLock::new(|| {
    let json = serde_json::from_str(include_str!(
        "../../crates/tollgate-expr/tests/fixture.json"
    ))
    .unwrap_or_default();
    Context::from_json(&json).unwrap_or_default()
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (src, ctx_text) = text.split_once('\0').unwrap_or((text, ""));
    let compiled = match compile(src) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.render(src);
            return;
        }
    };
    for result in [
        compiled.eval_json(&FIXTURE),
        compiled.eval_traced(&FIXTURE).0.and_then(|v| v.to_json()),
    ] {
        if let Err(e) = result {
            let _ = Error::Eval(e).render(src);
        }
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(ctx_text)
        && let Ok(ctx) = Context::from_json(&json)
    {
        let _ = compiled.eval(&ctx);
        let _ = compiled.eval_traced(&ctx);
    }
});
