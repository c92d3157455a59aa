//! Okta's user search `q`: the start of firstName, lastName or email, ignoring case, with `%`,
//! `_` taken literally (the store answers it from byte-order ranges over indexed expressions,
//! kept exact by a `LIKE`). SQLite lower-cases ASCII only, so case is ignored for ASCII letters
//! there and for all letters on PostgreSQL; a name beyond ASCII is still found by its own case
//! on both.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, json};

backend_tests!(q_matches_the_start_of_first_name_last_name_or_email);

async fn add(app: &TestApp, first: &str, last: &str, email: &str) {
    let body =
        json!({"profile": {"firstName": first, "lastName": last, "email": email, "login": email}});
    json(app.post("/api/v1/users?activate=false", &body), 200).await;
}

async fn found(app: &TestApp, q: &str) -> Vec<String> {
    let path = format!("/api/v1/users?q={}", urlencoding(q));
    let users = json(app.get(&path), 200).await;
    let mut logins: Vec<String> = users
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| u["profile"]["login"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    logins.sort();
    logins
}

fn urlencoding(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

async fn q_matches_the_start_of_first_name_last_name_or_email(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    add(&app, "Annie", "Jackson", "annie@acme.com").await;
    add(&app, "Bob", "Annison", "bob@acme.com").await;
    add(&app, "Åsa", "Öberg", "asa@acme.com").await;
    add(&app, "Per_cent", "100%", "pc@acme.com").await;
    add(&app, "Zed", "Zulu", "ann.z@acme.com").await;
    let cases: [(&str, &[&str]); 8] = [
        ("ann", &["ann.z@acme.com", "annie@acme.com", "bob@acme.com"]),
        ("ANNIE", &["annie@acme.com"]),
        ("jack", &["annie@acme.com"]),
        ("per_", &["pc@acme.com"]),
        ("pe%", &[]),
        ("100%", &["pc@acme.com"]),
        ("Öb", &["asa@acme.com"]),
        ("nnie", &[]),
    ];
    for (q, want) in cases {
        assert_eq!(found(&app, q).await, want, "q={q}");
    }
    assert_eq!(
        json(app.get("/api/v1/users?q=zzz"), 200).await,
        Value::Array(Vec::new())
    );
    app.finish().await;
}
