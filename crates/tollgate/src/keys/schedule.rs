//! Scheduled rotation: the org server, and every custom server whose rotation mode is `AUTO`,
//! rotates once its keys are older than [`AUTO_ROTATION_SECS`]. Every process sharing the
//! database runs the check; the store's conditional rotation lets exactly one of them rotate.

use std::time::Duration;

use tollgate_core::Timestamp;
use tollgate_core::log::{Entity, LogEvent};
use tollgate_core::server::RotationMode;
use tollgate_core::token::keys::{AUTO_ROTATION_SECS, ORG_KEY_SET};
use tollgate_store::Store;

use crate::keys::{Keyring, KeyringError};

/// How often the schedule is checked.
const CHECK_EVERY: Duration = Duration::from_secs(3600);

/// The actor of scheduled rotations.
fn system() -> Entity {
    Entity::new("system", "SystemPrincipal", "system", "Tollgate")
}

/// Rotates every key set that is due at `now`; returns how many this process rotated.
pub async fn rotate_due(
    keyring: &Keyring,
    store: &Store,
    now: Timestamp,
) -> Result<usize, KeyringError> {
    let mut rotated = 0;
    for due in store
        .keys_due_for_rotation(now.plus_seconds(-AUTO_ROTATION_SECS))
        .await?
    {
        let (event_type, target) = if due.server_id == ORG_KEY_SET {
            let org = store.org().await?;
            ("app.oauth2.key.rollover", Entity::org(&org))
        } else {
            match store.find_auth_server(&due.server_id).await? {
                Some(s) if s.rotation_mode == RotationMode::Auto => (
                    "app.oauth2.as.key.rollover",
                    Entity::new(s.id.as_str(), "AuthorizationServer", s.name.clone(), s.name),
                ),
                _ => continue,
            }
        };
        let event = LogEvent::new(event_type, "Scheduled signing key rotation", system(), now)
            .target(target);
        if keyring
            .rotate_if_active(&due.server_id, &due.active_kid, &[event])
            .await?
        {
            tracing::info!(authz_server.id = %due.server_id, "rotated signing keys on schedule");
            rotated += 1;
        }
    }
    Ok(rotated)
}

/// Checks the schedule at start and then hourly, until the task is aborted.
pub async fn run(keyring: Keyring, store: Store, clock: tollgate_core::Clock) {
    let mut tick = tokio::time::interval(CHECK_EVERY);
    loop {
        tick.tick().await;
        if let Err(e) = rotate_due(&keyring, &store, clock.now()).await {
            tracing::warn!(error = %e, "scheduled signing key rotation failed");
        }
    }
}
