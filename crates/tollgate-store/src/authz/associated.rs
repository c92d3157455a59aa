//! Associated (trusted) authorization servers of a server.

use tollgate_core::Timestamp;
use tollgate_core::log::LogEvent;
use tollgate_core::server::AuthServer;

use crate::authz::AuthServerQuery;
use crate::search::{Bind, Sql};
use crate::{Result, Store, in_tx, write_events, write_logged};

const INSERT: &str = "INSERT INTO authz_associated_servers (server_id, trusted_id, created) \
     VALUES ($1, $2, $3) ON CONFLICT (server_id, trusted_id) DO NOTHING";
const DELETE: &str =
    "DELETE FROM authz_associated_servers WHERE server_id = $1 AND trusted_id = $2";

impl Store {
    /// Makes `server_id` trust each of `trusted` (already trusted ones stay as they are).
    pub async fn add_associated_servers(
        &self,
        server_id: &str,
        trusted: &[String],
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<()> {
        in_tx!(self, |tx| {
            for id in trusted {
                sqlx::query(INSERT)
                    .bind(server_id)
                    .bind(id)
                    .bind(now.millis())
                    .execute(&mut *tx)
                    .await?;
            }
            write_events!(tx, events);
        });
        Ok(())
    }

    /// Ends the trust of `server_id` in `trusted_id`; returns whether it existed.
    pub async fn remove_associated_server(
        &self,
        server_id: &str,
        trusted_id: &str,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, DELETE; server_id, trusted_id);
        Ok(n > 0)
    }

    /// One page (as [`Store::list_auth_servers`]) of the servers `server_id` trusts, or with
    /// `trusted` false of the other servers it does not.
    pub async fn list_associated_servers(
        &self,
        server_id: &str,
        trusted: bool,
        q: &AuthServerQuery,
    ) -> Result<(Vec<AuthServer>, bool)> {
        let narrow = |sql: &mut Sql| {
            if !trusted {
                sql.push(" AND id <> ")
                    .bind(Bind::Text(server_id.to_owned()));
            }
            sql.push(if trusted {
                " AND id IN"
            } else {
                " AND id NOT IN"
            })
            .push(" (SELECT trusted_id FROM authz_associated_servers WHERE server_id = ")
            .bind(Bind::Text(server_id.to_owned()))
            .push(")");
        };
        self.list_servers_where(q, &narrow).await
    }
}
