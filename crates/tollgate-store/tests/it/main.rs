//! Store conformance: every case runs on SQLite (a temporary file) and on PostgreSQL (a scratch
//! database, when `TOLLGATE_TEST_DATABASE_URL` is set).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code fails loudly"
)]

use std::future::Future;

use tollgate_core::Timestamp;
use tollgate_core::secret::Secret;
use tollgate_store::Store;
use tollgate_store::testing::Scratch;

mod admin_roles;
mod apps;
mod assignments;
mod authz;
mod directory;
mod foundation;
mod group_rules;
mod keys;
mod logs;
mod migrations;
mod sign_in;
mod trusted_origins;

/// Runs `case` on a fresh store of each backend.
async fn on_both<F, Fut>(case: F)
where
    F: Fn(Store, Scratch) -> Fut,
    Fut: Future<Output = Scratch>,
{
    let scratch = Scratch::sqlite().unwrap();
    let store = Store::connect(&scratch.url).await.unwrap();
    let scratch = case(store, scratch).await;
    scratch.cleanup().await;
    if let Some(scratch) = Scratch::postgres().await.unwrap() {
        let store = Store::connect(&scratch.url).await.unwrap();
        let scratch = case(store, scratch).await;
        scratch.cleanup().await;
    }
}

/// A fixed point in time for cases that don't care which.
fn t0() -> Timestamp {
    Timestamp::from_millis(1_503_695_748_000)
}

/// A new random API token.
fn token() -> Secret {
    Secret::generate_api_token()
}
