use crate::error::CheckErrorKind;
use crate::{Error, compile};

fn refused(src: &str) -> (CheckErrorKind, String) {
    match compile(src) {
        Err(Error::Check(e)) => (e.kind, e.message),
        other => panic!("{src}: {other:?}"),
    }
}

#[test]
fn unknown_names_get_hints() {
    let (kind, msg) = refused("String.lenn(user.login)");
    assert_eq!(kind, CheckErrorKind::UnknownFunction);
    assert!(msg.ends_with("did you mean `String.len`?"), "{msg}");
    assert!(
        refused("tolowercase(user.login)")
            .1
            .contains("`toLowerCase`")
    );
    assert!(refused("user.getFoo()").1.contains("getInternalProperty"));
    assert!(
        refused("user.login.size()")
            .1
            .contains("`Arrays.size(value)`")
    );
    assert_eq!(refused("zendesk.x").0, CheckErrorKind::UnknownName);
    assert_eq!(refused("idpuser.x").0, CheckErrorKind::Unsupported);
    assert_eq!(
        refused("getManagerUser('x')").0,
        CheckErrorKind::Unsupported
    );
    assert_eq!(refused("Arrays").0, CheckErrorKind::UnknownName);
    assert_eq!(refused("group.id").0, CheckErrorKind::UnknownName);
}

#[test]
fn arity_and_group_expression_errors_point_into_the_source() {
    let src = r#"getFilteredGroups({}, "group.nam e", 40)"#;
    let e = match compile(src) {
        Err(Error::Check(e)) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(e.kind, CheckErrorKind::GroupExpression);
    assert_eq!(&src[e.span.start..e.span.end], "e");
    assert_eq!(refused("String.len()").0, CheckErrorKind::Arity);
    assert_eq!(refused("Time.now(1, 2, 3)").0, CheckErrorKind::Arity);
    // Inside a projection a bare name is an element property, not an unknown binding.
    assert!(compile("user.getGroups().![name]").is_ok());
}

#[test]
fn constant_literals_are_folded() {
    let c = compile("{1, {'a': 'b'}, 'x'}").unwrap();
    assert!(matches!(c.inner.op.kind, crate::ir::OpKind::Const(_)));
}
