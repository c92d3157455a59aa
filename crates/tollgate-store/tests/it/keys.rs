use tollgate_core::token::keys::{KeyStatus, PublicJwk};
use tollgate_store::keys::{EXPIRED_KEY_RETENTION_SECS, EXPIRED_KEYS_KEPT};
use tollgate_store::{NewKey, Store};

use crate::{on_both, t0};

/// A stand-in key: the store never looks inside the JWK or the sealed bytes.
fn key(tag: &str) -> NewKey {
    NewKey {
        jwk: PublicJwk::new(format!("modulus-{tag}"), "AQAB".to_owned()),
        sealed: format!("sealed-{tag}\u{0}\u{ff}").into_bytes(),
    }
}

fn statuses(keys: &[tollgate_store::StoredKey]) -> Vec<(String, KeyStatus)> {
    keys.iter().map(|k| (k.jwk.kid.clone(), k.status)).collect()
}

#[tokio::test]
async fn ensure_keys_is_idempotent_and_one_process_wins() {
    on_both(|store, scratch| async move {
        assert!(store.keys("default").await.unwrap().is_empty());
        assert!(store.key_info("default").await.unwrap().is_none());
        let mut tasks = Vec::new();
        for i in 0..4 {
            let store: Store = store.clone();
            tasks.push(tokio::spawn(async move {
                let (a, n) = (key(&format!("a{i}")), key(&format!("n{i}")));
                let won = store.ensure_keys("default", &a, &n, t0()).await.unwrap();
                (won, a, n)
            }));
        }
        let mut winners = Vec::new();
        for t in tasks {
            let (won, a, n) = t.await.unwrap();
            if won {
                winners.push((a, n));
            }
        }
        assert_eq!(winners.len(), 1);
        let (a, n) = &winners[0];
        let keys = store.keys("default").await.unwrap();
        assert_eq!(
            statuses(&keys),
            vec![
                (a.jwk.kid.clone(), KeyStatus::Active),
                (n.jwk.kid.clone(), KeyStatus::Next)
            ]
        );
        assert_eq!(keys[0].sealed, a.sealed);
        assert_eq!(keys[0].jwk, a.jwk);
        assert_eq!(keys[0].created, t0());
        assert_eq!(keys[0].rotated, None);
        // Again: nothing changes.
        assert!(
            !store
                .ensure_keys("default", &key("x"), &key("y"), t0())
                .await
                .unwrap()
        );
        assert_eq!(store.keys("default").await.unwrap().len(), 2);
        let info = store.key_info("default").await.unwrap().unwrap();
        assert_eq!(info.active_kid, a.jwk.kid);
        assert_eq!(info.generation, 1);
        assert_eq!(info.last_rotated, t0());
        assert_eq!(info.next_rotation(), t0().plus_seconds(90 * 24 * 3600));
        assert_eq!(
            store.active_kid("default").await.unwrap(),
            Some(a.jwk.kid.clone())
        );
        // Key sets are per issuer.
        assert!(
            store
                .ensure_keys("org", &key("oa"), &key("on"), t0())
                .await
                .unwrap()
        );
        assert_eq!(store.keys("org").await.unwrap().len(), 2);
        assert!(store.delete_keys("org").await.unwrap());
        assert!(store.keys("org").await.unwrap().is_empty());
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn rotation_shifts_statuses_and_prunes_old_keys() {
    on_both(|store, scratch| async move {
        let (a, n) = (key("a"), key("n"));
        store.ensure_keys("org", &a, &n, t0()).await.unwrap();
        let later = t0().plus_seconds(60);
        let fresh = key("f");
        let generation = store
            .rotate_keys("org", None, &fresh, later, &[])
            .await
            .unwrap();
        assert_eq!(generation, Some(2));
        let keys = store.keys("org").await.unwrap();
        assert_eq!(
            statuses(&keys),
            vec![
                (n.jwk.kid.clone(), KeyStatus::Active),
                (fresh.jwk.kid.clone(), KeyStatus::Next),
                (a.jwk.kid.clone(), KeyStatus::Expired),
            ]
        );
        assert_eq!(keys[2].rotated, Some(later));
        let info = store.key_info("org").await.unwrap().unwrap();
        assert_eq!((info.generation, info.last_rotated), (2, later));
        assert_eq!(store.key_generation("org").await.unwrap(), Some(2));

        // A scheduled rotation decided on a stale view does nothing.
        assert_eq!(
            store
                .rotate_keys("org", Some(&a.jwk.kid), &key("g"), later, &[])
                .await
                .unwrap(),
            None
        );
        assert_eq!(store.key_generation("org").await.unwrap(), Some(2));
        assert_eq!(store.keys("org").await.unwrap().len(), 3);

        // Unknown key set.
        assert!(matches!(
            store.rotate_keys("nope", None, &key("h"), later, &[]).await,
            Err(tollgate_store::Error::NotFound)
        ));

        // Many rotations, long ago: only the most recent expired keys stay.
        let mut t = later;
        for i in 0..5 {
            t = t.plus_seconds(EXPIRED_KEY_RETENTION_SECS + 1);
            store
                .rotate_keys("org", None, &key(&format!("r{i}")), t, &[])
                .await
                .unwrap()
                .unwrap();
        }
        let keys = store.keys("org").await.unwrap();
        let expired = keys
            .iter()
            .filter(|k| k.status == KeyStatus::Expired)
            .count();
        assert_eq!(expired, usize::try_from(EXPIRED_KEYS_KEPT).unwrap());
        assert_eq!(keys.len(), expired + 2);
        // Newest expired first.
        assert!(keys[2].rotated > keys[3].rotated);
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn concurrent_scheduled_rotations_have_one_winner() {
    on_both(|store, scratch| async move {
        let (a, n) = (key("a"), key("n"));
        store.ensure_keys("org", &a, &n, t0()).await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..4 {
            let store = store.clone();
            let kid = a.jwk.kid.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .rotate_keys("org", Some(&kid), &key(&format!("c{i}")), t0(), &[])
                    .await
                    .unwrap()
            }));
        }
        let mut won = 0;
        for t in tasks {
            if t.await.unwrap().is_some() {
                won += 1;
            }
        }
        assert_eq!(won, 1);
        let keys = store.keys("org").await.unwrap();
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[0].jwk.kid, n.jwk.kid);
        assert_eq!(store.key_generation("org").await.unwrap(), Some(2));
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn due_rotations_are_found_by_last_rotation() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        store
            .ensure_keys("org", &key("oa"), &key("on"), t0())
            .await
            .unwrap();
        store
            .ensure_keys("default", &key("da"), &key("dn"), t0().plus_seconds(10))
            .await
            .unwrap();
        let due = store.keys_due_for_rotation(t0()).await.unwrap();
        assert_eq!(
            due.iter().map(|i| i.server_id.as_str()).collect::<Vec<_>>(),
            ["org"]
        );
        let due = store
            .keys_due_for_rotation(t0().plus_seconds(10))
            .await
            .unwrap();
        assert_eq!(due.len(), 2);
        assert_eq!(due[0].active_kid, key("da").jwk.kid);
        store.close().await;
        scratch
    })
    .await;
}
