//! Org files carry admin roles: `apply` assigns them with their targets, `export` writes them,
//! and an export applied to an empty database gives the same roles back.

use tollgate::orgfile;
use tollgate_core::Clock;
use tollgate_store::testing::Scratch;
use tollgate_store::{Principal, Store};

use crate::backend_tests;
use crate::support::Backend;

backend_tests!(roles_round_trip_through_org_files);

const FILE: &str = "users:
  - login: ua@acme.com
    firstName: Una
    lastName: Admin
  - login: ro@acme.com
    firstName: Rob
    lastName: Reader
groups:
  - name: West
  - name: Help desk
adminRoles:
  - user: ua@acme.com
    type: USER_ADMIN
    groupTargets: [West]
  - user: ro@acme.com
    type: READ_ONLY_ADMIN
  - group: Help desk
    type: HELP_DESK_ADMIN
  - group: Help desk
    type: APP_ADMIN
    appTargets: [oidc_client]
";

async fn scratch(b: Backend) -> Option<Scratch> {
    match b {
        Backend::Sqlite => Some(Scratch::sqlite().unwrap()),
        Backend::Postgres => Scratch::postgres().await.unwrap(),
    }
}

async fn fresh(s: &Scratch) -> Store {
    let store = Store::connect(&s.url).await.unwrap();
    store.bootstrap(Clock::System.now(), None).await.unwrap();
    store
}

async fn apply(store: &Store, text: &str) -> orgfile::Plan {
    orgfile::apply_text(store, "org.yaml", text, false, "apply", Clock::System.now())
        .await
        .unwrap()
}

async fn roles_round_trip_through_org_files(b: Backend) {
    let (Some(a), Some(c)) = (scratch(b).await, scratch(b).await) else {
        return;
    };
    let source = fresh(&a).await;
    apply(&source, FILE).await;
    let ua = source.find_user("ua@acme.com").await.unwrap().unwrap();
    let grants = source.grants_of_user(ua.id.as_str()).await.unwrap();
    assert_eq!(grants.len(), 1);
    let west = &grants[0].groups;
    assert_eq!(west.len(), 1);
    assert!(apply(&source, FILE).await.is_noop());

    let exported = orgfile::export::export(&source).await.unwrap();
    assert_eq!(exported.admin_roles.len(), 4);
    let text = orgfile::to_yaml(&exported).unwrap();
    assert!(
        text.contains("adminRoles:") && text.contains("groupTargets:"),
        "{text}"
    );
    let target = fresh(&c).await;
    apply(&target, &text).await;
    let again = orgfile::export::export(&target).await.unwrap();
    assert_eq!(again.admin_roles, exported.admin_roles);
    assert!(apply(&target, &text).await.is_noop());
    let help = target.find_user("ua@acme.com").await.unwrap().unwrap();
    let roles = target
        .roles_of(Principal::User(help.id.as_str()))
        .await
        .unwrap();
    assert_eq!(roles[0].role_type, "USER_ADMIN");

    // A bad role type or holder is a problem of the file, and nothing is written.
    let bad = "adminRoles:\n  - user: nobody@acme.com\n    type: USER_ADMIN\n  - group: West\n    type: KING\n";
    let err = orgfile::apply_text(
        &target,
        "org.yaml",
        bad,
        false,
        "apply",
        Clock::System.now(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("adminRoles[0].user") || err.contains("org.yaml"),
        "{err}"
    );
    source.close().await;
    target.close().await;
    a.cleanup().await;
    c.cleanup().await;
}
