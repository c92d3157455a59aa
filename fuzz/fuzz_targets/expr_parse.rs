//! Bytes → parse. Any input must parse or fail cleanly, and a parsed tree must print as source that
//! parses back to the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tollgate_expr::Expr;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(expr) = Expr::parse(src) {
        let printed = expr.to_string();
        match Expr::parse(&printed) {
            Ok(again) => assert_eq!(again, expr, "round trip changed the tree: {printed}"),
            Err(e) => panic!("canonical form does not parse: {printed}: {e}"),
        }
        let _ = expr.check();
    }
});
