//! The conditional writes of sign-in: counting attempts atomically under parallel load, stale
//! saves refused, success and status moves only from what was seen, and sessions ended with
//! the user.

use serde_json::json;
use tollgate_core::directory::user::CreateOptions;
use tollgate_core::directory::{User, UserStatus};
use tollgate_core::session::Session;
use tollgate_store::{Attempt, Error, Store};

use crate::{on_both, t0};

fn user(login: &str) -> User {
    let profile = json!({"login": login, "email": login, "firstName": "A", "lastName": "B"});
    let opts = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    User::create(
        profile.as_object().unwrap().clone(),
        Some("hash-1".into()),
        opts,
        t0(),
    )
    .unwrap()
}

/// Annie, created in a bootstrapped store, and one sign-in attempt counted against her.
async fn counted_attempt(store: &Store) -> (User, Attempt) {
    store.bootstrap(t0(), None).await.unwrap();
    let u = user("annie@acme.com");
    store.create_user(&u, &[], &[]).await.unwrap();
    let seen = store
        .count_sign_in_attempt(u.id.as_str(), 10)
        .await
        .unwrap()
        .unwrap();
    (u, seen)
}

#[tokio::test]
async fn attempts_are_counted_atomically_up_to_the_limit() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let u = user("annie@acme.com");
        store.create_user(&u, &[], &[]).await.unwrap();
        let tasks: Vec<_> = (0..30)
            .map(|_| {
                let (store, id) = (store.clone(), u.id.as_str().to_owned());
                tokio::spawn(async move { store.count_sign_in_attempt(&id, 5).await.unwrap() })
            })
            .collect();
        let mut counted = Vec::new();
        for t in tasks {
            if let Some(a) = t.await.unwrap() {
                counted.push(a.failed_logins);
            }
        }
        counted.sort_unstable();
        assert_eq!(counted, vec![1, 2, 3, 4, 5]);
        let stored = store.find_user(u.id.as_str()).await.unwrap().unwrap();
        assert_eq!((stored.failed_logins, stored.version), (5, 5));
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn stale_saves_and_changed_users_are_refused() {
    on_both(|store, scratch| async move {
        let (u, seen) = counted_attempt(&store).await;
        let id = u.id.as_str().to_owned();
        assert_eq!(seen.status, UserStatus::Active);

        // An admin deactivates from a fresh read; the old copy can no longer be saved.
        let mut admin = store.find_user(&id).await.unwrap().unwrap();
        admin.deactivate(t0()).unwrap();
        store.update_user(&admin, &[]).await.unwrap();
        let mut stale = u.clone();
        stale.failed_logins = 0;
        assert!(matches!(
            store.update_user(&stale, &[]).await,
            Err(Error::Stale)
        ));

        // The sign-in verified against ACTIVE: its success is not recorded.
        assert!(
            !store
                .record_sign_in(&id, &seen, Some(t0()), None, t0(), &[])
                .await
                .unwrap()
        );
        let (from, to) = (UserStatus::Active, UserStatus::LockedOut);
        assert!(
            !store
                .move_user_status(&id, from, to, None, false, t0(), &[])
                .await
                .unwrap()
        );
        let stored = store.find_user(&id).await.unwrap().unwrap();
        assert_eq!(stored.status, UserStatus::Deprovisioned);
        assert_eq!(stored.last_login, None);

        let mut gone = stored.clone();
        gone.id = tollgate_core::id::UserId::generate();
        assert!(matches!(
            store.update_user(&gone, &[]).await,
            Err(Error::NotFound)
        ));
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn suspending_ends_sessions_and_blocks_new_ones() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let u = user("annie@acme.com");
        store.create_user(&u, &[], &[]).await.unwrap();
        let (s, _) = Session::start(u.id.clone(), t0());
        store.create_session(&s, "digest-1", &[]).await.unwrap();
        let mut fresh = store.find_user(u.id.as_str()).await.unwrap().unwrap();
        fresh.suspend(t0()).unwrap();
        store.update_user(&fresh, &[]).await.unwrap();
        assert!(store.find_session(&s.id, t0()).await.unwrap().is_none());
        let (s2, _) = Session::start(u.id.clone(), t0());
        let refused = store.create_session(&s2, "digest-2", &[]).await;
        assert!(matches!(refused, Err(Error::NotFound)));
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn a_right_password_may_replace_the_hash_it_was_verified_against() {
    on_both(|store, scratch| async move {
        let (u, seen) = counted_attempt(&store).await;
        let id = u.id.as_str().to_owned();
        let sign_in = |rehash| {
            let (store, id, seen) = (store.clone(), id.clone(), seen.clone());
            async move {
                store
                    .record_sign_in(&id, &seen, Some(t0()), rehash, t0(), &[])
                    .await
                    .unwrap()
            }
        };
        assert!(sign_in(Some("hash-2")).await);
        let stored = store.find_user(&id).await.unwrap().unwrap();
        assert_eq!(stored.password_hash.as_deref(), Some("hash-2"));
        assert_eq!(stored.password_changed, u.password_changed);
        assert_eq!((stored.failed_logins, stored.last_login), (0, Some(t0())));
        // A second sign-in that verified the old hash replaces nothing.
        assert!(!sign_in(Some("hash-3")).await);
        let stored = store.find_user(&id).await.unwrap().unwrap();
        assert_eq!(stored.password_hash.as_deref(), Some("hash-2"));
        store.close().await;
        scratch
    })
    .await;
}
