//! The SQLite and PostgreSQL migrations are kept in step by hand; this proves they differ only
//! where the two dialects spell a type differently, so a column added to one backend and
//! forgotten in the other fails here, not in production.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The only spellings allowed to differ: SQLite's on the left, PostgreSQL's on the right.
const DIALECT: [(&str, &str); 5] = [
    ("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY"),
    ("BLOB", "BYTEA"),
    // An indexed profile property, lower-cased, in byte order (the user search indexes).
    (
        "(lower(json_extract(profile, '$.firstName')))",
        "((lower((profile::jsonb #>> '{firstName}'))) COLLATE \"C\")",
    ),
    (
        "(lower(json_extract(profile, '$.lastName')))",
        "((lower((profile::jsonb #>> '{lastName}'))) COLLATE \"C\")",
    ),
    (
        "(lower(json_extract(profile, '$.email')))",
        "((lower((profile::jsonb #>> '{email}'))) COLLATE \"C\")",
    ),
];

fn dir(backend: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend)
}

fn names(backend: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir(backend))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// The statements of a file, comments dropped and whitespace collapsed.
fn normalised(backend: &str, name: &str) -> String {
    let text = std::fs::read_to_string(dir(backend).join(name)).unwrap();
    let code: Vec<&str> = text
        .lines()
        .map(|l| l.split("--").next().unwrap_or_default())
        .collect();
    let mut out = code
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if backend == "sqlite" {
        for (sqlite, postgres) in DIALECT {
            out = out.replace(sqlite, postgres);
        }
    }
    out
}

/// Triggers are spelled in each dialect's own way (SQLite's bodies, PostgreSQL's functions), so
/// a file's triggers come last and are compared by the tables they watch; the statements
/// before them must match as any others.
fn split_triggers(sql: &str) -> (&str, BTreeSet<String>) {
    let start = ["CREATE TRIGGER", "CREATE FUNCTION"]
        .iter()
        .filter_map(|k| sql.find(k))
        .min()
        .unwrap_or(sql.len());
    let watched = sql[start..]
        .split("CREATE TRIGGER")
        .skip(1)
        .filter_map(|t| t.split(" ON ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    (sql[..start].trim_end(), watched)
}

#[test]
fn both_backends_have_the_same_migrations_modulo_type_spellings() {
    let sqlite = names("sqlite");
    assert_eq!(sqlite, names("postgres"), "the migration files differ");
    assert!(!sqlite.is_empty());
    for name in &sqlite {
        let (sqlite_sql, postgres_sql) = (normalised("sqlite", name), normalised("postgres", name));
        let (sqlite_sql, sqlite_watched) = split_triggers(&sqlite_sql);
        let (postgres_sql, postgres_watched) = split_triggers(&postgres_sql);
        assert_eq!(
            sqlite_sql, postgres_sql,
            "{name}: the backends differ beyond type spellings"
        );
        assert_eq!(
            sqlite_watched, postgres_watched,
            "{name}: the backends' triggers watch different tables"
        );
    }
}
