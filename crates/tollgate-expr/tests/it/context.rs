//! The typed context builder and the JSON context format.

use serde_json::json;
use time::macros::datetime;
use tollgate_expr::{
    App, Context, Group, GroupSource, GroupType, Org, Session, User, compile, evaluate_json,
};

fn typed() -> Context {
    let mut user = User::new("00u1", "ACTIVE");
    user.profile.insert("firstName".into(), json!("Annie"));
    user.profile.insert("id".into(), json!("shadowed"));
    user.created = Some(datetime!(2017-08-25 21:15:48 UTC));
    let mut app = App::new("0oa1", "client1");
    app.profile
        .insert("groupwhitelist".into(), json!(["00g1", "00g3"]));
    let mut ad = Group::new("00g3", "Engineering", GroupType::AppGroup);
    ad.source = Some(GroupSource::new("0oaAD", Some("active_directory".into())));
    let mut other = Group::new("00g9", "Not Mine", GroupType::OktaGroup);
    other.member = false;
    Context::builder(datetime!(2015-07-31 17:18:37.979 UTC))
        .user(user)
        .groups([Group::new("00g1", "Sales", GroupType::OktaGroup), ad, other])
        .app(app)
        .app_user(serde_json::Map::from_iter([(
            "userName".to_owned(),
            json!("annie"),
        )]))
        .org(Org::new("Acme", "acme"))
        .scopes(vec!["openid".into()])
        .session(Session::new(Some("s1".into()), vec!["pwd".into()]))
        .build()
}

fn eval(ctx: &Context, src: &str) -> serde_json::Value {
    compile(src).unwrap().eval_json(ctx).unwrap()
}

#[test]
fn typed_context_exposes_every_binding() {
    let ctx = typed();
    assert_eq!(eval(&ctx, "user.firstName"), json!("Annie"));
    assert_eq!(
        eval(&ctx, "user.id"),
        json!("00u1"),
        "top-level names win over profile attributes"
    );
    assert_eq!(eval(&ctx, "user.profile.id"), json!("shadowed"));
    assert_eq!(
        eval(&ctx, "user.created"),
        json!("2017-08-25T21:15:48.000Z")
    );
    assert_eq!(eval(&ctx, "appuser.userName"), json!("annie"));
    assert_eq!(eval(&ctx, "org.subDomain"), json!("acme"));
    assert_eq!(eval(&ctx, "access.scope"), json!(["openid"]));
    assert_eq!(eval(&ctx, "session.amr"), json!(["pwd"]));
    assert_eq!(eval(&ctx, "session.id"), json!("s1"));
    assert_eq!(eval(&ctx, "app.name"), json!(null));
    assert_eq!(
        eval(
            &ctx,
            "getFilteredGroups(app.profile.groupwhitelist, 'group.name + \":\" + group.source?.appName', 10)"
        ),
        json!(["Sales:null", "Engineering:active_directory"])
    );
    assert_eq!(eval(&ctx, "isMemberOfGroup('00g9')"), json!(false));
    assert_eq!(
        eval(&ctx, "Time.now('EST')"),
        json!("2015-07-31T13:18:37.979-04:00")
    );
}

#[test]
fn empty_context_means_absent_bindings() {
    let v = |src: &str| evaluate_json(src, &json!({}));
    assert_eq!(
        v("user == null && app == null && appuser == null").unwrap(),
        json!(true)
    );
    assert_eq!(v("access.scope").unwrap(), json!(null));
    assert_eq!(v("org.name").unwrap(), json!(null));
    assert_eq!(v("session.amr").unwrap(), json!(null));
    assert_eq!(v("isMemberOfGroupName('Everyone')").unwrap(), json!(false));
    assert!(
        v("user.firstName").is_err(),
        "no user: dereferencing it fails"
    );
    assert_eq!(v("user?.firstName").unwrap(), json!(null));
    assert!(
        v("Time.now()")
            .unwrap_err()
            .to_string()
            .contains("no `now`")
    );
}

#[test]
fn json_context_errors_name_the_path() {
    let e = Context::from_json(&json!({"groups": [{"id": "x", "name": "n", "type": "NOPE"}]}))
        .unwrap_err();
    assert_eq!(e.path, "groups[0].type");
    let e = Context::from_json(&json!({"usr": {}})).unwrap_err();
    assert_eq!(e.path, "usr");
    let e = Context::from_json(&json!({"now": "yesterday"})).unwrap_err();
    assert_eq!(e.path, "now");
    let e = Context::from_json(&json!([])).unwrap_err();
    assert_eq!(e.path, "$");
    let e = Context::from_json(&json!({"user": {"profile": {}}})).unwrap_err();
    assert_eq!(e.path, "user.id");
}

#[test]
fn group_profile_name_and_defaults() {
    let ctx = Context::from_json(&json!({
        "groups": [{ "id": "00g1", "profile": { "name": "Sales", "description": "d", "x": 1 } }]
    }))
    .unwrap();
    assert_eq!(
        eval(
            &ctx,
            "getFilteredGroups({'00g1'}, 'group.name + group.description + group.profile.x + group.type + group.objectClass[0]', 5)"
        ),
        json!(["Salesd1OKTA_GROUPokta:user_group"])
    );
}

#[test]
fn compiled_is_send_sync_and_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<tollgate_expr::Compiled>();
    assert_send_sync::<Context>();
    let compiled = std::sync::Arc::new(compile("user.firstName + '!'").unwrap());
    let ctx = std::sync::Arc::new(typed());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (c, x) = (compiled.clone(), ctx.clone());
            std::thread::spawn(move || c.eval_json(&x).unwrap())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), json!("Annie!"));
    }
}
