//! Which commands may create a missing SQLite database: `serve` and `apply` on the default
//! file or with `--create`; every other command refuses, so a mistyped `--database-url` never
//! leaves an empty org behind (nor exports one). PostgreSQL databases are never created here.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tollgate_store::DatabaseUrl;

/// Whether `url` is a file Tollgate names by itself (`tollgate.db`, or the demo's file).
pub fn is_default(url: &DatabaseUrl) -> bool {
    let demo = crate::demo::DEMO_DATABASE_URL.parse::<DatabaseUrl>().ok();
    *url == DatabaseUrl::default_sqlite() || demo.as_ref() == Some(url)
}

/// For `serve` and `apply`: a missing SQLite file is created only when it is the default
/// one or `create` is set.
pub fn check_may_create(url: &DatabaseUrl, create: bool) -> anyhow::Result<()> {
    if create || is_default(url) {
        return Ok(());
    }
    check_missing(url, "or pass --create to start a new, empty org there")
}

/// For the commands that only work on an org that exists.
pub fn require_existing(url: &DatabaseUrl) -> anyhow::Result<()> {
    check_missing(url, "`tollgate serve` creates it")
}

fn check_missing(url: &DatabaseUrl, hint: &str) -> anyhow::Result<()> {
    match url {
        DatabaseUrl::Sqlite(path) if !path.exists() => bail!(
            "the database file {} does not exist (check --database-url / TOLLGATE_DATABASE_URL, \
             {hint}); nothing was created",
            path.display()
        ),
        _ => Ok(()),
    }
}

/// The files of a SQLite database: the file, its `-wal` and `-shm`, and its master key file.
pub fn files_with_key_file(path: &Path) -> [PathBuf; 4] {
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [
        path.to_path_buf(),
        beside("-wal"),
        beside("-shm"),
        crate::keys::master::key_file_path(path),
    ]
}

/// Deletes a SQLite database and its key file (those of them that exist), the key last.
pub fn delete_with_key_file(path: &Path) -> anyhow::Result<()> {
    for file in files_with_key_file(path).iter().filter(|f| f.exists()) {
        std::fs::remove_file(file).with_context(|| format!("cannot delete {}", file.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_default_files_or_create_may_be_created() {
        let dir = tempfile::tempdir().unwrap();
        let typo = DatabaseUrl::Sqlite(dir.path().join("typo.db"));
        let cases = [
            (DatabaseUrl::default_sqlite(), false, true),
            ("sqlite://tollgate-demo.db".parse().unwrap(), false, true),
            (typo.clone(), false, false),
            (typo.clone(), true, true),
            ("postgres://u:p@h/db".parse().unwrap(), false, true),
        ];
        for (url, create, allowed) in cases {
            assert_eq!(
                check_may_create(&url, create).is_ok(),
                allowed,
                "{url} create={create}"
            );
        }
        let e = require_existing(&typo).unwrap_err().to_string();
        assert!(
            e.contains("typo.db does not exist") && !e.contains('\n'),
            "{e}"
        );
        assert!(require_existing(&DatabaseUrl::Postgres("postgres://h/db".into())).is_ok());
    }
}
