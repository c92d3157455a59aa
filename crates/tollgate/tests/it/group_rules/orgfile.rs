//! Group rules in org files: applied (and evaluated), exported, and applied again to an empty
//! database with the same result; a bad expression is refused with its place in the file.

use tollgate::orgfile;
use tollgate_store::{Store, UserQuery};

use crate::backend_tests;
use crate::orgfile::{apply_text, fresh_store, scratch};
use crate::support::Backend;

backend_tests!(group_rules_round_trip);

const FILE: &str = r#"users:
  - login: eng@example.com
    firstName: Eng
    lastName: One
    profile: {department: Engineering}
  - login: excluded@example.com
    firstName: Ex
    lastName: Cluded
    profile: {department: Engineering}
  - login: sales@example.com
    firstName: Sal
    lastName: Es
    profile: {department: Sales}
groups:
  - name: Engineers
groupRules:
  - name: Engineering
    expression: user.department == "Engineering"
    groups: [Engineers]
    exclude: [excluded@example.com]
"#;

async fn member_logins(store: &Store, group_name: &str) -> Vec<String> {
    let group = store
        .list_groups(&tollgate_store::GroupQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .0
        .into_iter()
        .find(|g| g.name() == group_name)
        .unwrap();
    let query = UserQuery {
        group: Some(group.id.as_str().to_owned()),
        limit: 100,
        ..UserQuery::default()
    };
    let (users, _) = store.list_users(&query).await.unwrap();
    users.iter().map(|u| u.login().to_owned()).collect()
}

async fn group_rules_round_trip(b: Backend) {
    let (Some(a), Some(c)) = (scratch(b).await, scratch(b).await) else {
        return;
    };
    let source = fresh_store(&a).await;
    apply_text(&source, FILE).await.unwrap();
    assert_eq!(
        member_logins(&source, "Engineers").await,
        ["eng@example.com"]
    );
    assert!(apply_text(&source, FILE).await.unwrap().is_noop());

    let exported = orgfile::export::export(&source).await.unwrap();
    let text = orgfile::to_yaml(&exported).unwrap();
    assert!(text.contains("groupRules:"), "{text}");
    assert_eq!(exported.group_rules.len(), 1);
    let spec = &exported.group_rules[0];
    assert_eq!(spec.groups, ["Engineers"]);
    assert_eq!(spec.exclude, ["excluded@example.com"]);
    assert_eq!(spec.status.as_deref(), Some("ACTIVE"));

    let target = fresh_store(&c).await;
    apply_text(&target, &text).await.unwrap();
    let again = orgfile::export::export(&target).await.unwrap();
    assert_eq!(again.group_rules, exported.group_rules);
    assert_eq!(
        member_logins(&target, "Engineers").await,
        ["eng@example.com"]
    );
    assert!(apply_text(&target, &text).await.unwrap().is_noop());

    let bad = FILE.replace(r#"user.department == "Engineering""#, "user.department ==");
    let err = apply_text(&target, &bad).await.unwrap_err().to_string();
    assert!(
        err.contains("groupRules[0].conditions.expression.value"),
        "{err}"
    );
    source.close().await;
    target.close().await;
    a.cleanup().await;
    c.cleanup().await;
}
