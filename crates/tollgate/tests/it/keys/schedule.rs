//! Scheduled key rotation across processes sharing one database.

use tollgate_core::Clock;
use tollgate_core::token::sealed::MasterKey;

/// Scheduled rotation, with two keyrings standing for two processes sharing one database.
async fn scheduled_rotation(store: tollgate_store::Store) {
    use tollgate::keys::Keyring;
    use tollgate::keys::schedule::rotate_due;
    use tollgate_core::Timestamp;
    use tollgate_core::token::keys::AUTO_ROTATION_SECS;

    let clock = Clock::fixed(Timestamp::from_millis(1_700_000_000_000));
    store.bootstrap(clock.now(), None).await.unwrap();
    let master = MasterKey::generate();
    let one = Keyring::new(store.clone(), master.clone(), clock.clone());
    let two = Keyring::new(store.clone(), master, clock.clone());
    one.ensure("org").await.unwrap();
    one.ensure("default").await.unwrap();
    let org_kid = one.key_set("org").await.unwrap().kid().to_owned();
    assert_eq!(two.key_set("org").await.unwrap().kid(), org_kid);
    assert_eq!(rotate_due(&one, &store, clock.now()).await.unwrap(), 0);

    clock.advance(AUTO_ROTATION_SECS);
    let (a, b) = tokio::join!(
        rotate_due(&one, &store, clock.now()),
        rotate_due(&two, &store, clock.now())
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2, "org and default, each once");
    assert_eq!(rotate_due(&one, &store, clock.now()).await.unwrap(), 0);
    let keys = store.keys("org").await.unwrap();
    assert_eq!(keys.len(), 3);
    assert_eq!(keys[2].jwk.kid, org_kid);
    // The other process notices within the staleness interval.
    clock.advance(10);
    for ring in [&one, &two] {
        assert_eq!(
            ring.key_set("org").await.unwrap().kid(),
            keys[0].jwk.kid.as_str()
        );
    }
    store.close().await;
}

#[tokio::test]
async fn scheduled_rotation_has_one_winner() {
    let scratch = tollgate_store::testing::Scratch::sqlite().unwrap();
    scheduled_rotation(tollgate_store::Store::connect(&scratch.url).await.unwrap()).await;
    scratch.cleanup().await;
    if let Some(scratch) = tollgate_store::testing::Scratch::postgres().await.unwrap() {
        scheduled_rotation(tollgate_store::Store::connect(&scratch.url).await.unwrap()).await;
        scratch.cleanup().await;
    }
}
