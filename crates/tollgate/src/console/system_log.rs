//! Reports > System Log: `GET /admin/system-log` (filter, keywords, time range, newest first,
//! paged by the API's cursor) and its live tail, `GET /admin/system-log/tail?after=<cursor>`.
//! Both query as `GET /api/v1/logs` does ([`log_query`]), so the filter language, its messages
//! and the cursor are the API's own.
//!
//! The live tail works without script: the page's **Show newer events** link carries the cursor
//! of the newest event shown, and the page it opens lists only the events after it (with the
//! link again, carrying the new cursor). The tail endpoint answers the same rows as an HTML
//! fragment, a `<tbody>` whose `data-cursor` is the cursor to ask with next: with script, the
//! link's `data-tail` is that endpoint's address, and `console.js` offers a **Live tail** switch
//! that polls it and puts the new rows on top of the table (see `console::script`).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tollgate_core::Timestamp;
use tollgate_store::LogPage;

use crate::api::logs::{LogParams, log_query};
use crate::console::fields::{Field, Problems, input};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{error_page, html, page};
use crate::console::log_rows::{event_rows, results_table};
use crate::http::{ApiError, OktaCode};
use crate::pages::escape;
use crate::state::AppState;

const PAGE_SIZE: &str = "20";
const TAIL_SIZE: &str = "100";
const DAY_SECS: i64 = 24 * 3600;

/// The form's fields and the paging cursors.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct LogForm {
    filter: Option<String>,
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// The cursor of the page before (older events follow it).
    after: Option<String>,
    /// The cursor of the newest event seen (newer events follow it).
    newer: Option<String>,
}

/// A `datetime-local` value (UTC) as RFC 3339; other text is passed on for the API to judge.
fn rfc3339(local: Option<&str>) -> Option<String> {
    let t = local.map(str::trim).filter(|t| !t.is_empty())?;
    Some(match t.len() {
        16 => format!("{t}:00Z"),
        19 => format!("{t}Z"),
        _ => t.to_owned(),
    })
}

/// An instant as a `datetime-local` value (UTC, to the minute).
fn local(t: Timestamp) -> String {
    t.to_string().chars().take(16).collect()
}

/// The API parameters of the form: newest first from `from` to `to`, or, after the cursor
/// `newer`, the events that came since (oldest first, as polling reads them).
fn params(f: &LogForm, from: &str) -> LogParams {
    let tail = f.newer.is_some();
    LogParams {
        since: if tail { None } else { rfc3339(Some(from)) },
        until: if tail { None } else { rfc3339(f.to.as_deref()) },
        after: if tail {
            f.newer.clone()
        } else {
            f.after.clone()
        },
        filter: f.filter.clone(),
        q: f.q.clone(),
        sort_order: Some(if tail { "ASCENDING" } else { "DESCENDING" }.to_owned()),
        limit: Some(if tail { TAIL_SIZE } else { PAGE_SIZE }.to_owned()),
    }
}

/// The field an API refusal is about, and its message.
fn problem(e: &ApiError) -> Option<Problems> {
    let message = if e.causes.is_empty() {
        e.summary.clone()
    } else {
        e.causes.join(" ")
    };
    let field = match e.code {
        OktaCode::E0000053 | OktaCode::E0000031 => "filter",
        OktaCode::E0000001 if message.starts_with("'since'") => "from",
        OktaCode::E0000001 if message.starts_with("'until'") => "to",
        OktaCode::E0000001 if message.starts_with("q:") => "q",
        _ => return None,
    };
    let message = match e.code {
        OktaCode::E0000031 => format!("{message} This filter cannot be used in the System Log."),
        _ => message,
    };
    Some(Problems::about(field, &message))
}

/// A link to the log with the form's filter, keywords and range and one more pair.
fn link(f: &LogForm, from: &str, (key, value): (&str, &str)) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("filter", f.filter.as_deref()),
        ("q", f.q.as_deref()),
        ("from", Some(from)),
        ("to", f.to.as_deref()),
    ] {
        s.append_pair(k, v.unwrap_or_default());
    }
    s.append_pair(key, value);
    format!("/admin/system-log?{}", escape(&s.finish()))
}

/// The tail endpoint's address for the events after `cursor` under `f`'s filter and keywords
/// (what `console.js` polls for its live tail).
fn tail_link(f: &LogForm, cursor: &str) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("after", cursor);
    for (k, v) in [("filter", f.filter.as_deref()), ("q", f.q.as_deref())] {
        s.append_pair(k, v.unwrap_or_default());
    }
    format!("/admin/system-log/tail?{}", escape(&s.finish()))
}

/// The search form, holding the form's values and `problems`' messages next to their fields.
fn form_html(f: &LogForm, from: &str, problems: Option<&Problems>) -> String {
    let (filter, q, to) = (
        f.filter.clone().unwrap_or_default(),
        f.q.clone().unwrap_or_default(),
        f.to.clone().unwrap_or_default(),
    );
    let field = |name, label, value, kind| Field {
        name,
        label,
        value,
        kind,
        required: false,
    };
    let inputs: String = [
        field("filter", "Filter", &filter, "text"),
        field("q", "Search", &q, "search"),
        field("from", "From", from, "datetime-local"),
        field("to", "To", &to, "datetime-local"),
    ]
    .iter()
    .map(|fd| input(fd, problems, ""))
    .collect();
    format!(
        "<form method=\"get\" action=\"/admin/system-log\" role=\"search\">{inputs}\
         <p class=\"muted\">Filter with Okta's expression language, for example \
         <code>eventType eq \"user.session.start\"</code>. Times are UTC; without To, up to now.</p>\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Search</button></div></form>"
    )
}

/// The page's results: the table, the Next page link and the Show newer events link.
fn results(f: &LogForm, from: &str, result: &LogPage) -> String {
    let tail = f.newer.is_some();
    let rows = if tail {
        event_rows(result.events.iter().rev())
    } else {
        event_rows(result.events.iter())
    };
    let none = if tail {
        "No newer events."
    } else {
        "No events found."
    };
    let newest = if tail {
        result.last_cursor.clone().or_else(|| f.newer.clone())
    } else {
        result.first_cursor.clone()
    };
    // Newer events can only come when the range is open-ended and this is its newest page.
    let live = f.to.as_deref().unwrap_or_default().is_empty() && f.after.is_none();
    let newer = match newest.filter(|_| live) {
        Some(c) => format!(
            "<p><a data-tail=\"{}\" href=\"{}\">Show newer events</a></p>",
            tail_link(f, &c),
            link(f, from, ("newer", &c))
        ),
        None => String::new(),
    };
    let next = match result
        .last_cursor
        .as_deref()
        .filter(|_| result.more && !tail)
    {
        Some(c) => format!(
            "<p><a href=\"{}\">Next page</a></p>",
            link(f, from, ("after", c))
        ),
        None => String::new(),
    };
    format!("{newer}{}{next}", results_table(&rows, none))
}

/// `GET /admin/system-log`.
pub async fn show(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(f): Query<LogForm>,
) -> Result<Response, Response> {
    admin.require(&state, ConsoleAction::ListLogs, None).await?;
    let default_from = local(state.clock().now().plus_seconds(-DAY_SECS));
    let from = f.from.clone().unwrap_or(default_from);
    state.events().flush().await;
    let body = match query(&state, &params(&f, &from)).await {
        Ok(result) => results(&f, &from, &result),
        Err(e) => match problem(&e) {
            Some(p) => return show_refused(&state, &admin, &f, &from, &p).await,
            None => return Err(error_page(e)),
        },
    };
    let heading = if f.newer.is_some() {
        "<h1>System Log</h1><h2>Newer events</h2>"
    } else {
        "<h1>System Log</h1>"
    };
    let main = format!("{heading}{}{body}", form_html(&f, &from, None));
    page(&state, &admin, StatusCode::OK, "System Log", &main).await
}

/// The page with the form again and the API's message next to the field it is about.
async fn show_refused(
    state: &AppState,
    admin: &ConsoleAdmin,
    f: &LogForm,
    from: &str,
    p: &Problems,
) -> Result<Response, Response> {
    let main = format!("<h1>System Log</h1>{}", form_html(f, from, Some(p)));
    page(state, admin, StatusCode::BAD_REQUEST, "System Log", &main).await
}

async fn query(state: &AppState, p: &LogParams) -> Result<LogPage, ApiError> {
    let q = log_query(state, p)?;
    Ok(state.store().query_logs(&q).await?)
}

/// The query of the tail endpoint: the cursor and the log's filter and keywords.
#[derive(Debug, Default, Deserialize)]
pub struct TailQuery {
    after: String,
    filter: Option<String>,
    q: Option<String>,
}

/// `GET /admin/system-log/tail?after=<cursor>`: the events after the cursor, newest first, as
/// a `<tbody>` fragment whose `data-cursor` is the cursor to ask with next.
pub async fn tail(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(t): Query<TailQuery>,
) -> Result<Response, Response> {
    admin.require(&state, ConsoleAction::ListLogs, None).await?;
    let f = LogForm {
        filter: t.filter,
        q: t.q,
        newer: Some(t.after.clone()),
        ..LogForm::default()
    };
    state.events().flush().await;
    // A bad filter or cursor is the API's error, in Okta's JSON: the caller is a script.
    let result = query(&state, &params(&f, ""))
        .await
        .map_err(IntoResponse::into_response)?;
    let cursor = result.last_cursor.clone().unwrap_or(t.after);
    let fragment = format!(
        "<tbody data-cursor=\"{}\">{}</tbody>",
        escape(&cursor),
        event_rows(result.events.iter().rev())
    );
    Ok(html(StatusCode::OK, fragment))
}
