//! `passwordHash` as Okta's hash object: applied, signed in with (and upgraded), left alone by
//! a second apply, exported as the object until upgraded, and refused with the field's path
//! when wrong. Vectors as in `users/imported.rs` (password `Migrated-Pass-1`).

use tollgate::orgfile;
use tollgate_core::password::imported::is_imported;

use super::{apply_text, fresh_store, scratch};
use crate::backend_tests;
use crate::support::{Backend, TestApp};
use crate::users::sign_in;

backend_tests!(
    hash_objects_seed_passwords,
    a_wrong_hash_object_says_which_field,
);

const FILE: &str = "\
users:
  - login: pbkdf2.user@acme.com
    firstName: Pat
    lastName: Kdf
    passwordHash:
      algorithm: PBKDF2
      digestAlgorithm: SHA512_HMAC
      iterationCount: 4096
      keySize: 64
      salt: w6kfBOJ9W4imED9+
      value: vKzjqUpbfREth0VZHUEpxjy82aMDgzvIZ86zCR+GAFL7Ss4p4pp971asCue6lnmU40YJ3E5wdWzsgeNtO46fUg==
  - login: md5.user@acme.com
    firstName: Em
    lastName: Dee
    passwordHash: {algorithm: MD5, salt: w6kfBOJ9W4imED9+, saltOrder: PREFIX, value: FwoF2d8XQo/A/HtPHr5R8g==}
";

async fn hash_objects_seed_passwords(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let store = app.open_store().await;
    apply_text(&store, FILE).await.unwrap();
    let stored = |login: &'static str| {
        let store = store.clone();
        async move {
            store
                .find_user(login)
                .await
                .unwrap()
                .unwrap()
                .password_hash
                .unwrap()
        }
    };
    assert!(is_imported(&stored("pbkdf2.user@acme.com").await));
    assert_eq!(
        sign_in(&app, "pbkdf2.user@acme.com", "Migrated-Pass-2").await,
        "401"
    );
    assert_eq!(
        sign_in(&app, "pbkdf2.user@acme.com", "Migrated-Pass-1").await,
        "SUCCESS"
    );
    let upgraded = stored("pbkdf2.user@acme.com").await;
    assert!(upgraded.starts_with("$argon2id$"), "{upgraded}");

    // Applying the file again undoes no upgrade: the imported hash only seeds the password.
    assert!(apply_text(&store, FILE).await.unwrap().is_noop());
    assert_eq!(stored("pbkdf2.user@acme.com").await, upgraded);

    // The export keeps the argon2id hash, and the one not yet upgraded as Okta's object,
    // which applied to an empty database signs in the same.
    let exported = orgfile::export::export(&store).await.unwrap();
    let text = orgfile::to_yaml(&exported).unwrap();
    assert!(
        text.contains("algorithm: MD5") && text.contains("saltOrder: PREFIX"),
        "{text}"
    );
    assert!(!text.contains("okta-import"), "{text}");
    let Some(other) = scratch(b).await else {
        return;
    };
    let target = fresh_store(&other).await;
    apply_text(&target, &text).await.unwrap();
    let md5 = target
        .find_user("md5.user@acme.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(md5.password_hash, Some(stored("md5.user@acme.com").await));
    let pbkdf2 = target
        .find_user("pbkdf2.user@acme.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pbkdf2.password_hash.as_deref(), Some(upgraded.as_str()));
    target.close().await;
    other.cleanup().await;
    store.close().await;
    app.finish().await;
}

async fn a_wrong_hash_object_says_which_field(b: Backend) {
    let Some(s) = scratch(b).await else {
        return;
    };
    let store = fresh_store(&s).await;
    let bad = FILE.replace("saltOrder: PREFIX", "saltOrder: MIDDLE");
    let err = apply_text(&store, &bad).await.unwrap_err().to_string();
    assert!(
        err.contains("users[1].passwordHash.saltOrder: must be PREFIX or POSTFIX"),
        "{err}"
    );
    let bad = FILE.replace("iterationCount: 4096", "iterationCount: 10");
    let err = apply_text(&store, &bad).await.unwrap_err().to_string();
    assert!(
        err.contains("users[0].passwordHash.iterationCount: must be between"),
        "{err}"
    );
    let bad = FILE.replace("keySize: 64", "keysize: 64");
    let err = apply_text(&store, &bad).await.unwrap_err().to_string();
    assert!(err.contains("users[0]: unknown field `keysize`"), "{err}");
    assert!(
        store
            .find_user("md5.user@acme.com")
            .await
            .unwrap()
            .is_none()
    );
    store.close().await;
    s.cleanup().await;
}
