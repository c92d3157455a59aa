//! Where the master key comes from: `TOLLGATE_MASTER_KEY` (through [`Settings`]), else for
//! SQLite a key file beside the database, created on first start; PostgreSQL needs the
//! variable, because every process sharing the database must use the same key.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tollgate_core::token::sealed::MasterKey;
use tollgate_store::DatabaseUrl;

use crate::config::Settings;

/// The master key in force, and the key file it came from (if any).
#[derive(Debug)]
pub struct Resolved {
    /// The key.
    pub key: MasterKey,
    /// The key file, when the key came from one.
    pub file: Option<PathBuf>,
    /// Whether this start created the key file.
    pub created: bool,
}

/// The master key for `settings`. `holds_keys` says whether the database already holds
/// signing keys: then a missing key file is an error (a new key could not open them), and
/// nothing is written.
pub fn resolve(settings: &Settings, holds_keys: bool) -> anyhow::Result<Resolved> {
    resolve_with(settings, |path| {
        if holds_keys && !path.exists() {
            bail!("{}", missing_key_file(settings, path));
        }
        read_or_create(path)
    })
}

/// The master key of an org that exists, never creating a key file (for backups).
pub fn existing(settings: &Settings) -> anyhow::Result<Resolved> {
    resolve_with(settings, |path| {
        if !path.exists() {
            bail!("{}", missing_key_file(settings, path));
        }
        Ok((read_existing(path)?, false))
    })
}

const NO_POSTGRES_KEY: &str = "TOLLGATE_MASTER_KEY is not set. With PostgreSQL the master key \
     that encrypts the signing keys must come from TOLLGATE_MASTER_KEY (64 hex characters, e.g. \
     from `openssl rand -hex 32`), and every process sharing the database must use the same one";

/// Fails at once, before the database is opened, when the key can come from nowhere
/// (PostgreSQL without `TOLLGATE_MASTER_KEY`).
pub fn check_source(settings: &Settings) -> anyhow::Result<()> {
    if settings.master_key.is_none() && matches!(settings.database_url, DatabaseUrl::Postgres(_)) {
        bail!("{NO_POSTGRES_KEY}");
    }
    Ok(())
}

fn resolve_with(
    settings: &Settings,
    from_file: impl FnOnce(&Path) -> anyhow::Result<(MasterKey, bool)>,
) -> anyhow::Result<Resolved> {
    if let Some(key) = &settings.master_key {
        return Ok(Resolved {
            key: key.clone(),
            file: None,
            created: false,
        });
    }
    match &settings.database_url {
        DatabaseUrl::Postgres(_) => bail!("{NO_POSTGRES_KEY}"),
        DatabaseUrl::Sqlite(db) => {
            let path = key_file_path(db);
            let (key, created) = from_file(&path)?;
            Ok(Resolved {
                key,
                file: Some(path),
                created,
            })
        }
    }
}

/// The one-line message for a database whose signing keys have no key file beside them.
fn missing_key_file(settings: &Settings, path: &Path) -> String {
    format!(
        "the master key file {} is missing, and the database {} holds signing keys sealed with \
         that key: put the key file from the same backup (or the database's old directory) \
         beside the database, or set TOLLGATE_MASTER_KEY to its content; nothing was written",
        path.display(),
        settings.database_url
    )
}

/// The one-line message for signing keys that the master key in force does not open.
pub fn wrong_key(file: Option<&Path>, server_id: &str) -> String {
    match file {
        Some(file) => format!(
            "the signing keys of {server_id} could not be decrypted with the master key file {}: \
             it is not the key they were sealed with; put the key file from the same backup (or \
             the database's old directory) in its place, or set TOLLGATE_MASTER_KEY to that key",
            file.display()
        ),
        None => format!(
            "the signing keys of {server_id} could not be decrypted with TOLLGATE_MASTER_KEY: it \
             is not the key they were sealed with; set it to that key"
        ),
    }
}

/// `<database file>.key`.
pub fn key_file_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

fn read_existing(path: &Path) -> anyhow::Result<MasterKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the master key file {}", path.display()))?;
    MasterKey::parse(&text).with_context(|| format!("the master key file {}", path.display()))
}

/// Reads the key file, or creates it (mode 0600) with a new random key. The file appears
/// complete or not at all (written aside, then linked into place), so two processes starting
/// at once agree on one key.
fn read_or_create(path: &Path) -> anyhow::Result<(MasterKey, bool)> {
    if path.exists() {
        return Ok((read_existing(path)?, false));
    }
    let key = MasterKey::generate();
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(format!(".{}.tmp", tollgate_core::id::random_base62(8)));
    let tmp = PathBuf::from(tmp_name);
    write_key_file(&tmp, &key)
        .with_context(|| format!("cannot create the master key file {}", path.display()))?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok((key, true)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Ok((read_existing(path)?, false))
        }
        Err(e) => {
            Err(e).with_context(|| format!("cannot create the master key file {}", path.display()))
        }
    }
}

/// Writes `key` to a new key file at `path` (mode 0600); an existing file is an error.
pub fn write_key_file(path: &Path, key: &MasterKey) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    writeln!(file, "{}", key.to_hex())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_is_created_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let mut settings = Settings::new("127.0.0.1:0".parse().unwrap(), DatabaseUrl::Sqlite(db));
        let first = resolve(&settings, false).unwrap();
        assert!(first.created);
        let file = first.file.clone().unwrap();
        assert_eq!(file, dir.path().join("t.db.key"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = resolve(&settings, true).unwrap();
        assert!(!again.created);
        assert_eq!(again.key, first.key);
        // An explicit key wins and touches no file.
        let explicit = MasterKey::generate();
        settings.master_key = Some(explicit.clone());
        let r = resolve(&settings, true).unwrap();
        assert_eq!((r.key, r.file), (explicit, None));
        // A damaged file is an error naming the file, never its content.
        std::fs::write(&file, "not a key").unwrap();
        settings.master_key = None;
        let e = format!("{:#}", resolve(&settings, true).unwrap_err());
        assert!(e.contains("t.db.key"), "{e}");
        // A database holding keys never gets a new key file: the start fails and writes nothing.
        std::fs::remove_file(&file).unwrap();
        let e = format!("{:#}", resolve(&settings, true).unwrap_err());
        assert!(e.contains("t.db.key is missing"), "{e}");
        assert!(!file.exists());
        let e = format!("{:#}", existing(&settings).unwrap_err());
        assert!(e.contains("t.db.key is missing"), "{e}");
        assert!(!file.exists());
    }

    #[test]
    fn postgres_requires_the_variable() {
        let settings = Settings::new(
            "127.0.0.1:0".parse().unwrap(),
            DatabaseUrl::Postgres("postgres://u:p@h/db".into()),
        );
        let e = format!("{:#}", resolve(&settings, false).unwrap_err());
        assert!(e.contains("TOLLGATE_MASTER_KEY"), "{e}");
    }
}
