//! Every limit is an ordinary error: source length, nesting depth, steps, work, regex size, group
//! limits (literal at check time, computed at evaluation).

use serde_json::json;
use tollgate_expr::limits::{CLAIM_MAX_CHARS, MAX_DEPTH, MAX_SOURCE_LEN, MAX_STEPS};
use tollgate_expr::{
    CheckErrorKind, Error, EvalErrorKind, ParseErrorKind, check_source, compile, validate_claim,
};

use crate::support::{eval, fixture};

fn eval_kind(src: &str) -> EvalErrorKind {
    match eval(src) {
        Err(Error::Eval(e)) => e.kind,
        other => panic!("{src}: expected an evaluation error, got {other:?}"),
    }
}

fn check_kind(src: &str) -> CheckErrorKind {
    match compile(src) {
        Err(Error::Check(e)) => e.kind,
        other => panic!("{src}: expected a check error, got {other:?}"),
    }
}

#[test]
fn source_length() {
    let long = format!("'{}'", "x".repeat(MAX_SOURCE_LEN));
    assert!(
        matches!(compile(&long), Err(Error::Parse(e)) if matches!(e.kind, ParseErrorKind::TooLong { .. }))
    );
    let claim = format!("'{}'", "é".repeat(CLAIM_MAX_CHARS - 2));
    assert!(
        validate_claim(&claim).is_ok(),
        "1024 characters, more bytes, is fine"
    );
    let claim = format!("'{}'", "é".repeat(CLAIM_MAX_CHARS - 1));
    let err = check_source(&claim).unwrap_err();
    assert!(err.to_string().contains("1025"), "{err}");
}

#[test]
fn nesting_depth_on_every_construct() {
    for (open, close) in [
        ("(", ")"),
        ("!", ""),
        ("-", ""),
        ("{", "}"),
        ("x[", "]"),
        ("String.len(", ")"),
    ] {
        let src = format!(
            "{}1{}",
            open.repeat(10_000 / open.len().max(1) / 2),
            close.repeat(10_000 / open.len().max(1) / 2)
        );
        let src = &src[..src.len().min(MAX_SOURCE_LEN)];
        assert!(compile(src).is_err(), "{open}");
    }
    let ternaries = format!("{}1", "true ? 1 : ".repeat(900));
    assert!(
        matches!(compile(&ternaries), Err(Error::Parse(e)) if e.kind == ParseErrorKind::TooDeep { max: MAX_DEPTH })
    );
}

#[test]
fn deep_but_legal_expressions_evaluate_on_a_small_stack() {
    // The deepest tree the parser accepts, checked and evaluated on a 1 MiB thread.
    let nested = format!(
        "{}1{}",
        "(1 + ".repeat(MAX_DEPTH / 2 - 1),
        ")".repeat(MAX_DEPTH / 2 - 1)
    );
    let group_expr = format!(
        "{}group.name{}",
        "(''+".repeat(MAX_DEPTH / 2 - 2),
        ")".repeat(MAX_DEPTH / 2 - 2)
    );
    let src = format!(
        "{{{nested}, getFilteredGroups(app.profile.groupwhitelist, \"{group_expr}\", 10)}}"
    );
    let out = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || eval(&src))
        .unwrap()
        .join()
        .unwrap()
        .unwrap();
    assert_eq!(out[0], json!(MAX_DEPTH / 2));
    assert_eq!(out[1], json!(["WestCoastDivision", "West Coast Users"]));
}

#[test]
fn step_budget() {
    // 120 x 120 inner evaluations, each several steps, in a short expression.
    let list = (0..120)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let src = format!("{{{list}}}.![{{{list}}}.![1 + 1]]");
    assert_eq!(eval_kind(&src), EvalErrorKind::Budget);
    let msg = eval(&src).unwrap_err().to_string();
    assert!(msg.contains(&MAX_STEPS.to_string()), "{msg}");
    // The same shape, smaller, is fine.
    assert!(eval("{1,2,3}.![{1,2,3}.![1 + 1]]").is_ok());
}

#[test]
fn work_budget_bounds_data_heavy_nodes() {
    // Few steps, lots of data: 60 concatenations of a 100 kB string are 12 MB of output.
    let ctx = tollgate_expr::Context::from_json(&json!({
        "app": { "id": "a", "clientId": "a", "profile": { "big": "x".repeat(100_000), "ids": vec!["00g"; 50_000] } }
    }))
    .unwrap();
    let run = |src: &str| compile(src).unwrap().eval(&ctx);
    let list = (0..60).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let e = run(&format!("{{{list}}}.![app.profile.big + app.profile.big]")).unwrap_err();
    assert_eq!(e.kind, EvalErrorKind::Budget);
    assert!(e.message.contains("work budget"), "{}", e.message);
    let e = run(&format!(
        "{{{list}}}.![Arrays.flatten(app.profile.ids, app.profile.ids)]"
    ))
    .unwrap_err();
    assert_eq!(e.kind, EvalErrorKind::Budget);
    // One pass is well within budget.
    assert!(run("String.len(app.profile.big + app.profile.big)").is_ok());
}

#[test]
fn regex_size_and_validity() {
    assert_eq!(
        check_kind(r#"user.login matches "\w{1000}\w{1000}\w{1000}""#),
        CheckErrorKind::Regex
    );
    assert_eq!(
        check_kind(r#"user.login matches "(unclosed""#),
        CheckErrorKind::Regex
    );
    assert_eq!(
        check_kind(r#"isMemberOfGroupNameRegex("a)|(b")"#),
        CheckErrorKind::Regex
    );
    assert_eq!(
        check_kind(r#"String.replaceFirst(user.login, "*", "")"#),
        CheckErrorKind::Regex
    );
    // Computed patterns are compiled at evaluation, with the same limits.
    assert_eq!(
        eval_kind(r#"user.login matches ("\w{1000}" + "\w{1000}\w{1000}")"#),
        EvalErrorKind::Regex
    );
    // Linear time: a classic catastrophic-backtracking pattern is instant.
    let src = format!("'{}!' matches '(a+)+$'", "a".repeat(5_000));
    assert_eq!(eval(&src).unwrap(), json!(false));
}

#[test]
fn literal_group_limits_are_refused_at_check() {
    let msg = |src: &str| compile(src).unwrap_err().to_string();
    assert!(
        msg(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 100)"#)
            .contains("The maximum number of groups must be less than 100")
    );
    assert!(
        msg(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 0)"#)
            .contains("at least 1")
    );
    assert!(
        msg(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", -5)"#)
            .contains("at least 1")
    );
    assert!(
        msg(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", "40")"#)
            .contains("integer")
    );
    assert!(msg(r#"Groups.startsWith("OKTA", "West", 101)"#).contains("at most 100"));
    assert_eq!(
        check_kind(r#"getFilteredGroups({}, "group.name", 99.5)"#),
        CheckErrorKind::GroupLimit
    );
    assert!(compile(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 99)"#).is_ok());
    assert!(compile(r#"Groups.startsWith("OKTA", "West", 100)"#).is_ok());
    // The caret points at the literal.
    let src = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 400)"#;
    let shown = compile(src).unwrap_err().render(src);
    assert!(
        shown.ends_with(&format!("{}^^^", " ".repeat(2 + src.find("400").unwrap()))),
        "{shown}"
    );
}

#[test]
fn computed_group_limits_fail_at_evaluation() {
    assert_eq!(
        eval_kind(
            r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", app.profile.maxLimit * 100)"#
        ),
        EvalErrorKind::GroupLimit
    );
    assert_eq!(
        eval_kind(
            r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", app.profile.maxLimit - 2)"#
        ),
        EvalErrorKind::GroupLimit
    );
    assert_eq!(
        eval_kind(r#"Groups.contains("OKTA", "x", app.profile.maxLimit * 60)"#),
        EvalErrorKind::GroupLimit
    );
}

#[test]
fn computed_group_expressions_are_checked_at_evaluation() {
    let ctx = fixture();
    let run = |src: &str| compile(src).unwrap().eval(&ctx);
    assert_eq!(
        run(r#"getFilteredGroups({"00gbso71miOMjxHRW0h7"}, "group." + "id", 5)"#)
            .unwrap()
            .to_json()
            .unwrap(),
        json!(["00gbso71miOMjxHRW0h7"])
    );
    let e = run(r#"getFilteredGroups({"00gbso71miOMjxHRW0h7"}, "group." + "", 5)"#).unwrap_err();
    assert_eq!(e.kind, EvalErrorKind::GroupExpression);
    let e = run(r#"getFilteredGroups({"00gbso71miOMjxHRW0h7"}, "nope" + ".x", 5)"#).unwrap_err();
    assert_eq!(e.kind, EvalErrorKind::GroupExpression);
    // Nesting getFilteredGroups inside a group expression is refused in both forms.
    assert!(
        compile(r#"getFilteredGroups({}, "getFilteredGroups({}, 'group.id', 1)", 5)"#).is_err()
    );
    let e = run(r#"getFilteredGroups({"00gbso71miOMjxHRW0h7"}, "getFilteredGroups({}, 'group.id', 1)" + "", 5)"#).unwrap_err();
    assert_eq!(e.kind, EvalErrorKind::GroupExpression);
}

#[test]
fn shared_values_cannot_amplify_work() {
    // A projection repeats one 20 000-element list 500 times in linear memory; anything that walks the
    // result deeply must pay for 10 million elements, so it stops at the work budget, fast.
    let ctx = tollgate_expr::Context::from_json(&json!({
        "app": { "id": "a", "clientId": "a", "profile": { "big": vec![1; 20_000] } }
    }))
    .unwrap();
    let list = (0..500)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let many = format!("{{{list}}}.![app.profile.big]");
    for src in [
        format!("Arrays.flatten({many})"),
        format!("'' + {many}"),
        format!("{many} == {many}"),
        format!("Arrays.contains({many}, 1)"),
        format!("String.join(',', {many})"),
        format!("Arrays.toCsvString({many})"),
    ] {
        let started = std::time::Instant::now();
        let e = compile(&src).unwrap().eval(&ctx).unwrap_err();
        assert_eq!(e.kind, EvalErrorKind::Budget, "{}", &src[..30]);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
    // As a claim value it is refused by the output mapping rather than serialized.
    let e = compile(&many).unwrap().eval_json(&ctx).unwrap_err();
    assert_eq!(e.kind, EvalErrorKind::NotAClaimValue);
}

#[test]
fn computed_regexes_are_cached_and_budgeted() {
    let list = (0..800)
        .map(|i| format!("{{p: '{i}'}}"))
        .collect::<Vec<_>>()
        .join(",");
    // The same computed pattern 800 times: compiled once.
    let same = format!("{{{list}}}.![user.login matches ('[a-z.@]+' + '')]");
    assert!(eval(&same).is_ok());
    // 800 different computed patterns: the work budget stops it after a few compilations.
    let distinct = format!("{{{list}}}.![user.login matches ('[a-z.@]+' + p)]");
    assert_eq!(eval_kind(&distinct), EvalErrorKind::Budget);
}
