//! `apply` and `export` carry the schemas' custom properties and the user types; profiles in
//! the file are checked against the schema the file declares.

use tollgate::orgfile;
use tollgate_core::Clock;
use tollgate_store::Store;
use tollgate_store::testing::Scratch;

use crate::backend_tests;
use crate::support::Backend;

backend_tests!(schemas_and_user_types_round_trip);

const FILE: &str = "schemas:
  user:
    age: {title: Age, type: integer, minimum: 18}
  group:
    costCode: {title: Cost code, type: string, enum: [A1, B2]}
userTypes:
  - name: contractor
    displayName: Contractor
    description: Outside staff
    properties:
      company: {title: Company, type: string, required: true}
users:
  - login: ann@acme.com
    firstName: Ann
    lastName: Lee
    profile: {age: 33}
";

async fn store(b: Backend) -> Option<(Scratch, Store)> {
    let scratch = match b {
        Backend::Sqlite => Scratch::sqlite().unwrap(),
        Backend::Postgres => Scratch::postgres().await.unwrap()?,
    };
    let store = Store::connect(&scratch.url).await.unwrap();
    store.bootstrap(Clock::System.now(), None).await.unwrap();
    Some((scratch, store))
}

async fn apply(store: &Store, text: &str) -> anyhow::Result<orgfile::Plan> {
    orgfile::apply_text(store, "org.yaml", text, false, "apply", Clock::System.now()).await
}

async fn schemas_and_user_types_round_trip(b: Backend) {
    let (Some((_a, source)), Some((_c, target))) = (store(b).await, store(b).await) else {
        return;
    };
    let bad = FILE.replace("age: 33", "age: 12");
    let err = apply(&source, &bad).await.unwrap_err().to_string();
    assert!(
        err.contains("users[0].profile.age: The value is below the minimum of 18"),
        "{err}"
    );
    assert!(
        source.list_user_types().await.unwrap().len() == 1,
        "nothing written"
    );

    let plan = apply(&source, FILE).await.unwrap();
    assert_eq!(plan.counts().0, 2, "{}", plan.render(true));
    assert!(apply(&source, FILE).await.unwrap().is_noop());
    let types = source.list_user_types().await.unwrap();
    assert_eq!(types.len(), 2);

    let exported = orgfile::export::export(&source).await.unwrap();
    assert_eq!(exported.schemas.user["age"]["minimum"], 18);
    assert_eq!(exported.schemas.group["costCode"]["type"], "string");
    assert_eq!(exported.user_types.len(), 1);
    assert_eq!(
        exported.user_types[0].properties["company"]["required"],
        true
    );
    let text = orgfile::to_yaml(&exported).unwrap();
    apply(&target, &text).await.unwrap();
    let again = orgfile::export::export(&target).await.unwrap();
    assert_eq!(
        (again.schemas, again.user_types, again.users),
        (exported.schemas, exported.user_types, exported.users)
    );
}
