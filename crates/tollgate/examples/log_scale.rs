//! Scale check for the System Log (kept out of CI): writes 1,000,000 events straight into the
//! table, starts the real server on the database and times filtered `GET /api/v1/logs` queries.
//!
//! ```sh
//! cargo run --release -p tollgate --example log_scale                       # SQLite temp file
//! cargo run --release -p tollgate --example log_scale -- postgres://postgres:postgres@127.0.0.1/logscale
//! ```
//! An optional second argument sets the number of events.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a measuring tool, not server code"
)]

use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, Connection};
use tollgate::{Server, Settings};
use tollgate_core::Clock;
use tollgate_store::DatabaseUrl;

const TYPES: [&str; 8] = [
    "user.session.start",
    "app.oauth2.as.authorize",
    "app.oauth2.as.token.grant",
    "group.user_membership.add",
    "user.lifecycle.create",
    "application.user_membership.add",
    "app.oauth2.authorize",
    "user.account.lock",
];

async fn fill<C: sqlx::Connection>(conn: &mut C, events: usize, now_ms: i64)
where
    for<'c> &'c mut C: sqlx::Executor<'c>,
{
    sqlx::raw_sql("DELETE FROM log_events")
        .execute(&mut *conn)
        .await
        .unwrap();
    let span_ms = 6 * 24 * 3600 * 1000i64; // spread over the last six days
    let mut i = 0usize;
    while i < events {
        let end = (i + 2000).min(events);
        let rows: Vec<String> = (i..end)
            .map(|n| {
                let kind = TYPES[n % TYPES.len()];
                let outcome = if n % 17 == 0 { "FAILURE" } else { "SUCCESS" };
                let actor = format!("00u{:017}", n % 5000);
                let published = now_ms - span_ms + (n as i64 * span_ms / events as i64);
                let body = format!(
                    r#"{{"uuid":"u{n}","published":"x","eventType":"{kind}","severity":"INFO","actor":{{"id":"{actor}","type":"User"}},"outcome":{{"result":"{outcome}","reason":null}},"target":[],"debugContext":{{"debugData":{{"n":"{n}"}}}}}}"#
                );
                format!("('u{n}',{published},'{kind}','INFO','{actor}','{outcome}','127.0.0.1',' ','{body}',' {kind} {actor} ')")
            })
            .collect();
        let sql = format!(
            "INSERT INTO log_events (uuid, published, event_type, severity, actor_id, outcome_result, client_ip, target_ids, body, search_text) VALUES {}",
            rows.join(",")
        );
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .unwrap();
        i = end;
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = tempfile::tempdir().unwrap();
    let url: DatabaseUrl = match args.first() {
        Some(u) => u.parse().unwrap(),
        None => DatabaseUrl::Sqlite(dir.path().join("logs.db")),
    };
    let events: usize = args.get(1).map_or(1_000_000, |v| v.parse().unwrap());
    let token = tollgate_core::secret::Secret::generate_api_token();
    let mut settings = Settings::new("127.0.0.1:0".parse().unwrap(), url.clone());
    settings.bootstrap_token = Some(token.clone());
    settings.rate_limit_per_minute = u32::MAX;
    // PostgreSQL needs the master key that seals signing keys: a fresh one per run will do.
    settings.master_key = Some(tollgate_core::token::sealed::MasterKey::generate());
    Server::bind(settings.clone(), Clock::System)
        .await
        .unwrap()
        .spawn()
        .stop()
        .await
        .unwrap();

    let now_ms = Clock::System.now().millis();
    let started = Instant::now();
    match &url {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .unwrap();
            sqlx::raw_sql("BEGIN").execute(&mut conn).await.unwrap();
            fill(&mut conn, events, now_ms).await;
            sqlx::raw_sql("COMMIT; ANALYZE")
                .execute(&mut conn)
                .await
                .unwrap();
        }
        DatabaseUrl::Postgres(u) => {
            let mut conn = sqlx::PgConnection::connect(u).await.unwrap();
            fill(&mut conn, events, now_ms).await;
            sqlx::raw_sql("ANALYZE").execute(&mut conn).await.unwrap();
        }
    }
    println!(
        "wrote {events} events in {:.1} s ({url})",
        started.elapsed().as_secs_f64()
    );

    let running = Server::bind(settings, Clock::System).await.unwrap().spawn();
    let base = format!("http://{}", running.addr);
    let client = reqwest::Client::new();
    for (label, query) in [
        (
            "eventType eq (1 in 8), limit 100",
            "filter=eventType%20eq%20%22user.account.lock%22",
        ),
        (
            "outcome.result eq FAILURE, limit 100",
            "filter=outcome.result%20eq%20%22FAILURE%22",
        ),
        (
            "actor.id eq (1 in 5000)",
            "filter=actor.id%20eq%20%2200u00000000000000042%22",
        ),
        (
            "eventType and actor.id",
            "filter=eventType%20eq%20%22user.session.start%22%20and%20actor.id%20eq%20%2200u00000000000000040%22",
        ),
        ("newest first, no filter", "sortOrder=DESCENDING"),
        ("keyword q", "q=user.account.lock"),
    ] {
        let mut samples = Vec::new();
        for _ in 0..21 {
            let t = Instant::now();
            let resp = client
                .get(format!("{base}/api/v1/logs?{query}"))
                .header("Authorization", format!("SSWS {}", token.expose()))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
            let _ = resp.bytes().await.unwrap();
            samples.push(t.elapsed());
        }
        samples.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{label:<40} p50 {:>8.2} ms   max {:>8.2} ms",
            ms(samples[10]),
            ms(samples[20])
        );
    }
    running.stop().await.unwrap();
}
