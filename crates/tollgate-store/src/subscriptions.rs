//! A user's notification subscriptions: only the choices made are stored.

use crate::{Result, Store, in_tx, on_pool};

const LIST: &str =
    "SELECT notification_type, subscribed FROM user_subscriptions WHERE user_id = $1";
const SET: &str = "INSERT INTO user_subscriptions (user_id, notification_type, subscribed) \
     SELECT id, $2, $3 FROM users WHERE id = $1 \
     ON CONFLICT (user_id, notification_type) DO UPDATE SET subscribed = $3";

impl Store {
    /// The subscription choices of user `user_id`: `(notification type, subscribed)`.
    pub async fn user_subscriptions(&self, user_id: &str) -> Result<Vec<(String, bool)>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(LIST)
            .bind(user_id)
            .fetch_all(pool)
            .await)?)
    }

    /// Records that user `user_id` is (or is not) subscribed to `notification_type`; returns
    /// whether the user still exists.
    pub async fn set_user_subscription(
        &self,
        user_id: &str,
        notification_type: &str,
        subscribed: bool,
    ) -> Result<bool> {
        let n = in_tx!(self, |tx| sqlx::query(SET)
            .bind(user_id)
            .bind(notification_type)
            .bind(subscribed)
            .execute(&mut *tx)
            .await?
            .rows_affected());
        Ok(n > 0)
    }
}
