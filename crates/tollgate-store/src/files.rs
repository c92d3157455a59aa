//! The SQLite file holds password hashes and secret digests: it is created readable by its
//! owner only (mode 0600), and SQLite gives its `-wal` and `-shm` files the database's mode.

use std::path::Path;

/// Creates the database file at `path` with mode 0600 when it does not exist yet. An existing
/// file keeps its mode; one readable by others is reported so the operator can tighten it.
pub(crate) fn create_private(path: &Path) -> crate::Result<()> {
    if path.as_os_str().is_empty() || path == Path::new(":memory:") {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            warn_if_shared(path);
            Ok(())
        }
        Err(e) => Err(crate::Error::Url(format!(
            "cannot create the database file {}: {e}",
            path.display()
        ))),
    }
}

#[cfg(unix)]
fn warn_if_shared(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            file = %path.display(),
            "the database file is readable by other users; it holds password hashes: chmod 600 it (and its -wal and -shm files)"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path) {}

/// Waits for, then holds, the exclusive lock that serialises processes opening and migrating
/// the SQLite database at `path` (the counterpart of PostgreSQL's advisory lock). It lives on a
/// file of its own beside the database: closing any descriptor of the database file itself
/// would drop SQLite's own locks. Released when the returned file is dropped; `None` for an
/// in-memory database.
pub(crate) async fn lock_for_startup(path: &Path) -> crate::Result<Option<std::fs::File>> {
    if path.as_os_str().is_empty() || path == Path::new(":memory:") {
        return Ok(None);
    }
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push("-startup.lock");
    let cannot = |e: std::io::Error| {
        crate::Error::Url(format!(
            "cannot lock {} for start-up: {e}",
            Path::new(&lock_path).display()
        ))
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&lock_path).map_err(cannot)?;
    let locked = tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await
        .map_err(|e| crate::Error::Url(format!("start-up lock task failed: {e}")))?;
    locked.map(Some).map_err(cannot)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn new_files_are_private_and_existing_ones_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        create_private(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::write(&path, "kept").unwrap();
        create_private(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
    }
}
