//! An OAuth client's secrets, written only over the list they were read as, so two rotations
//! at once cannot drop each other's secret.

use tollgate_core::Timestamp;
use tollgate_core::app::client_secrets::ClientSecrets;
use tollgate_core::log::LogEvent;

use crate::{Error, Result, Store, write_logged};

const SET_SECRETS: &str = "UPDATE apps SET client_secrets = $2, last_updated = $3 \
     WHERE id = $1 AND client_secrets IS NOT DISTINCT FROM $4";

impl Store {
    /// Replaces app `id`'s secrets with `after`, only if they are still `before` (as read).
    /// `Stale` when another write changed them in between, `NotFound` when the app is gone.
    pub async fn set_client_secrets(
        &self,
        id: &str,
        before: &ClientSecrets,
        after: &ClientSecrets,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<()> {
        let n = write_logged!(self, events, SET_SECRETS; id, after.to_stored(), now.millis(), before.to_stored());
        if n > 0 {
            return Ok(());
        }
        match self.find_app(id).await? {
            Some(_) => Err(Error::Stale),
            None => Err(Error::NotFound),
        }
    }
}
