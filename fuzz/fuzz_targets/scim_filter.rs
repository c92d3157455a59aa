//! Bytes → SCIM filter. Any input must parse or fail cleanly; a parsed filter holds only finite
//! numbers, and prints as canonical source that parses back to an equal filter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tollgate_core::scim::{self, Filter, Literal, Op};

/// Binding strength, loosest first: a child looser than its slot is parenthesised.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Level {
    Or,
    And,
    Unary,
}

fn level(f: &Filter) -> Level {
    match f {
        Filter::Or(..) => Level::Or,
        Filter::And(..) => Level::And,
        _ => Level::Unary,
    }
}

fn op(o: Op) -> &'static str {
    match o {
        Op::Eq => "eq",
        Op::Ne => "ne",
        Op::Gt => "gt",
        Op::Ge => "ge",
        Op::Lt => "lt",
        Op::Le => "le",
        Op::Sw => "sw",
        Op::Co => "co",
        Op::Ew => "ew",
    }
}

fn print_at(f: &Filter, slot: Level, out: &mut String) {
    if level(f) < slot {
        out.push('(');
        print(f, out);
        out.push(')');
    } else {
        print(f, out);
    }
}

fn print(f: &Filter, out: &mut String) {
    match f {
        Filter::Or(l, r) => {
            print_at(l, Level::Or, out);
            out.push_str(" or ");
            print_at(r, Level::And, out);
        }
        Filter::And(l, r) => {
            print_at(l, Level::And, out);
            out.push_str(" and ");
            print_at(r, Level::Unary, out);
        }
        Filter::Not(x) => {
            out.push_str("not ");
            print_at(x, Level::Unary, out);
        }
        Filter::Present(attr) => {
            out.push_str(attr);
            out.push_str(" pr");
        }
        Filter::Cmp { attr, op: o, value } => {
            out.push_str(attr);
            out.push(' ');
            out.push_str(op(*o));
            out.push(' ');
            match value {
                Literal::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
                Literal::Num(n) => out.push_str(&n.to_string()),
                Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Literal::Null => out.push_str("null"),
            }
        }
    }
}

fn assert_finite(f: &Filter) {
    match f {
        Filter::Or(l, r) | Filter::And(l, r) => {
            assert_finite(l);
            assert_finite(r);
        }
        Filter::Not(x) => assert_finite(x),
        Filter::Cmp {
            value: Literal::Num(n),
            ..
        } => assert!(n.is_finite(), "a filter holds the number {n}"),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(filter) = scim::parse(src) else {
        return;
    };
    assert_finite(&filter);
    let mut printed = String::new();
    print(&filter, &mut printed);
    // Canonical numbers can be longer than their source (1e300); past the length limit the
    // printed form is refused as too long, which says nothing about the parser.
    if printed.len() > 4096 {
        return;
    }
    match scim::parse(&printed) {
        Ok(again) => assert_eq!(again, filter, "round trip changed the filter: {printed}"),
        Err(e) => panic!("canonical form does not parse: {printed}: {e}"),
    }
});
