//! Reports > System Log: the filter, keywords and time range narrow the events as the API's
//! query does, a bad filter is answered next to its field, pages follow the API's cursor, and
//! the live tail shows only what came after the newest event seen.

use serde_json::json;

use super::access::with_admin;
use super::{Browser, assert_console_headers};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json};

backend_tests!(
    filter_keywords_and_time_range_narrow_the_events,
    a_bad_filter_or_date_is_answered_next_to_its_field,
    pages_follow_the_cursor_and_the_tail_shows_only_newer_events,
);

const GROUP_CREATES: &str = "eventType eq \"group.lifecycle.create\"";

/// The console's System Log at `query` (already encoded).
async fn log_page(browser: &Browser, query: &str) -> (u16, String) {
    let resp = browser.get(&format!("/admin/system-log?{query}")).await;
    assert_console_headers(&resp);
    (resp.status().as_u16(), resp.text().await.unwrap())
}

fn encoded(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// How many events a page lists.
fn rows(html: &str) -> usize {
    html.matches("<tr><td data-label=\"Time\"><time").count()
}

/// The target of the link named `words`, unescaped.
fn href(html: &str, words: &str) -> Option<String> {
    let end = html.find(&format!("\">{words}</a>"))?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(html[start..end].replace("&amp;", "&"))
}

async fn filter_keywords_and_time_range_narrow_the_events(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let (status, all) = log_page(&browser, "").await;
    assert_eq!(status, 200);
    assert!(all.contains("<a href=\"/admin/system-log\">System Log</a>"));
    for words in ["Time", "Actor", "Event Info", "Targets"] {
        assert!(
            all.contains(&format!("<th scope=\"col\">{words}</th>")),
            "{words}"
        );
    }
    assert!(all.contains("<code>user.session.start</code>"), "{all}");
    assert!(all.contains("<code>group.lifecycle.create</code>"));
    // The default range is the last 24 hours, shown in the From field.
    assert!(all.contains("type=\"datetime-local\" id=\"f-from\" name=\"from\" value=\"20"));

    let filter = encoded(&[("filter", "eventType eq \"user.session.start\"")]);
    let (_, sessions) = log_page(&browser, &filter).await;
    assert!(sessions.contains("<code>user.session.start</code>"));
    assert!(!sessions.contains("<code>group.lifecycle.create</code>"));
    // Each event expands to its JSON.
    assert!(
        sessions.contains("<pre>{\n  &quot;")
            && sessions.contains("&quot;eventType&quot;: &quot;user.session.start&quot;"),
        "{sessions}"
    );
    assert!(sessions.contains("&quot;alternateId&quot;: &quot;ada@acme.com&quot;"));

    let (_, west) = log_page(&browser, &encoded(&[("q", "WestCoastDivision")])).await;
    assert!(west.contains("WestCoastDivision") && rows(&west) >= 1);
    assert!(!west.contains("<code>user.session.start</code>"));

    let long_ago = encoded(&[("from", "2000-01-01T00:00"), ("to", "2000-01-02T00:00")]);
    let (status, none) = log_page(&browser, &long_ago).await;
    assert_eq!(status, 200);
    assert!(none.contains("No events found.") && rows(&none) == 0);
    // A bounded range has no live tail.
    assert!(href(&none, "Show newer events").is_none());
    app.finish().await;
}

async fn a_bad_filter_or_date_is_answered_next_to_its_field(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let (status, html) = log_page(&browser, &encoded(&[("filter", "eventType eq")])).await;
    assert_eq!(status, 400);
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"f-filter-error\""),
        "{html}"
    );
    assert!(html.contains(
        "<p class=\"error\" id=\"f-filter-error\">Invalid filter &#39;eventType eq&#39;"
    ));
    assert!(html.contains("value=\"eventType eq\""));
    let api = json(app.get("/api/v1/logs?filter=eventType%20eq"), 400).await;
    let summary = api["errorSummary"].as_str().unwrap();
    let escaped = summary
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    assert!(html.contains(&escaped), "{summary}");

    let (status, html) = log_page(&browser, &encoded(&[("filter", "nothing eq \"x\"")])).await;
    assert_eq!(status, 400);
    assert!(html.contains("id=\"f-filter-error\""), "{html}");

    let (status, html) = log_page(&browser, &encoded(&[("from", "yesterday")])).await;
    assert_eq!(status, 400);
    assert!(html.contains("aria-describedby=\"f-from-error\""), "{html}");
    assert!(html.contains("The date format in your query is not recognized."));
    app.finish().await;
}

async fn pages_follow_the_cursor_and_the_tail_shows_only_newer_events(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    for i in 0..22 {
        let body = json!({"profile": {"name": format!("Team {i:02}")}});
        json(app.post("/api/v1/groups", &body), 200).await;
    }
    let filter = encoded(&[("filter", GROUP_CREATES)]);
    let api = json(app.get(&format!("/api/v1/logs?{filter}&limit=1000")), 200).await;
    let total = api.as_array().unwrap().len();
    assert!(total > 20, "{total}");
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let (_, first) = log_page(&browser, &filter).await;
    assert_eq!(rows(&first), 20);
    // Newest first.
    let (t21, t00) = (first.find("Team 21"), first.find("Team 00"));
    assert!(t21.is_some() && t00.is_none(), "{first}");
    let next = href(&first, "Next page").expect("a next page");
    let second = browser.get(&next).await.text().await.unwrap();
    assert_eq!(rows(&second), total - 20);
    assert!(second.contains("Team 00") && !second.contains("Team 21"));
    assert!(href(&second, "Next page").is_none());

    let newer = href(&first, "Show newer events").expect("a tail link");
    let nothing = browser.get(&newer).await.text().await.unwrap();
    assert!(nothing.contains("No newer events."), "{nothing}");
    json(
        app.post(
            "/api/v1/groups",
            &json!({"profile": {"name": "Latecomers"}}),
        ),
        200,
    )
    .await;
    json(
        app.post(
            "/api/v1/groups",
            &json!({"profile": {"name": "Stragglers"}}),
        ),
        200,
    )
    .await;
    let news = browser.get(&newer).await.text().await.unwrap();
    assert_eq!(rows(&news), 2, "{news}");
    let (late, strag) = (news.find("Latecomers"), news.find("Stragglers"));
    assert!(strag.is_some() && strag < late, "newest first");
    assert!(!news.contains("Team 21"));

    let cursor = newer.split("newer=").nth(1).unwrap().replace("%3A", ":");
    let tail_path = format!("/admin/system-log/tail?after={cursor}&{filter}");
    let tail = browser.get(&tail_path).await;
    assert_console_headers(&tail);
    assert!(
        tail.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let tail = tail.text().await.unwrap();
    assert!(tail.starts_with("<tbody data-cursor=\""), "{tail}");
    assert_eq!(rows(&tail), 2);
    assert!(tail.contains("Latecomers") && !tail.contains("Team 21"));
    let next_cursor = tail["<tbody data-cursor=\"".len()..]
        .split('"')
        .next()
        .unwrap();
    assert_ne!(next_cursor, cursor);
    let again = browser
        .get(&format!(
            "/admin/system-log/tail?after={next_cursor}&{filter}"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        again,
        format!("<tbody data-cursor=\"{next_cursor}\"></tbody>")
    );
    app.finish().await;
}
