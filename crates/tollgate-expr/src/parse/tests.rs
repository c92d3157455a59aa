use crate::ast::{BinaryOp, Expr, NodeKind};
use crate::error::{Expect, ParseErrorKind};
use crate::limits::MAX_DEPTH;

fn p(src: &str) -> Expr {
    Expr::parse(src).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn err(src: &str) -> ParseErrorKind {
    Expr::parse(src).unwrap_err().kind
}

#[test]
fn precedence_and_canonical_printing() {
    assert_eq!(p("1 + 2 * 3").to_string(), "1 + 2 * 3");
    assert_eq!(p("(1 + 2) * 3").to_string(), "(1 + 2) * 3");
    assert_eq!(p("a.b AND !c.d or e.f").to_string(), "a.b && !c.d || e.f");
    assert_eq!(p("1 - (2 - 3)").to_string(), "1 - (2 - 3)");
    assert_eq!(p("x ? y : z ? 1 : 2").to_string(), "x ? y : z ? 1 : 2");
    assert_eq!(p("(x ? y : z) ? 1 : 2").to_string(), "(x ? y : z) ? 1 : 2");
    assert_eq!(p("a ?: b ?: c").to_string(), "a ?: b ?: c");
    assert_eq!(p("{}").to_string(), "{}");
    assert_eq!(p("{:}").to_string(), "{:}");
    assert_eq!(p("{'a': 1, b: {2}}").to_string(), "{'a': 1, 'b': {2}}");
    assert_eq!(
        p("'It''s' + \"a \"\"q\"\"\"").to_string(),
        "'It''s' + 'a \"q\"'"
    );
    assert_eq!(p("x.![name].?[y == 1]").to_string(), "x.![name].?[y == 1]");
    assert_eq!(p("- -1").to_string(), "--1");
    assert_eq!(p("(-1).x").to_string(), "(-1).x");
    assert_eq!(p("1e3").to_string(), "1000.0");
}

#[test]
fn keywords_are_case_insensitive_and_word_operators_work() {
    let e = p("a eq b AND c NE d or NOT e");
    assert_eq!(e.to_string(), "a == b && c != d || !e");
    assert_eq!(p("7 div 2 mod 3").to_string(), "7 / 2 % 3");
    assert_eq!(p("NULL").root().kind, NodeKind::Null);
    assert_eq!(p("TRUE").root().kind, NodeKind::Bool(true));
    // After a dot any name is a property, even a keyword.
    assert_eq!(p("user.and").to_string(), "user.and");
}

#[test]
fn comparisons_do_not_chain() {
    assert_eq!(err("1 < 2 < 3"), ParseErrorKind::ChainedComparison);
    assert!(matches!(
        p("(1 < 2) == true").root().kind,
        NodeKind::Binary {
            op: BinaryOp::Eq,
            ..
        }
    ));
}

#[test]
fn errors_say_what_was_expected_and_where() {
    let e = Expr::parse("f(1 2)").unwrap_err();
    assert_eq!(
        e.kind,
        ParseErrorKind::Expected {
            expected: Expect::CloseArgs,
            found: "2".into()
        }
    );
    assert_eq!((e.span.start, e.span.end), (4, 5));
    assert!(matches!(
        err("(1 + 2"),
        ParseErrorKind::Expected {
            expected: Expect::CloseParen,
            ..
        }
    ));
    assert!(matches!(
        err("a ? b"),
        ParseErrorKind::Expected {
            expected: Expect::TernaryColon,
            ..
        }
    ));
    assert!(matches!(
        err("user."),
        ParseErrorKind::Expected {
            expected: Expect::PropertyName,
            ..
        }
    ));
    assert!(matches!(
        err("{'a': 1, 2: 3}"),
        ParseErrorKind::Expected {
            expected: Expect::MapKey,
            ..
        }
    ));
    assert!(matches!(
        err("a b"),
        ParseErrorKind::Expected {
            expected: Expect::EndOfInput,
            ..
        }
    ));
    assert!(matches!(
        err(""),
        ParseErrorKind::Expected {
            expected: Expect::Expression,
            ..
        }
    ));
    assert!(matches!(
        err("and"),
        ParseErrorKind::Expected {
            expected: Expect::Expression,
            ..
        }
    ));
    assert_eq!(err("99999999999999999999"), ParseErrorKind::NumberTooLarge);
}

#[test]
fn the_wrapped_seed_value_is_a_parse_error() {
    let src = r#""getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)""#;
    let e = Expr::parse(src).unwrap_err();
    assert!(matches!(
        e.kind,
        ParseErrorKind::Expected {
            expected: Expect::EndOfInput,
            ..
        }
    ));
    assert_eq!(&src[e.span.start..e.span.end], "group");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for unit in ["(", "!", "-", "{", "a[", "a ? b : ", "f("] {
        let src = unit.repeat(9_000 / unit.len());
        assert_eq!(
            err(&src),
            ParseErrorKind::TooDeep { max: MAX_DEPTH },
            "{unit}"
        );
    }
    let long_chain = vec!["1"; 2_000].join(" + ");
    assert_eq!(err(&long_chain), ParseErrorKind::TooDeep { max: MAX_DEPTH });
    let postfix = format!("a{}", ".b".repeat(2_000));
    assert_eq!(err(&postfix), ParseErrorKind::TooDeep { max: MAX_DEPTH });
    // Within the limit is fine.
    p(&format!(
        "{}1{}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    ));
}

#[test]
fn length_limit() {
    let src = format!("'{}'", "a".repeat(crate::limits::MAX_SOURCE_LEN));
    assert!(matches!(err(&src), ParseErrorKind::TooLong { .. }));
}
