//! The System Log: events written in the same transaction as the change they record, keyword
//! and filter queries, keyset paging, and retention.

use tollgate_core::Timestamp;
use tollgate_core::log::LogEvent;
use tollgate_core::scim::{Filter, Op};

use crate::search::{Bind, Column, Sql, push_filter};
use crate::{Error, Result, Store, bound_query_as, in_tx, on_pool};

pub(crate) const INSERT_EVENT: &str = "INSERT INTO log_events \
     (uuid, published, event_type, severity, actor_id, outcome_result, client_ip, target_ids, body, search_text) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// Events per multi-row `INSERT` of a batch: ten binds each, far below either backend's limit
/// on binds per statement.
const ROWS_PER_INSERT: usize = 100;

/// `INSERT INTO log_events (…) VALUES ($1, …, $10), ($11, …), …` for `rows` events.
fn insert_events_sql(rows: usize) -> String {
    let head = INSERT_EVENT
        .split_once(" VALUES ")
        .map_or(INSERT_EVENT, |(head, _)| head);
    let mut sql = String::with_capacity(head.len() + rows * 48);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for col in 1..=10 {
            if col > 1 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * 10 + col).to_string());
        }
        sql.push(')');
    }
    sql
}

/// The columns of one event row, ready to bind.
pub(crate) struct EventRow {
    pub uuid: String,
    pub published: i64,
    pub event_type: String,
    pub severity: &'static str,
    pub actor_id: String,
    pub outcome: &'static str,
    pub client_ip: Option<String>,
    pub target_ids: String,
    pub body: String,
    pub search_text: String,
}

impl EventRow {
    pub(crate) fn from_event(e: &LogEvent) -> Self {
        let ids: Vec<&str> = e.targets.iter().map(|t| t.id.as_str()).collect();
        let (body, search_text) = e.json_and_search_text();
        Self {
            uuid: e.uuid.clone(),
            published: e.published.millis(),
            event_type: e.event_type.clone(),
            severity: e.severity.as_str(),
            actor_id: e.actor.id.clone(),
            outcome: e.outcome.as_str(),
            client_ip: e.client.ip.clone(),
            target_ids: format!(" {} ", ids.join(" ")),
            body: body.to_string(),
            search_text,
        }
    }
}

/// Writes `$events` with the executor `$exec` (a transaction, so they commit or roll back with
/// the change they record).
#[macro_export]
#[doc(hidden)]
macro_rules! write_events {
    ($exec:expr, $events:expr) => {
        for e in $events {
            let r = $crate::logs::EventRow::from_event(e);
            sqlx::query($crate::logs::INSERT_EVENT)
                .bind(r.uuid)
                .bind(r.published)
                .bind(r.event_type)
                .bind(r.severity)
                .bind(r.actor_id)
                .bind(r.outcome)
                .bind(r.client_ip)
                .bind(r.target_ids)
                .bind(r.body)
                .bind(r.search_text)
                .execute(&mut *$exec)
                .await?;
        }
    };
}

/// Runs one write statement, bound to `$bind`s, in its own transaction and, when it changed a row,
/// writes `$events` in the same transaction. Evaluates to the number of rows changed. With
/// `on_error: f`, a failed statement's `sqlx::Error` goes through `f` (a unique key taken becomes
/// a `Conflict` naming it).
#[macro_export]
#[doc(hidden)]
macro_rules! write_logged {
    ($store:expr, $events:expr, $sql:expr $(, on_error: $on_error:expr)?; $($bind:expr),* $(,)?) => {
        $crate::in_tx!($store, |tx| {
            let n = sqlx::query($sql)
                $(.bind($bind))*
                .execute(&mut *tx)
                .await
                $(.map_err($on_error))?
                ?
                .rows_affected();
            if n > 0 {
                $crate::write_events!(tx, $events);
            }
            n
        })
    };
}

/// Direction of a log query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Oldest first (Okta's default).
    #[default]
    Ascending,
    /// Newest first.
    Descending,
}

/// A log query, already validated.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    /// Lower bound (inclusive).
    pub since: Option<Timestamp>,
    /// Upper bound (exclusive).
    pub until: Option<Timestamp>,
    /// A SCIM filter.
    pub filter: Option<Filter>,
    /// Keywords that must all appear (already lower-cased).
    pub keywords: Vec<String>,
    /// Order.
    pub sort: SortOrder,
    /// Page size.
    pub limit: usize,
    /// Continue after this cursor (from a previous page).
    pub after: Option<String>,
}

/// One page of events (Okta JSON) and the cursor of its last event.
#[derive(Debug, Clone)]
pub struct LogPage {
    /// The events, as stored JSON text.
    pub events: Vec<String>,
    /// The cursor of the first event of this page, if the page is not empty.
    pub first_cursor: Option<String>,
    /// The cursor after the last event of this page, if the page is not empty.
    pub last_cursor: Option<String>,
    /// Whether more events matched than fit on the page.
    pub more: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    published: i64,
    body: String,
}

fn resolve(attr: &str) -> Option<Column> {
    Some(match attr {
        "eventType" => Column::Exact("event_type"),
        "severity" => Column::Exact("severity"),
        "actor.id" => Column::Exact("actor_id"),
        "outcome.result" => Column::Exact("outcome_result"),
        "client.ipAddress" => Column::Exact("client_ip"),
        "target.id" => Column::Tokens("target_ids"),
        "uuid" => Column::Exact("uuid"),
        other => {
            let allowed = [
                "displayMessage",
                "actor.",
                "client.",
                "outcome.",
                "target.",
                "transaction.",
                "debugContext.debugData.",
            ];
            if !allowed.iter().any(|p| other == *p || other.starts_with(p)) {
                return None;
            }
            Column::Json {
                column: "body",
                path: other.to_owned(),
            }
        }
    })
}

/// Parses a cursor `published:seq`.
fn parse_cursor(c: &str) -> Option<(i64, i64)> {
    let (p, s) = c.split_once(':')?;
    Some((p.parse().ok()?, s.parse().ok()?))
}

impl Store {
    /// Appends events on their own (OAuth traffic, sign-ins), in one transaction.
    pub async fn append_events(&self, events: &[LogEvent]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let rows: Vec<EventRow> = events.iter().map(EventRow::from_event).collect();
        in_tx!(self, |tx| {
            for chunk in rows.chunks(ROWS_PER_INSERT) {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(insert_events_sql(chunk.len())));
                for r in chunk {
                    q = q
                        .bind(&r.uuid)
                        .bind(r.published)
                        .bind(&r.event_type)
                        .bind(r.severity)
                        .bind(&r.actor_id)
                        .bind(r.outcome)
                        .bind(&r.client_ip)
                        .bind(&r.target_ids)
                        .bind(&r.body)
                        .bind(&r.search_text);
                }
                q.execute(&mut *tx).await?;
            }
        });
        Ok(())
    }

    /// Runs a log query.
    pub async fn query_logs(&self, q: &LogQuery) -> Result<LogPage> {
        let mut sql = Sql::new("SELECT seq, published, body FROM log_events WHERE 1 = 1");
        if let Some(since) = q.since {
            sql.push(" AND published >= ")
                .bind(Bind::Int(since.millis()));
        }
        if let Some(until) = q.until {
            sql.push(" AND published < ")
                .bind(Bind::Int(until.millis()));
        }
        if let Some(filter) = &q.filter {
            sql.push(" AND ");
            let ops = [
                Op::Eq,
                Op::Ne,
                Op::Gt,
                Op::Ge,
                Op::Lt,
                Op::Le,
                Op::Sw,
                Op::Co,
                Op::Ew,
            ];
            push_filter(&mut sql, filter, self.dialect(), &resolve, &ops)?;
        }
        for kw in &q.keywords {
            let escaped = kw
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            sql.push(" AND search_text LIKE ")
                .bind(Bind::Text(format!("% {escaped} %")))
                .push(" ESCAPE '\\'");
        }
        let (cmp, order) = match q.sort {
            SortOrder::Ascending => (">", " ORDER BY published, seq"),
            SortOrder::Descending => ("<", " ORDER BY published DESC, seq DESC"),
        };
        if let Some(after) = &q.after {
            let (p, s) =
                parse_cursor(after).ok_or_else(|| Error::BadFilter("invalid cursor".to_owned()))?;
            sql.push(&format!(" AND (published, seq) {cmp} ("))
                .bind(Bind::Int(p))
                .push(", ")
                .bind(Bind::Int(s))
                .push(")");
        }
        sql.push(order).push(" LIMIT ").bind(Bind::Int(
            i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1),
        ));
        let rows: Vec<Row> =
            on_pool!(self, |pool| bound_query_as!(Row, sql).fetch_all(pool).await)?;
        let more = rows.len() > q.limit;
        let page: Vec<Row> = rows.into_iter().take(q.limit).collect();
        let cursor = |r: &Row| format!("{}:{}", r.published, r.seq);
        let first_cursor = page.first().map(cursor);
        let last_cursor = page.last().map(cursor);
        Ok(LogPage {
            events: page.into_iter().map(|r| r.body).collect(),
            first_cursor,
            last_cursor,
            more,
        })
    }

    /// Deletes events published before `cutoff`; safe to run from any number of processes.
    pub async fn purge_logs(&self, cutoff: Timestamp) -> Result<u64> {
        Ok(on_pool!(self, |pool| sqlx::query(
            "DELETE FROM log_events WHERE published < $1"
        )
        .bind(cutoff.millis())
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?)
    }
}
