//! The command line: `serve`, `apply`, `export`, `api-token create`, `token decode`, `expr`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tollgate_core::Clock;
use tollgate_core::secret::Secret;
use tollgate_store::Store;

use crate::config::{self, Overrides};
use crate::server::{Server, shutdown_signal};

/// Tollgate: an identity server that speaks Okta's language.
#[derive(Debug, Parser)]
#[command(name = "tollgate", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (SQLite file `tollgate.db` in the working directory by default).
    Serve(ServeArgs),
    /// Manage admin API tokens.
    #[command(subcommand)]
    ApiToken(ApiTokenCommand),
    /// Evaluate (or only check) an Okta Expression Language expression, as claims do.
    Expr(ExprArgs),
    /// Apply an org file (YAML: users, groups, apps, authorization servers, API tokens);
    /// idempotent, and only adds or changes what the file declares.
    Apply(ApplyArgs),
    /// Write the org as an org file that `apply` takes back.
    Export(ExportArgs),
    /// Work with tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

/// `tollgate apply FILE [--dry-run]`.
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    /// The org file.
    pub file: PathBuf,
    /// Print what would change without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Database and settings file.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `tollgate export [--output FILE]`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Where to write the file [default: standard output].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Database and settings file.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `tollgate token ...`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a JWT's header and payload, and check its signature against the issuer's keys.
    Decode {
        /// The token [default: read from standard input].
        jwt: Option<String>,
    },
    /// Sign in with a username and password, run the implicit flow, and print the tokens.
    Get {
        /// The issuer: the org URL, or `{org}/oauth2/{authServerId}` (e.g. .../oauth2/default).
        #[arg(long)]
        issuer: String,
        /// The app's client id.
        #[arg(long)]
        client_id: String,
        /// The user's login.
        #[arg(long)]
        username: String,
        /// The user's password.
        #[arg(long, env = "TOLLGATE_PASSWORD", hide_env_values = true)]
        password: String,
        /// A redirect URI registered on the app (it is not visited).
        #[arg(long)]
        redirect_uri: String,
        /// Space-separated scopes.
        #[arg(long, default_value = "openid groups")]
        scope: String,
        /// `id_token`, `token`, or `id_token token`.
        #[arg(long, default_value = "id_token")]
        response_type: String,
    },
}

/// `tollgate expr [--context FILE] [--check] EXPR`.
#[derive(Debug, Clone, Args)]
pub struct ExprArgs {
    /// The evaluation context as JSON (user, groups, app, org, access, session, now); read
    /// from standard input when absent. `{}` is valid: absent bindings are null.
    #[arg(long)]
    pub context: Option<PathBuf>,
    /// Only parse and check the expression, as saving a claim does.
    #[arg(long)]
    pub check: bool,
    /// The expression, e.g. 'getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)'.
    pub expr: String,
}

/// Where the data lives; shared by every command that opens the database.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database URL: sqlite://PATH (created if missing) or postgres://USER:PASS@HOST/DB.
    /// Default: sqlite://tollgate.db
    #[arg(long, env = "TOLLGATE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// A TOML settings file (keys: listen, database_url, public_url, bootstrap_token,
    /// rate_limit_per_minute); flags and environment variables win over it.
    #[arg(long, env = "TOLLGATE_CONFIG")]
    pub config: Option<PathBuf>,
}

/// `tollgate serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TOLLGATE_LISTEN", default_value = None, help = "Address to listen on [default: 127.0.0.1:8080]")]
    pub listen: Option<String>,
    /// Public origin used in issuers and links [default: http:// + the listen address].
    #[arg(long, env = "TOLLGATE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Register this string as an admin API token at start (idempotent).
    #[arg(long, env = "TOLLGATE_BOOTSTRAP_TOKEN", hide_env_values = true)]
    pub bootstrap_token: Option<String>,
    /// Apply this org file at start (as `tollgate apply` does).
    #[arg(long, env = "TOLLGATE_CONFIG_ORG")]
    pub config_org: Option<PathBuf>,
    /// Apply the built-in demo org (Okta's groups-claim guide) at start and print how to try
    /// it. Demo only: its admin token and password are public. The database defaults to
    /// sqlite://tollgate-demo.db.
    #[arg(long)]
    pub demo: bool,
    /// Database and settings file.
    #[command(flatten)]
    pub db: DbArgs,
    /// Password hashes running at once (about 19 MiB each) [default: one per core].
    #[arg(long, env = "TOLLGATE_PASSWORD_HASH_CONCURRENCY")]
    pub password_hash_concurrency: Option<usize>,
    /// Milliseconds a sign-in waits for a hashing slot before 429 [default: 2000].
    #[arg(long, env = "TOLLGATE_PASSWORD_HASH_WAIT_MS")]
    pub password_hash_wait_ms: Option<u64>,
    /// Failed sign-ins per client address per window before 429 [default: 100].
    #[arg(long, env = "TOLLGATE_FAILED_SIGN_INS_PER_IP")]
    pub failed_sign_ins_per_ip: Option<u32>,
    /// Failed sign-ins per username per window before 429 [default: 20].
    #[arg(long, env = "TOLLGATE_FAILED_SIGN_INS_PER_USERNAME")]
    pub failed_sign_ins_per_username: Option<u32>,
    /// The failed sign-in window, in seconds [default: 300].
    #[arg(long, env = "TOLLGATE_FAILED_SIGN_IN_WINDOW_SECS")]
    pub failed_sign_in_window_secs: Option<u32>,
}

/// `tollgate api-token ...`.
#[derive(Debug, Subcommand)]
pub enum ApiTokenCommand {
    /// Create an admin API token and print it (it is stored hashed and cannot be shown again).
    Create {
        /// A name to recognise the token by.
        #[arg(long)]
        name: String,
        /// Database and settings file.
        #[command(flatten)]
        db: DbArgs,
    },
}

/// The settings overrides a command's database arguments give.
pub(crate) fn overrides(db: &DbArgs) -> Overrides {
    Overrides {
        database_url: db.database_url.clone(),
        config: db.config.clone(),
        ..Overrides::default()
    }
}

/// Runs a parsed command line and gives the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    if let Command::Expr(args) = &cli.command {
        return crate::cli_expr::run(args);
    }
    crate::telemetry::init();
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
            Command::Serve(args) => serve(args).await,
            Command::ApiToken(ApiTokenCommand::Create { name, db }) => {
                create_api_token(&name, &db).await
            }
            Command::Expr(_) => Ok(()),
            Command::Apply(a) => crate::cli_org::apply(&a.file, a.dry_run, &a.db).await,
            Command::Export(a) => crate::cli_org::export(a.output.as_deref(), &a.db).await,
            Command::Token(TokenCommand::Decode { jwt }) => crate::cli_token::run_decode(jwt).await,
            Command::Token(TokenCommand::Get {
                issuer,
                client_id,
                username,
                password,
                redirect_uri,
                scope,
                response_type,
            }) => {
                crate::cli_token::run_get(crate::cli_token::GetArgs {
                    issuer,
                    client_id,
                    username,
                    password,
                    redirect_uri,
                    scope,
                    response_type,
                })
                .await
            }
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
    o.bootstrap_token = args.bootstrap_token;
    o.master_key = std::env::var("TOLLGATE_MASTER_KEY").ok();
    o.sign_in = crate::config::SignInOverrides {
        password_hash_concurrency: args.password_hash_concurrency,
        password_hash_wait_ms: args.password_hash_wait_ms,
        failed_sign_ins_per_ip: args.failed_sign_ins_per_ip,
        failed_sign_ins_per_username: args.failed_sign_ins_per_username,
        failed_sign_in_window_secs: args.failed_sign_in_window_secs,
    };
    // The demo's admin token and password are public: keep them out of a real database
    // unless one is named explicitly.
    if args.demo && o.database_url.is_none() && o.config.is_none() {
        o.database_url = Some(crate::demo::DEMO_DATABASE_URL.to_owned());
    }
    let settings = config::resolve(&o)?;
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
    let database = settings.database_url.to_string();
    let server = Server::bind(settings, Clock::System).await?;
    let base = server.public_url().to_owned();
    let mut applied = String::new();
    if args.demo {
        applied.push_str(
            &crate::cli_org::apply_org(
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
            &crate::cli_org::apply_org(server.store(), name, text, false, "serve --config-org")
                .await?,
        );
    }
    println!(
        "Tollgate {} listening on http://{}",
        env!("CARGO_PKG_VERSION"),
        server.local_addr()
    );
    println!("  public URL:  {base}");
    println!("  database:    {database} ({})", server.store().backend());
    println!("  org issuer:  {base}  (custom server: {base}/oauth2/default)");
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
    if args.demo {
        let exe = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "tollgate".to_owned());
        print!("{}", crate::demo::banner(&base, &exe));
    }
    server.run(shutdown_signal()).await
}

async fn create_api_token(name: &str, db: &DbArgs) -> anyhow::Result<()> {
    let name = name.trim();
    if name.is_empty() {
        anyhow::bail!("--name must not be empty");
    }
    let url = config::database_url(&overrides(db))?;
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
