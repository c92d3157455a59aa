use tollgate_store::Store;

use crate::{on_both, t0, token};

#[tokio::test]
async fn bootstrap_creates_once() {
    on_both(|store, scratch| async move {
        let first = store.bootstrap(t0(), Some("admin")).await.unwrap();
        assert!(first.created);
        let secret = first.first_token.expect("a token on an empty database");
        assert!(
            store
                .find_api_token(&secret.digest())
                .await
                .unwrap()
                .is_some()
        );

        let again = store
            .bootstrap(t0().plus_seconds(5), Some("admin"))
            .await
            .unwrap();
        assert!(!again.created);
        assert!(again.first_token.is_none());
        assert_eq!(again.org.id, first.org.id);
        assert_eq!(again.org.created, t0());

        let server = store.find_auth_server("default").await.unwrap().unwrap();
        assert_eq!(server.audiences, vec!["api://default".to_owned()]);
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn org_update_round_trips() {
    on_both(|store, scratch| async move {
        let mut org = store.bootstrap(t0(), None).await.unwrap().org;
        let patch = serde_json::json!({"companyName": "Acme", "website": "https://acme.example"});
        org.apply_update(patch.as_object().unwrap(), false, t0().plus_seconds(1))
            .unwrap();
        store.update_org(&org, &[]).await.unwrap();
        let read = store.org().await.unwrap();
        assert_eq!(read, org);
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn tokens_register_idempotently() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let t = token();
        assert!(
            store
                .register_api_token("ci", &t.digest(), None, t0())
                .await
                .unwrap()
        );
        assert!(
            !store
                .register_api_token("ci", &t.digest(), None, t0())
                .await
                .unwrap()
        );
        let rec = store.find_api_token(&t.digest()).await.unwrap().unwrap();
        assert_eq!(rec.name, "ci");
        assert!(rec.id.starts_with("00T"));
        assert!(
            store
                .find_api_token(&token().digest())
                .await
                .unwrap()
                .is_none()
        );
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn concurrent_connects_migrate_once() {
    on_both(|store, scratch| async move {
        store.close().await;
        // A second database of the same backend, opened by many "processes" at once.
        let fresh = match &scratch.url {
            tollgate_store::DatabaseUrl::Sqlite(_) => {
                tollgate_store::testing::Scratch::sqlite().unwrap()
            }
            tollgate_store::DatabaseUrl::Postgres(_) => {
                tollgate_store::testing::Scratch::postgres()
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        let mut handles = Vec::new();
        for _ in 0..6 {
            let url = fresh.url.clone();
            handles.push(tokio::spawn(async move {
                let store = Store::connect(&url).await?;
                let boot = store.bootstrap(t0(), Some("admin")).await?;
                store.close().await;
                Ok::<_, tollgate_store::Error>(boot.created)
            }));
        }
        let mut created = 0;
        for h in handles {
            if h.await.unwrap().unwrap() {
                created += 1;
            }
        }
        assert_eq!(created, 1, "exactly one starter creates the org");
        fresh.cleanup().await;
        scratch
    })
    .await;
}
