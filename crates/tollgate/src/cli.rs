//! The command line: `serve`, `apply`, `export`, `backup`, `restore`, `api-token create`,
//! `token decode`, `expr`.
//! The arguments are in [`args`], each command's work in its own file.

pub mod args;
mod backup;
pub(crate) mod db_file;
mod dev_cert;
mod expr;
pub(crate) mod org;
pub(crate) mod outbox;
mod serve;
pub mod token;

use std::process::ExitCode;

use anyhow::Context;
use tollgate_core::Clock;
use tollgate_store::Store;

pub use crate::cli::args::Cli;
use crate::cli::args::{ApiTokenCommand, Command, DbArgs, TokenCommand, overrides};
use crate::config;

/// Runs a parsed command line and gives the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    if let Command::Expr(args) = &cli.command {
        return expr::run(args);
    }
    if let Command::DevCert(args) = &cli.command {
        return dev_cert::run(args);
    }
    // `serve` logs in the format its settings ask for, once they are read.
    if !matches!(cli.command, Command::Serve(_)) {
        crate::telemetry::init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::serve(*args).await,
            Command::ApiToken(ApiTokenCommand::Create { name, owner, db }) => {
                create_api_token(&name, owner.as_deref(), &db).await
            }
            Command::Expr(_) | Command::DevCert(_) => Ok(()),
            Command::Apply(a) => org::apply(&a).await,
            Command::Backup(a) => backup::backup(&a.file, &a.db).await,
            Command::Restore(a) => backup::restore(&a.file, a.force, &a.db).await,
            Command::Export(a) => org::export(a.output.as_deref(), &a.db).await,
            Command::Outbox(a) => outbox::run(&a).await,
            Command::Token(TokenCommand::Decode(a)) => {
                token::run_decode(a).await.context("token decode")
            }
            Command::Token(TokenCommand::Get(a)) => token::run_get(a).await.context("token get"),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn create_api_token(name: &str, owner: Option<&str>, db: &DbArgs) -> anyhow::Result<()> {
    let name = name.trim();
    if name.is_empty() {
        anyhow::bail!("--name must not be empty");
    }
    let url = config::database_url(&overrides(db))?;
    db_file::require_existing(&url)?;
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    let now = Clock::System.now();
    store.bootstrap(now, None).await?;
    let owner = crate::first_admin::token_owner(&store, owner).await?;
    let (token, _) = crate::api::api_tokens::mint(&store, name, &owner, now).await?;
    store.close().await;
    println!("{}", token.expose());
    Ok(())
}
