//! Looks for a secret where it must never be: anywhere in the database (the SQLite file and
//! its journal, or every PostgreSQL row as text) and in any response a test has read.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::RequestBuilder;
use serde_json::Value;
use tollgate_store::Pool;

use crate::support::{TestApp, send};

/// The forms a secret could be kept in without being sealed: as is, hex, and base64 at each of
/// the three alignments it can have inside a longer encoded value.
fn forms(secret: &str) -> Vec<String> {
    let bytes = secret.as_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut forms = vec![secret.to_owned(), hex];
    for skip in 0..3 {
        let whole = (bytes.len() - skip) / 3 * 3;
        forms.push(STANDARD.encode(&bytes[skip..skip + whole]));
    }
    forms
}

/// Everything the database holds, as text to search.
async fn database_text(app: &TestApp) -> String {
    match app.server_store().pool_for_read() {
        Pool::Sqlite(pool) => {
            let (file,): (String,) =
                sqlx::query_as("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(pool)
                    .await
                    .unwrap();
            let mut bytes = std::fs::read(&file).unwrap();
            for suffix in ["-wal", "-journal"] {
                if let Ok(more) = std::fs::read(format!("{file}{suffix}")) {
                    bytes.extend(more);
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Pool::Postgres(pool) => {
            let tables: Vec<(String,)> = sqlx::query_as(
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            let mut text = String::new();
            for (table,) in tables {
                let sql = format!("SELECT string_agg(CAST(x AS TEXT), '|') FROM \"{table}\" x");
                let (rows,): (Option<String>,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .fetch_one(pool)
                    .await
                    .unwrap();
                text.push_str(&rows.unwrap_or_default());
            }
            text
        }
    }
}

/// Fails when the database holds any of `secrets` in clear (or hex, or base64).
pub(crate) async fn assert_not_stored(app: &TestApp, secrets: &[&str]) {
    let text = database_text(app).await;
    assert!(text.len() > 1000, "the scan read the database");
    for secret in secrets {
        for form in forms(secret) {
            assert!(!text.contains(&form), "{secret} is stored unsealed");
        }
    }
}

/// The sealed password of `user_id`'s assignment to `app_id`, read from its row.
pub(crate) async fn stored_password(app: &TestApp, app_id: &str, user_id: &str) -> Option<Vec<u8>> {
    let sql = "SELECT password FROM app_users WHERE app_id = $1 AND user_id = $2";
    let row: (Option<Vec<u8>>,) = match app.server_store().pool_for_read() {
        Pool::Sqlite(pool) => sqlx::query_as(sql)
            .bind(app_id)
            .bind(user_id)
            .fetch_one(pool)
            .await
            .unwrap(),
        Pool::Postgres(pool) => sqlx::query_as(sql)
            .bind(app_id)
            .bind(user_id)
            .fetch_one(pool)
            .await
            .unwrap(),
    };
    row.0
}

/// Every response body a test has read, to check that no secret ever left the server.
#[derive(Default)]
pub(crate) struct Seen(Vec<String>);

impl Seen {
    /// Sends `req`, expects `status`, records and returns the JSON body.
    pub(crate) async fn json(&mut self, req: RequestBuilder, status: u16) -> Value {
        let res = send(req).await;
        let got = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(got, status, "{text}");
        self.0.push(text.clone());
        serde_json::from_str(&text).unwrap()
    }

    /// Fails when any recorded body holds one of `secrets` in any form.
    pub(crate) fn assert_never_shown(&self, secrets: &[&str]) {
        assert!(!self.0.is_empty());
        for body in &self.0 {
            for secret in secrets {
                for form in forms(secret) {
                    assert!(!body.contains(&form), "{secret} was shown: {body}");
                }
            }
        }
    }
}
