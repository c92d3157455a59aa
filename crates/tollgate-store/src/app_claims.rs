//! The org authorization server's ID-token groups claim of each app.

use tollgate_core::app::id_token_claim::IdTokenGroupsClaim;
use tollgate_core::authz::claim::{ClaimValueType, GroupFilterType};
use tollgate_core::log::LogEvent;

use crate::{Error, Result, Store, in_tx, on_pool, write_events};

const SELECT: &str =
    "SELECT name, value_type, group_filter_type, value FROM app_id_token_claims WHERE app_id = $1";
const UPSERT: &str = "INSERT INTO app_id_token_claims (app_id, name, value_type, group_filter_type, value) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (app_id) DO UPDATE SET name = $2, value_type = $3, \
     group_filter_type = $4, value = $5";
const DELETE: &str = "DELETE FROM app_id_token_claims WHERE app_id = $1";

#[derive(sqlx::FromRow)]
struct Row {
    name: String,
    value_type: String,
    group_filter_type: Option<String>,
    value: String,
}

impl Store {
    /// The app's groups claim, if one is configured.
    pub async fn app_id_token_claim(&self, app_id: &str) -> Result<Option<IdTokenGroupsClaim>> {
        let row: Option<Row> = on_pool!(self, |pool| sqlx::query_as(SELECT)
            .bind(app_id)
            .fetch_optional(pool)
            .await)?;
        row.map(|r| {
            Ok(IdTokenGroupsClaim {
                name: r.name,
                value_type: ClaimValueType::parse(&r.value_type)
                    .ok_or_else(|| Error::Corrupt(format!("value type {:?}", r.value_type)))?,
                group_filter_type: r
                    .group_filter_type
                    .as_deref()
                    .and_then(GroupFilterType::parse),
                value: r.value,
            })
        })
        .transpose()
    }

    /// Sets (or, with `None`, removes) the app's groups claim.
    pub async fn set_app_id_token_claim(
        &self,
        app_id: &str,
        claim: Option<&IdTokenGroupsClaim>,
        events: &[LogEvent],
    ) -> Result<()> {
        in_tx!(self, |tx| {
            match claim {
                Some(c) => {
                    sqlx::query(UPSERT)
                        .bind(app_id)
                        .bind(&c.name)
                        .bind(c.value_type.as_str())
                        .bind(c.group_filter_type.map(GroupFilterType::as_str))
                        .bind(&c.value)
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    sqlx::query(DELETE).bind(app_id).execute(&mut *tx).await?;
                }
            }
            write_events!(tx, events);
        });
        Ok(())
    }
}
