//! The System Log's results: one table row per event (Time, Actor, Event Info, Targets), each
//! expandable to the event's JSON with `<details>`, so it works without script.

use serde_json::Value;

use crate::pages::escape;

/// The text at JSON pointer `path` of `v`, empty when absent.
fn text<'a>(v: &'a Value, path: &str) -> &'a str {
    v.pointer(path).and_then(Value::as_str).unwrap_or_default()
}

/// The actor: display name, then the login or id under it.
fn actor(v: &Value) -> String {
    let name = text(v, "/actor/displayName");
    let alternate = text(v, "/actor/alternateId");
    format!(
        "{}<br><span class=\"muted\">{}</span>",
        escape(name),
        escape(alternate)
    )
}

/// The targets, each with its type.
fn targets(v: &Value) -> String {
    let items: String = v
        .get("target")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|t| {
            format!(
                "<li>{} <span class=\"muted\">({})</span></li>",
                escape(text(t, "/displayName")),
                escape(text(t, "/type"))
            )
        })
        .collect();
    if items.is_empty() {
        String::new()
    } else {
        format!("<ul class=\"plain\">{items}</ul>")
    }
}

/// The event's message, type and outcome, and its whole JSON behind a disclosure.
fn event_info(v: &Value, body: &str) -> String {
    let pretty = serde_json::to_string_pretty(v).unwrap_or_else(|_| body.to_owned());
    format!(
        "<details><summary>{message}</summary><pre>{pretty}</pre></details>\
         <code>{kind}</code> <span class=\"muted\">{outcome}</span>",
        message = escape(text(v, "/displayMessage")),
        pretty = escape(&pretty),
        kind = escape(text(v, "/eventType")),
        outcome = escape(text(v, "/outcome/result")),
    )
}

/// One event (stored Okta JSON) as a table row.
pub fn event_row(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let published = text(&v, "/published");
    format!(
        "<tr><td data-label=\"Time\"><time datetime=\"{t}\">{t}</time></td><td data-label=\"Actor\">{actor}</td>\
         <td data-label=\"Event Info\">{info}</td><td data-label=\"Targets\">{targets}</td></tr>",
        t = escape(published),
        actor = actor(&v),
        info = event_info(&v, body),
        targets = targets(&v),
    )
}

/// Events as table rows, in the order given.
pub fn event_rows<'a>(events: impl Iterator<Item = &'a String>) -> String {
    events.map(|e| event_row(e)).collect()
}

/// The results table around `rows` (markup); `none` when there are none.
pub fn results_table(rows: &str, none: &str) -> String {
    if rows.is_empty() {
        return format!("<p>{none}</p>");
    }
    format!(
        "<table class=\"log\"><thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Actor</th>\
         <th scope=\"col\">Event Info</th><th scope=\"col\">Targets</th></tr></thead>\
         <tbody>{rows}</tbody></table>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_shows_the_event_and_its_escaped_json() {
        let body = r#"{"published":"2026-12-07T10:00:00.000Z","eventType":"user.session.start",
            "displayMessage":"User login <to> Okta","outcome":{"result":"SUCCESS"},
            "actor":{"displayName":"Ada","alternateId":"ada@acme.com"},
            "target":[{"displayName":"App","type":"AppInstance"}]}"#;
        let row = event_row(body);
        assert!(
            row.contains("<summary>User login &lt;to&gt; Okta</summary>"),
            "{row}"
        );
        assert!(row.contains("&quot;eventType&quot;: &quot;user.session.start&quot;"));
        assert!(
            row.contains("ada@acme.com") && row.contains("App <span class=\"muted\">(AppInstance)")
        );
        assert!(row.contains("<time datetime=\"2026-12-07T10:00:00.000Z\">"));
    }

    #[test]
    fn a_row_survives_a_body_that_is_not_an_object() {
        let row = event_row("not json");
        assert!(
            row.starts_with("<tr>") && row.contains("<pre>null</pre>"),
            "{row}"
        );
        assert_eq!(results_table("", "No events."), "<p>No events.</p>");
    }
}
