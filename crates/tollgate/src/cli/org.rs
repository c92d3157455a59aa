//! `tollgate apply FILE [--dry-run]` and `tollgate export [FILE]`: org as code.

use std::path::Path;

use anyhow::Context;
use tollgate_core::Clock;
use tollgate_store::Store;

use crate::cli::args::{ApplyArgs, DbArgs};
use crate::cli::db_file;
use crate::orgfile;

/// Opens the org's database; `create` says whether a missing SQLite file may be created
/// (`None`: never).
pub(crate) async fn open(db: &DbArgs, create: Option<bool>) -> anyhow::Result<Store> {
    let url = crate::config::database_url(&crate::cli::args::overrides(db))?;
    match create {
        Some(create) => db_file::check_may_create(&url, create)?,
        None => db_file::require_existing(&url)?,
    }
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

/// `tollgate apply`: like `serve`, it creates a missing database only when it is the default
/// file or `--create` is given; a dry run never creates one.
pub async fn apply(args: &ApplyArgs) -> anyhow::Result<()> {
    let (file, dry_run) = (&args.file, args.dry_run);
    let text = orgfile::read(file)?;
    // A file that does not parse fails before the database is opened.
    orgfile::parse(&file.display().to_string(), &text)?;
    let store = open(&args.db, (!dry_run).then_some(args.create)).await?;
    let result = apply_org(&store, &file.display().to_string(), &text, dry_run, "apply").await;
    store.close().await;
    print!("{}", result?);
    Ok(())
}

/// `tollgate export`: to `out`, or standard output.
pub async fn export(out: Option<&Path>, db: &DbArgs) -> anyhow::Result<()> {
    let store = open(db, None).await?;
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
