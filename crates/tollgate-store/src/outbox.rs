//! The local outbox: messages kept when no SMTP server is configured.

use tollgate_core::Timestamp;

use crate::{Result, Store, in_tx, on_pool};

const INSERT: &str = "INSERT INTO outbox (id, created, kind, recipient, subject, body) VALUES ($1, $2, $3, $4, $5, $6)";
const NEWEST: &str = "SELECT id, created, kind, recipient, subject, body FROM outbox \
     ORDER BY created DESC, id DESC LIMIT $1";
const PURGE: &str = "DELETE FROM outbox WHERE created < $1";

/// A kept message.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxMessage {
    /// Random id.
    pub id: String,
    /// When it was kept (milliseconds since the epoch).
    pub created: i64,
    /// What it is for (`activation`, `password_reset`, `recovery`).
    pub kind: String,
    /// The recipient's address.
    pub recipient: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

impl Store {
    /// Keeps a message in the outbox.
    pub async fn put_outbox(&self, m: &OutboxMessage) -> Result<()> {
        in_tx!(self, |tx| {
            sqlx::query(INSERT)
                .bind(&m.id)
                .bind(m.created)
                .bind(&m.kind)
                .bind(&m.recipient)
                .bind(&m.subject)
                .bind(&m.body)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The newest `limit` messages, newest first.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<OutboxMessage>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(NEWEST)
            .bind(limit)
            .fetch_all(pool)
            .await)?)
    }

    /// Deletes messages kept before `cutoff` (their links have expired by then).
    pub async fn purge_outbox(&self, cutoff: Timestamp) -> Result<u64> {
        Ok(in_tx!(self, |tx| {
            sqlx::query(PURGE)
                .bind(cutoff.millis())
                .execute(&mut *tx)
                .await?
                .rows_affected()
        }))
    }
}
