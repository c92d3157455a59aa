//! `tollgate apply FILE [--dry-run]` and `tollgate export [FILE]`: org as code.

use std::path::Path;

use anyhow::Context;
use tollgate_core::Clock;
use tollgate_store::Store;

use crate::cli::args::DbArgs;
use crate::orgfile;

async fn open(db: &DbArgs) -> anyhow::Result<Store> {
    let url = crate::config::database_url(&crate::cli::args::overrides(db))?;
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    // Apply and export work on an org that exists, as a server would have made it.
    store.bootstrap(Clock::System.now(), None).await?;
    Ok(store)
}

/// Plans the org file `text` (named `file` in messages) against `store` and, unless
/// `dry_run`, applies it. Returns the report to print.
pub async fn apply_org(
    store: &Store,
    file: &str,
    text: &str,
    dry_run: bool,
    command: &str,
) -> anyhow::Result<String> {
    let plan =
        orgfile::apply_text(store, file, text, dry_run, command, Clock::System.now()).await?;
    Ok(plan.render(!dry_run))
}

/// `tollgate apply`.
pub async fn apply(file: &Path, dry_run: bool, db: &DbArgs) -> anyhow::Result<()> {
    let text = orgfile::read(file)?;
    // A file that does not parse fails before the database is opened.
    orgfile::parse(&file.display().to_string(), &text)?;
    let store = open(db).await?;
    let result = apply_org(&store, &file.display().to_string(), &text, dry_run, "apply").await;
    store.close().await;
    print!("{}", result?);
    Ok(())
}

/// `tollgate export`: to `out`, or standard output.
pub async fn export(out: Option<&Path>, db: &DbArgs) -> anyhow::Result<()> {
    let store = open(db).await?;
    let org = orgfile::export::export(&store).await;
    store.close().await;
    let text = format!("{}{}", orgfile::export::HEADER, orgfile::to_yaml(&org?)?);
    match out {
        Some(path) => write_private(path, &text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}

/// Writes `text` to `path` readable by its owner only: an export holds API token and client
/// secret digests. An existing file is tightened to mode 0600 before anything is written.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
