//! Property tests: canonical printing round-trips, and evaluation never panics.

use proptest::prelude::*;
use tollgate_expr::{BinaryOp, Expr, Name, Node, NodeKind, Span, UnaryOp, compile};

use crate::support::fixture;

fn node(kind: NodeKind) -> Node {
    Node::new(kind, Span::default())
}

fn name(s: &str) -> Name {
    Name {
        text: s.to_owned(),
        span: Span::default(),
    }
}

fn leaf() -> impl Strategy<Value = Node> {
    prop_oneof![
        Just(node(NodeKind::Null)),
        any::<bool>().prop_map(|b| node(NodeKind::Bool(b))),
        (0i64..1_000_000).prop_map(|i| node(NodeKind::Int(i))),
        (0.0f64..1e6).prop_map(|x| node(NodeKind::Float(x))),
        "[a-z '\"\\\\]{0,8}".prop_map(|s| node(NodeKind::Str(s))),
        prop::sample::select(vec!["user", "app", "appuser", "org", "access", "session"])
            .prop_map(|n| node(NodeKind::Name(name(n)))),
    ]
}

const BINARY: [BinaryOp; 14] = [
    BinaryOp::Or,
    BinaryOp::And,
    BinaryOp::Eq,
    BinaryOp::Ne,
    BinaryOp::Lt,
    BinaryOp::Gt,
    BinaryOp::Le,
    BinaryOp::Ge,
    BinaryOp::Matches,
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::Rem,
];

const CALLS: [(&str, &str); 8] = [
    ("String", "len"),
    ("String", "toUpperCase"),
    ("Arrays", "size"),
    ("Arrays", "flatten"),
    ("Convert", "toInt"),
    ("String", "substring"),
    ("", "isMemberOfGroupName"),
    ("", "substringBefore"),
];

fn tree() -> impl Strategy<Value = Node> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        let b = |n: Node| Box::new(n);
        prop_oneof![
            (inner.clone(), "[a-zA-Z_][a-zA-Z0-9_]{0,6}", any::<bool>()).prop_map(
                move |(t, n, s)| node(NodeKind::Property {
                    target: b(t),
                    name: name(&n),
                    null_safe: s
                })
            ),
            (inner.clone(), inner.clone()).prop_map(move |(t, i)| node(NodeKind::Index {
                target: b(t),
                index: b(i)
            })),
            (
                prop::sample::select(BINARY.to_vec()),
                inner.clone(),
                inner.clone()
            )
                .prop_map(move |(op, l, r)| node(NodeKind::Binary {
                    op,
                    lhs: b(l),
                    rhs: b(r)
                })),
            (any::<bool>(), inner.clone()).prop_map(move |(not, x)| node(NodeKind::Unary {
                op: if not { UnaryOp::Not } else { UnaryOp::Neg },
                operand: b(x)
            })),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(move |(c, t, o)| node(
                NodeKind::Ternary {
                    cond: b(c),
                    then: b(t),
                    otherwise: b(o)
                }
            )),
            (inner.clone(), inner.clone()).prop_map(move |(v, f)| node(NodeKind::Elvis {
                value: b(v),
                fallback: b(f)
            })),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| node(NodeKind::List(v))),
            prop::collection::vec(("[a-z.' ]{0,5}", inner.clone()), 0..3)
                .prop_map(|v| node(NodeKind::Map(v))),
            (
                prop::sample::select(CALLS.to_vec()),
                prop::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(move |((ns, f), args)| {
                    let target = (!ns.is_empty()).then(|| b(node(NodeKind::Name(name(ns)))));
                    node(NodeKind::Call {
                        target,
                        name: name(f),
                        args,
                        null_safe: false,
                    })
                }),
            (inner.clone(), inner.clone(), any::<bool>()).prop_map(move |(t, body, p)| {
                if p {
                    node(NodeKind::Projection {
                        target: b(t),
                        body: b(body),
                    })
                } else {
                    node(NodeKind::Selection {
                        target: b(t),
                        body: b(body),
                    })
                }
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printing_then_parsing_gives_the_same_tree(root in tree()) {
        let expr = Expr::from_root(root);
        let printed = expr.to_string();
        let parsed = Expr::parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed}: {e}")))?;
        prop_assert_eq!(&parsed, &expr, "printed as {}", printed);
        prop_assert_eq!(parsed.to_string(), printed);
    }

    #[test]
    fn evaluating_random_trees_never_panics(root in tree()) {
        let src = Expr::from_root(root).to_string();
        if let Ok(c) = compile(&src) {
            let ctx = fixture();
            let _ = c.eval(&ctx);
            let _ = c.eval_traced(&ctx);
        }
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(src in "[ -~]{0,64}") {
        if let Ok(c) = compile(&src) {
            let _ = c.eval(&fixture());
        }
    }

    #[test]
    fn evaluating_against_random_contexts_never_panics(
        profile in prop::collection::btree_map("[a-c]", prop_oneof![
            Just(serde_json::Value::Null),
            any::<i32>().prop_map(serde_json::Value::from),
            "[a-z,]{0,6}".prop_map(serde_json::Value::from),
            prop::collection::vec("[a-z0-9]{0,3}", 0..4).prop_map(serde_json::Value::from),
        ], 0..4),
        src in prop::sample::select(vec![
            "user.a + user.b", "Arrays.size(user.c)", "String.len(user.a)", "user.a[0]", "Convert.toInt(user.b)",
            "getFilteredGroups(user.a, 'group.name', 10)", "user.a ?: user.b", "user.a > user.c",
            "Arrays.flatten(user.a, user.b, user.c)", "String.substring(user.a, user.b, user.c)",
            "user.a matches user.b", "user.getGroups({'group.id': user.a})", "Groups.contains('OKTA', user.a, 5)",
        ]),
    ) {
        let ctx = tollgate_expr::Context::from_json(&serde_json::json!({
            "user": { "id": "u", "profile": profile },
            "groups": [{ "id": "g", "name": "G" }],
        })).unwrap();
        let _ = compile(src).unwrap().eval(&ctx);
    }
}
