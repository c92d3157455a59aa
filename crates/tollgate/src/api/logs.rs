//! `GET /api/v1/logs`: the System Log, queried the way Okta's is (`since`, `until`, `filter`,
//! `q`, `sortOrder`, `limit`, cursor paging, and polling).
//!
//! Okta reference: System Log API; Tollgate reference `management-api.md` section 8.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, Uri};
use serde::Deserialize;
use tollgate_core::Timestamp;
use tollgate_store::{LogQuery, SortOrder};

use crate::http::auth::Admin;
use crate::http::pagination::{PageRequest, link_headers};
use crate::http::query::OktaQuery;
use crate::http::{ApiError, ApiResult, OktaCode};
use crate::state::AppState;

const WEEK_SECS: i64 = 7 * 24 * 3600;

/// Query parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogParams {
    /// Lower bound, RFC 3339.
    pub since: Option<String>,
    /// Upper bound, RFC 3339.
    pub until: Option<String>,
    /// The cursor of a previous page.
    pub after: Option<String>,
    /// Okta's filter expression.
    pub filter: Option<String>,
    /// Keywords.
    pub q: Option<String>,
    /// `ASCENDING` (the default) or `DESCENDING`.
    pub sort_order: Option<String>,
    /// Page size.
    pub limit: Option<String>,
}

fn parse_date(field: &str, raw: Option<&str>) -> ApiResult<Option<Timestamp>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => Timestamp::parse(text).map(Some).ok_or_else(|| {
            ApiError::invalid(
                &format!("'{field}'"),
                "The date format in your query is not recognized. Please enter dates using ISO8601 string format.",
            )
        }),
    }
}

fn keywords(q: Option<&str>) -> ApiResult<Vec<String>> {
    let words: Vec<String> = q
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    if words.len() > 10 {
        return Err(ApiError::invalid("q", "at most 10 keywords"));
    }
    if words.iter().any(|w| w.chars().count() > 40) {
        return Err(ApiError::invalid(
            "q",
            "a keyword may have at most 40 characters",
        ));
    }
    Ok(words)
}

/// The store query `p` asks for, validated as Okta validates it (dates, sort order, filter,
/// keywords); without `since`, the week before `until` (or now).
pub fn log_query(state: &AppState, p: &LogParams) -> ApiResult<LogQuery> {
    let now = state.clock().now();
    let until = parse_date("until", p.until.as_deref())?;
    // A `since` older than what is kept reads from the oldest retained moment: clients such
    // as Okta's SDK tests ask for everything since a fixed date years ago.
    let oldest = now.plus_seconds(-i64::from(state.log_retention_days()) * 24 * 3600);
    let since = parse_date("since", p.since.as_deref())?.map(|s| s.max(oldest));
    let sort = match p
        .sort_order
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("ASCENDING") => SortOrder::Ascending,
        Some("DESCENDING") => SortOrder::Descending,
        Some(_) => {
            return Err(ApiError::invalid(
                "sortOrder",
                "must be ASCENDING or DESCENDING",
            ));
        }
    };
    let filter = match p.filter.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(text) => Some(tollgate_core::scim::parse(text).map_err(|e| {
            ApiError::with_summary(OktaCode::E0000053, format!("Invalid filter '{text}': {e}"))
        })?),
        None => None,
    };
    let page = PageRequest::new(p.limit.as_deref(), p.after.as_deref(), 100, 1000);
    let since = since.or_else(|| Some(until.unwrap_or(now).plus_seconds(-WEEK_SECS)));
    Ok(LogQuery {
        since: if page.after.is_some() && p.since.is_none() {
            None
        } else {
            since
        },
        until,
        filter,
        keywords: keywords(p.q.as_deref())?,
        sort,
        limit: page.limit,
        after: page.after,
    })
}

/// `GET /api/v1/logs`.
pub async fn list_logs(
    State(state): State<AppState>,
    _admin: Admin,
    uri: Uri,
    OktaQuery(p): OktaQuery<LogParams>,
) -> ApiResult<(HeaderMap, String)> {
    // This process's buffered OAuth events first, so a caller reads what it just caused.
    state.events().flush().await;
    let query = log_query(&state, &p)?;
    let result = state.store().query_logs(&query).await?;
    // A polling query (no `until`, oldest first) always offers a next link, even after an empty
    // page, so a client can keep asking for new events; a bounded one ends when it is exhausted.
    let polling = query.until.is_none() && query.sort == SortOrder::Ascending;
    let next = match (&result.last_cursor, polling, result.more) {
        (Some(c), true, _) | (Some(c), false, true) => Some(c.clone()),
        (None, true, _) => query
            .after
            .clone()
            .or_else(|| query.since.map(|s| format!("{}:0", s.millis() - 1))),
        _ => None,
    };
    let mut headers = link_headers(state.public_url(), &uri, next.as_deref());
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok((headers, format!("[{}]", result.events.join(","))))
}
