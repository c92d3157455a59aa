//! App logos: one image per app, replaced by each upload and deleted with the app.

use tollgate_core::Timestamp;
use tollgate_core::app::logo::LogoRef;
use tollgate_core::log::LogEvent;

use crate::{Result, Store, on_pool, write_logged};

/// Inserts or replaces the logo of an app that exists (none is written for a missing app).
const UPSERT_LOGO: &str = "INSERT INTO app_logos (app_id, digest, format, image, updated) \
     SELECT id, $2, $3, $4, $5 FROM apps WHERE id = $1 \
     ON CONFLICT (app_id) DO UPDATE SET digest = excluded.digest, format = excluded.format, \
     image = excluded.image, updated = excluded.updated";
const SELECT_LOGO: &str =
    "SELECT image FROM app_logos WHERE app_id = $1 AND digest = $2 AND format = $3";

impl Store {
    /// Saves `image` as the logo of app `app_id`, replacing any earlier one, with `events`.
    /// Returns false (and writes nothing) when the app does not exist.
    pub async fn set_app_logo(
        &self,
        app_id: &str,
        logo: &LogoRef,
        image: &[u8],
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, UPSERT_LOGO; app_id, &logo.digest, logo.format.extension(), image, now.millis());
        Ok(n > 0)
    }

    /// The image of app `app_id`'s logo named `logo`, if that is still its logo.
    pub async fn app_logo_image(&self, app_id: &str, logo: &LogoRef) -> Result<Option<Vec<u8>>> {
        let row: Option<(Vec<u8>,)> = on_pool!(self, |pool| sqlx::query_as(SELECT_LOGO)
            .bind(app_id)
            .bind(&logo.digest)
            .bind(logo.format.extension())
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(image,)| image))
    }
}
