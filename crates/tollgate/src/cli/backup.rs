//! `tollgate backup FILE` and `tollgate restore FILE`: a SQLite org and the master key that
//! opens its signing keys, in one archive, so a restored server signs with the same keys and
//! keeps every setting.
//!
//! The archive is a plain tar of three files (mode 0600):
//! - `tollgate-backup.txt`: what the archive is (format 1);
//! - `tollgate.db`: a consistent copy of the database, made online with `VACUUM INTO`;
//! - `tollgate.db.key`: the master key, as in a key file (64 hex characters).
//!
//! PostgreSQL has its own tools: `pg_dump` plus `TOLLGATE_MASTER_KEY` (see the README).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tollgate_core::server::DEFAULT_SERVER_ID;
use tollgate_core::token::keys::ORG_KEY_SET;
use tollgate_core::token::sealed::MasterKey;
use tollgate_store::{DatabaseUrl, Store};

use crate::cli::args::{DbArgs, overrides};
use crate::cli::db_file;
use crate::config;
use crate::keys::master;

const MANIFEST: &str = "tollgate-backup.txt";
const MANIFEST_TEXT: &str =
    "Tollgate backup, format 1: tollgate.db (SQLite) and tollgate.db.key (its master key)\n";
const DATABASE: &str = "tollgate.db";
const KEY: &str = "tollgate.db.key";
const POSTGRES: &str = "backup and restore handle SQLite databases; for PostgreSQL use pg_dump and \
     pg_restore, and keep TOLLGATE_MASTER_KEY with the dump (README: Backup and restore)";

/// `tollgate backup FILE`.
pub async fn backup(file: &Path, db: &DbArgs) -> anyhow::Result<()> {
    let mut o = overrides(db);
    o.master_key = std::env::var("TOLLGATE_MASTER_KEY").ok();
    let settings = config::resolve(&o)?;
    let url = &settings.database_url;
    if matches!(url, DatabaseUrl::Postgres(_)) {
        bail!("{POSTGRES}");
    }
    db_file::require_existing(url)?;
    let master = master::existing(&settings)?;
    let store = Store::connect(url)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    let copy = beside(file, "db");
    let copied = copy_checked(&store, &master.key, &copy).await;
    store.close().await;
    let written = copied.and_then(|()| write_archive(file, &copy, &master.key));
    let _ = std::fs::remove_file(&copy);
    written?;
    println!(
        "backed up {url} and its master key to {} (it opens the signing keys: keep it private)",
        file.display()
    );
    Ok(())
}

/// The first key set (org, then `default`) whose stored signing key `key` does not open.
async fn unopened_key_set(store: &Store, key: &MasterKey) -> anyhow::Result<Option<&'static str>> {
    for server_id in [ORG_KEY_SET, DEFAULT_SERVER_ID] {
        if let Some(stored) = store.keys(server_id).await?.first()
            && key.open(&stored.sealed, &stored.jwk.kid).is_err()
        {
            return Ok(Some(server_id));
        }
    }
    Ok(None)
}

/// Checks `key` opens the stored signing keys (a backup without the right key could never be
/// restored), then copies the database to `copy`.
async fn copy_checked(store: &Store, key: &MasterKey, copy: &Path) -> anyhow::Result<()> {
    if let Some(server_id) = unopened_key_set(store, key).await? {
        bail!(
            "the master key does not open the signing keys of {server_id}: is it the key \
             file (or TOLLGATE_MASTER_KEY) they were created with? No backup was written"
        );
    }
    // `VACUUM INTO` fills an empty file: create it first, readable by its owner only.
    create_private(copy).with_context(|| format!("cannot create {}", copy.display()))?;
    store
        .copy_sqlite_into(copy)
        .await
        .with_context(|| format!("cannot copy the database into {}", copy.display()))
}

fn write_archive(file: &Path, copy: &Path, key: &MasterKey) -> anyhow::Result<()> {
    let tmp = beside(file, "tmp");
    let written = write_tar(&tmp, copy, key).and_then(|()| std::fs::rename(&tmp, file));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.with_context(|| format!("cannot write the backup {}", file.display()))
}

fn write_tar(path: &Path, copy: &Path, key: &MasterKey) -> std::io::Result<()> {
    let mut tar = tar::Builder::new(create_private(path)?);
    let mut database = File::open(copy)?;
    let size = database.metadata()?.len();
    tar.append_data(&mut header(size), DATABASE, &mut database)?;
    let key_text = format!("{}\n", key.to_hex());
    for (name, data) in [(MANIFEST, MANIFEST_TEXT), (KEY, key_text.as_str())] {
        tar.append_data(&mut header(data.len() as u64), name, data.as_bytes())?;
    }
    tar.into_inner()?.sync_all()
}

fn header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_entry_type(tar::EntryType::Regular);
    let now = tollgate_core::Clock::System.now().unix_seconds();
    header.set_mtime(u64::try_from(now).unwrap_or_default());
    header
}

/// `tollgate restore FILE [--force]`.
pub async fn restore(file: &Path, force: bool, db: &DbArgs) -> anyhow::Result<()> {
    let url = config::database_url(&overrides(db))?;
    let DatabaseUrl::Sqlite(path) = &url else {
        bail!("{POSTGRES}");
    };
    let present: Vec<String> = db_file::files_with_key_file(path)
        .iter()
        .filter(|f| f.exists())
        .map(|f| f.display().to_string())
        .collect();
    if !present.is_empty() && !force {
        bail!(
            "restore never replaces a database unless told to, and {} is there (stop the \
             servers using it and pass --force, or restore elsewhere with --database-url)",
            present.join(", ")
        );
    }
    let archive = File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    // A directory made here is removed again when the archive turns out unusable.
    let new_dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists());
    if let Some(dir) = new_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = beside(path, "restore");
    let usable = match unpack(file, archive, &tmp) {
        Ok(key) => check_unpacked(file, &tmp, &key).await.map(|()| key),
        Err(e) => Err(e),
    };
    let key = match usable {
        Ok(key) => key,
        Err(e) => {
            for leftover in db_file::files_with_key_file(&tmp) {
                let _ = std::fs::remove_file(leftover);
            }
            if let Some(dir) = new_dir {
                let _ = std::fs::remove_dir(dir);
            }
            return Err(e);
        }
    };
    // Only now, with a database that opens and a key that opens its signing keys, does the
    // one being replaced go.
    db_file::delete_with_key_file(path)?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    let key_file = master::key_file_path(path);
    master::write_key_file(&key_file, &key)
        .with_context(|| format!("cannot write the master key file {}", key_file.display()))?;
    println!(
        "restored {url} and its master key file {} from {}",
        key_file.display(),
        file.display()
    );
    if std::env::var("TOLLGATE_MASTER_KEY").is_ok_and(|k| !k.trim().is_empty()) {
        eprintln!(
            "note: TOLLGATE_MASTER_KEY is set and wins over the key file; unset it (or set it to \
             the key file's content) to serve the restored org"
        );
    }
    Ok(())
}

/// Opens the unpacked database `db` and checks `key` opens its signing keys.
async fn check_unpacked(file: &Path, db: &Path, key: &MasterKey) -> anyhow::Result<()> {
    let store = Store::connect(&DatabaseUrl::Sqlite(db.to_owned()))
        .await
        .with_context(|| format!("the database in {} does not open", file.display()))?;
    let unopened = unopened_key_set(&store, key).await;
    store.close().await;
    if let Some(server_id) = unopened? {
        bail!(
            "the master key in {} does not open the signing keys of {server_id}; nothing was \
             restored",
            file.display()
        );
    }
    Ok(())
}

/// Reads `archive` (the file `file`), writing its database to `db` and giving its master key.
fn unpack(file: &Path, archive: File, db: &Path) -> anyhow::Result<MasterKey> {
    let not_a_backup = || {
        format!(
            "{} is not a backup made by `tollgate backup`",
            file.display()
        )
    };
    let mut tar = tar::Archive::new(archive);
    let (mut manifest, mut database, mut key) = (false, false, None);
    for entry in tar.entries().with_context(not_a_backup)? {
        let mut entry = entry.with_context(not_a_backup)?;
        let name = entry.path().with_context(not_a_backup)?.into_owned();
        let ours = [MANIFEST, DATABASE, KEY]
            .iter()
            .any(|n| name == Path::new(n));
        if ours && !entry.header().entry_type().is_file() {
            bail!(
                "{} ({} is not a plain file)",
                not_a_backup(),
                name.display()
            );
        }
        if name == Path::new(MANIFEST) {
            let text = small_text(&mut entry).with_context(not_a_backup)?;
            manifest = text.starts_with("Tollgate backup, format 1");
        } else if name == Path::new(DATABASE) {
            let mut out =
                create_private(db).with_context(|| format!("cannot write {}", db.display()))?;
            std::io::copy(&mut entry, &mut out).with_context(not_a_backup)?;
            out.sync_all()?;
            database = true;
        } else if name == Path::new(KEY) {
            let text = small_text(&mut entry).with_context(not_a_backup)?;
            key = Some(MasterKey::parse(&text).with_context(not_a_backup)?);
        }
    }
    match (manifest, database, key) {
        (true, true, Some(key)) => Ok(key),
        _ => bail!(
            "{} (it lacks {MANIFEST}, {DATABASE} or {KEY})",
            not_a_backup()
        ),
    }
}

/// The text of a small archive member (the manifest or the key); at most 4 KiB is read.
fn small_text(entry: &mut impl Read) -> std::io::Result<String> {
    let mut text = String::new();
    entry.take(4096).read_to_string(&mut text)?;
    Ok(text)
}

/// A new file readable by its owner only; never an existing one.
fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A scratch file next to `path` (same directory, so a rename puts it in place).
fn beside(path: &Path, what: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(
        ".{}.{what}.tmp",
        tollgate_core::id::random_base62(8)
    ));
    PathBuf::from(name)
}
