//! Org files carry every app kind: applied, exported, and applied again to an empty database
//! with the same result; a kind given OpenID Connect settings is refused with its path.

use tollgate::orgfile;
use tollgate_store::AppQuery;

use crate::backend_tests;
use crate::orgfile::{apply_text, fresh_store, scratch};
use crate::support::Backend;

backend_tests!(org_files_carry_every_app_kind);

const FILE: &str = "users:
  - login: kim@acme.com
    firstName: Kim
    lastName: Lee
    password: Tollgate-2026
apps:
  - label: Intranet
    name: bookmark
    app:
      url: https://intranet.example.com
    assignments:
      users: [kim@acme.com]
  - label: Legacy Portal
    name: template_basic_auth
    scheme: SHARED_USERNAME_AND_PASSWORD
    app:
      url: https://legacy.example.com
      authURL: https://legacy.example.com/auth
  - label: Partner SAML
    signOnMode: SAML_2_0
    signOn:
      ssoAcsUrl: https://partner.example.com/acs
      audience: urn:partner
";

async fn org_files_carry_every_app_kind(b: Backend) {
    let (Some(a), Some(c)) = (scratch(b).await, scratch(b).await) else {
        return;
    };
    let source = fresh_store(&a).await;
    apply_text(&source, FILE).await.unwrap();
    let (apps, _) = source
        .list_apps(&AppQuery {
            limit: 10,
            ..AppQuery::default()
        })
        .await
        .unwrap();
    let mut kinds: Vec<(String, &str)> = apps
        .iter()
        .map(|a| (a.name().to_owned(), a.sign_on_mode()))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("bookmark".to_owned(), "BOOKMARK"),
            ("partner_saml_1".to_owned(), "SAML_2_0"),
            ("template_basic_auth".to_owned(), "BASIC_AUTH"),
        ]
    );
    assert!(
        apply_text(&source, FILE).await.unwrap().is_noop(),
        "a second run changes nothing"
    );

    let exported = orgfile::export::export(&source).await.unwrap();
    let text = orgfile::to_yaml(&exported).unwrap();
    assert!(
        text.contains("name: bookmark") && text.contains("signOnMode: SAML_2_0"),
        "{text}"
    );
    assert!(
        text.contains("scheme: SHARED_USERNAME_AND_PASSWORD"),
        "{text}"
    );
    let target = fresh_store(&c).await;
    apply_text(&target, &text).await.unwrap();
    assert_eq!(
        orgfile::export::export(&target).await.unwrap().apps,
        exported.apps
    );
    assert!(apply_text(&target, &text).await.unwrap().is_noop());

    let mixed = "apps:\n  - label: Odd\n    name: bookmark\n    client_id: odd\n    app:\n      url: https://e.com\n";
    let err = apply_text(&target, mixed).await.unwrap_err().to_string();
    assert!(
        err.contains("apps[0].client_id: only OpenID Connect apps have this"),
        "{err}"
    );
    source.close().await;
    target.close().await;
    a.cleanup().await;
    c.cleanup().await;
}
