//! Scale check for the directory (kept out of CI): fills a database with users, groups and ten
//! memberships per user by writing straight to the tables (SQLite: 100,000 users and 10,000
//! groups by default; PostgreSQL: 1,000,000 users and 100,000 groups, 10,000,000 memberships,
//! filled inside the server), starts the real server on it, and times over HTTP the directory
//! lists, a user's groups, and the token path (implicit, session cookie, the seed's groups claim)
//! for a user in 1,000 groups with a 1,000-id allow-list. On PostgreSQL it prints the `EXPLAIN`
//! of each hot query.
//!
//! ```sh
//! cargo run --release -p tollgate --example directory_scale                      # SQLite temp file
//! cargo run --release -p tollgate --example directory_scale -- postgres://postgres:postgres@127.0.0.1/scale
//! ```
//! A PostgreSQL database given here is wiped of directory rows first (the owner of the run's API
//! token stays). It also times the admin console's pages with a super admin signed in. Optional second and third
//! arguments: users and groups; a fourth, `reuse`, measures a database filled by an earlier run
//! with the same counts (the fill takes about ten minutes on PostgreSQL).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a measuring tool, not server code"
)]

mod console_pages;
mod fill_pg;
#[path = "../flow_load/http.rs"]
#[allow(
    dead_code,
    reason = "shared with flow_load; the code flow's steps are not used here"
)]
mod http;
#[path = "../flow_load/setup.rs"]
#[allow(
    dead_code,
    reason = "shared with flow_load; its printing entry point is not used here"
)]
mod setup;
mod token_path;

use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, Connection};
use tollgate::{Server, Settings};
use tollgate_core::Clock;
use tollgate_store::DatabaseUrl;

const BATCH: usize = 2000;

/// A small deterministic generator, so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

pub fn uid(i: usize) -> String {
    format!("00u{i:017}")
}

pub fn gid(i: usize) -> String {
    format!("00g{i:017}")
}

async fn exec_batches<C: sqlx::Connection>(
    conn: &mut C,
    head: &str,
    rows: impl Iterator<Item = String>,
) where
    for<'c> &'c mut C: sqlx::Executor<'c>,
{
    let mut batch = Vec::with_capacity(BATCH);
    let flush = |batch: &mut Vec<String>| {
        let sql = format!("{head} VALUES {}", batch.join(","));
        batch.clear();
        sql
    };
    let mut statements = Vec::new();
    for row in rows {
        batch.push(row);
        if batch.len() == BATCH {
            statements.push(flush(&mut batch));
        }
    }
    if !batch.is_empty() {
        statements.push(flush(&mut batch));
    }
    for sql in statements {
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

async fn fill<C: sqlx::Connection>(conn: &mut C, users: usize, groups: usize)
where
    for<'c> &'c mut C: sqlx::Executor<'c>,
{
    sqlx::raw_sql("DELETE FROM group_members; DELETE FROM users WHERE id NOT IN (SELECT user_id FROM api_tokens WHERE user_id IS NOT NULL); DELETE FROM user_groups WHERE type <> 'BUILT_IN'")
        .execute(&mut *conn)
        .await
        .unwrap();
    let now = 1_700_000_000_000i64;
    exec_batches(
        conn,
        "INSERT INTO users (id, status, login_lower, profile, created, last_updated)",
        (0..users).map(|i| {
            let login = format!("user{i}@scale.example");
            let profile = format!(
                r#"{{"login":"{login}","email":"{login}","firstName":"U{i}","lastName":"Scale"}}"#
            );
            format!(
                "('{}','ACTIVE','{login}','{profile}',{},{})",
                uid(i),
                now + i as i64,
                now + i as i64
            )
        }),
    )
    .await;
    exec_batches(
        conn,
        "INSERT INTO user_groups (id, type, name, name_lower, profile, created, last_updated, last_membership_updated)",
        (0..groups).map(|i| {
            format!("('{}','OKTA_GROUP','Group {i}','group {i}','{{\"name\":\"Group {i}\"}}',{},{},{})", gid(i), now + i as i64, now, now)
        }),
    )
    .await;
    let mut rng = Lcg(42);
    let mut rows = Vec::with_capacity(users * 10);
    for u in 0..users {
        let mut mine = std::collections::BTreeSet::new();
        while mine.len() < 10 {
            mine.insert(rng.next(groups));
        }
        rows.extend(
            mine.into_iter()
                .map(|g| format!("('{}','{}',{now})", gid(g), uid(u))),
        );
    }
    exec_batches(
        conn,
        "INSERT INTO group_members (group_id, user_id, created)",
        rows.into_iter(),
    )
    .await;
}

pub fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let p = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{label:<52} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        ms(p(0.5)),
        ms(p(0.99)),
        ms(p(1.0))
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = tempfile::tempdir().unwrap();
    let url: DatabaseUrl = match args.first() {
        Some(u) => u.parse().unwrap(),
        None => DatabaseUrl::Sqlite(dir.path().join("scale.db")),
    };
    let on_pg = matches!(url, DatabaseUrl::Postgres(_));
    let users: usize = args
        .get(1)
        .map_or(if on_pg { 1_000_000 } else { 100_000 }, |v| {
            v.parse().unwrap()
        });
    let groups: usize = args
        .get(2)
        .map_or(if on_pg { 100_000 } else { 10_000 }, |v| v.parse().unwrap());

    // A reused database's keys were sealed with the earlier run's master key: start over.
    if let (Some("reuse"), DatabaseUrl::Postgres(u)) = (args.get(3).map(String::as_str), &url) {
        let mut conn = sqlx::PgConnection::connect(u).await.unwrap();
        sqlx::raw_sql("DELETE FROM signing_keys; DELETE FROM key_sets")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    // Migrate and bootstrap through the real store first.
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

    let started = Instant::now();
    let reuse = args.get(3).is_some_and(|a| a == "reuse");
    match &url {
        _ if reuse => {}
        DatabaseUrl::Sqlite(path) => {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .unwrap();
            sqlx::raw_sql("PRAGMA journal_mode=WAL; BEGIN")
                .execute(&mut conn)
                .await
                .unwrap();
            fill(&mut conn, users, groups).await;
            sqlx::raw_sql("COMMIT; ANALYZE")
                .execute(&mut conn)
                .await
                .unwrap();
        }
        DatabaseUrl::Postgres(u) => {
            let mut conn = sqlx::PgConnection::connect(u).await.unwrap();
            fill_pg::fill(&mut conn, users, groups).await;
        }
    }
    println!(
        "filled {users} users, {groups} groups, {} memberships in {:.1} s ({url})",
        users * 10,
        started.elapsed().as_secs_f64()
    );

    let running = Server::bind(settings.clone(), Clock::System)
        .await
        .unwrap()
        .spawn();
    let base = format!("http://{}", running.addr);
    let client = reqwest::Client::new();
    let get = |path: String| {
        let req = client
            .get(format!("{base}{path}"))
            .header("Authorization", format!("SSWS {}", token.expose()));
        async move {
            let t = Instant::now();
            let resp = req.send().await.unwrap();
            assert_eq!(
                resp.status(),
                200,
                "{}",
                resp.text().await.unwrap_or_default()
            );
            let body = resp.bytes().await.unwrap();
            (t.elapsed(), body.len())
        }
    };
    let mut rng = Lcg(7);
    for (label, make) in [
        (
            "GET /api/v1/users/{id}/groups",
            &(|r: &mut Lcg| format!("/api/v1/users/{}/groups", uid(r.next(users))))
                as &dyn Fn(&mut Lcg) -> String,
        ),
        ("GET /api/v1/groups/{id}/users?limit=200", &|r: &mut Lcg| {
            format!("/api/v1/groups/{}/users?limit=200", gid(r.next(groups)))
        }),
        (
            "GET /api/v1/groups?limit=200 (a page deep in)",
            &|r: &mut Lcg| format!("/api/v1/groups?limit=200&after={}", gid(r.next(groups))),
        ),
        (
            "GET /api/v1/users?limit=200 (a page deep in)",
            &|r: &mut Lcg| format!("/api/v1/users?limit=200&after={}", uid(r.next(users))),
        ),
    ] {
        let _ = get(make(&mut rng)).await; // warm
        let mut samples = Vec::new();
        for _ in 0..200 {
            samples.push(get(make(&mut rng)).await.0);
        }
        report(label, samples);
    }
    let prepared = token_path::measure(&base, token.expose(), groups).await;
    console_pages::measure(&base, token.expose(), &prepared, users, groups).await;
    if let DatabaseUrl::Postgres(u) = &url {
        token_path::explain(u, users, groups).await;
    }
    running.stop().await.unwrap();
}
