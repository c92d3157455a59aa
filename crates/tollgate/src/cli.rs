//! The command line: `serve`, `apply`, `export`, `backup`, `restore`, `api-token create`,
//! `token decode`, `expr`.
//! The arguments are in [`args`], each command's work in its own file.

pub mod args;
mod backup;
pub(crate) mod db_file;
mod dev_cert;
mod expr;
pub(crate) mod org;
pub mod token;

use std::process::ExitCode;

use anyhow::Context;
use tollgate_core::Clock;
use tollgate_core::secret::Secret;
use tollgate_store::Store;

pub use crate::cli::args::Cli;
use crate::cli::args::{ApiTokenCommand, Command, DbArgs, ServeArgs, TokenCommand, overrides};
use crate::config;
use crate::server::{Server, shutdown_signal};

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
            Command::Serve(args) => serve(*args).await,
            Command::ApiToken(ApiTokenCommand::Create { name, db }) => {
                create_api_token(&name, &db).await
            }
            Command::Expr(_) | Command::DevCert(_) => Ok(()),
            Command::Apply(a) => org::apply(&a).await,
            Command::Backup(a) => backup::backup(&a.file, &a.db).await,
            Command::Restore(a) => backup::restore(&a.file, a.force, &a.db).await,
            Command::Export(a) => org::export(a.output.as_deref(), &a.db).await,
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

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut o = overrides(&args.db);
    o.listen = args.listen;
    o.public_url = args.public_url;
    o.tls_cert = args.tls_cert;
    o.tls_key = args.tls_key;
    o.bootstrap_token = args.bootstrap_token;
    o.master_key = std::env::var("TOLLGATE_MASTER_KEY").ok();
    let l = &args.limits;
    o.rate_limits = [
        l.rate_limit_admin,
        l.rate_limit_authn,
        l.rate_limit_oauth,
        l.rate_limit_anonymous,
        l.rate_limit_max_keys,
    ];
    o.sign_in = crate::config::SignInOverrides {
        password_hash_concurrency: args.password_hash_concurrency,
        password_hash_wait_ms: args.password_hash_wait_ms,
        failed_sign_ins_per_ip: args.failed_sign_ins_per_ip,
        failed_sign_ins_per_username: args.failed_sign_ins_per_username,
        failed_sign_in_window_secs: args.failed_sign_in_window_secs,
    };
    o.database = crate::config::DatabaseOverrides {
        max_connections: args.db_max_connections,
        acquire_timeout_ms: args.db_acquire_timeout_ms,
    };
    // The demo's admin token and password are public: keep them out of a real database
    // unless one is named explicitly.
    let demo = args.demo || args.demo_reset;
    if demo && o.database_url.is_none() && o.config.is_none() {
        o.database_url = Some(crate::demo::DEMO_DATABASE_URL.to_owned());
    }
    let obs = &args.observability;
    o.observability = crate::config::observability::ObservabilityOverrides {
        log_format: obs.log_format.clone(),
        metrics_listen: obs.metrics_listen.clone(),
        trusted_proxies: obs
            .trusted_proxies
            .as_deref()
            .map(crate::config::observability::split_list),
        forwarded_header: obs.forwarded_header.clone(),
    };
    let settings = config::resolve(&o)?;
    crate::telemetry::init_with(settings.observability.log_format);
    // Read the org file before anything starts, so a bad file stops the start cleanly.
    let org_file = match &args.config_org {
        Some(path) => {
            let name = path.display().to_string();
            let text = crate::orgfile::read(path)?;
            crate::orgfile::parse(&name, &text)?;
            Some((name, text))
        }
        None => None,
    };
    if args.demo_reset {
        crate::demo::reset(&settings.database_url).await?;
    }
    db_file::check_may_create(&settings.database_url, args.create || args.demo_reset)?;
    let database = settings.database_url.to_string();
    let server = Server::bind(settings, Clock::System).await?;
    let base = server.public_url().to_owned();
    let mut applied = String::new();
    // The demo file is applied once, to the database it creates: later starts keep what the
    // user changed through the API.
    let demo_created = demo && server.org_created();
    if demo_created {
        applied.push_str(
            &org::apply_org(
                server.store(),
                crate::demo::SEED_FILE,
                crate::demo::SEED_SCENARIO,
                false,
                "serve --demo",
            )
            .await?,
        );
    }
    if let Some((name, text)) = &org_file {
        applied.push_str(
            &org::apply_org(server.store(), name, text, false, "serve --config-org").await?,
        );
    }
    println!(
        "Tollgate {} listening on {}://{}",
        env!("CARGO_PKG_VERSION"),
        if server.is_tls() { "https" } else { "http" },
        server.local_addr()
    );
    println!("  public URL:  {base}");
    println!("  database:    {database} ({})", server.store().backend());
    println!("  org issuer:  {base}  (custom server: {base}/oauth2/default)");
    match server.metrics_addr() {
        Some(addr) => println!("  metrics:     http://{addr}/metrics"),
        None => println!("  metrics:     {base}/metrics"),
    }
    if let Some(file) = server.master_key_file() {
        println!(
            "  master key:  {} (encrypts the signing keys: back it up with the database)",
            file.display()
        );
    }
    if let Some(token) = server.first_token() {
        println!();
        println!("Created an admin API token. It is shown only this once; keep it:");
        println!();
        println!("  {}", token.expose());
        println!();
        println!("Try it:");
        println!(
            "  curl -s -H 'Authorization: SSWS {}' {base}/api/v1/org",
            token.expose()
        );
    } else if server.org_created() {
        println!("  admin token: the bootstrap token you passed");
    }
    if !applied.is_empty() {
        println!();
        print!("{applied}");
    }
    if demo {
        let exe = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "tollgate".to_owned());
        print!("{}", crate::demo::banner(&base, &exe, demo_created));
    }
    server.run(shutdown_signal()).await
}

async fn create_api_token(name: &str, db: &DbArgs) -> anyhow::Result<()> {
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
    let token = Secret::generate_api_token();
    store.register_api_token(name, &token.digest(), now).await?;
    store.close().await;
    println!("{}", token.expose());
    Ok(())
}
