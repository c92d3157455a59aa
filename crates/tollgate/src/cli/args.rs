//! The command line's arguments (clap), shared by the commands in [`super`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Overrides;

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
    Serve(Box<ServeArgs>),
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
    /// Copy a SQLite org and its master key into one archive, while the server runs.
    Backup(BackupArgs),
    /// Restore an archive made by `backup` into a new database (and its key file).
    Restore(RestoreArgs),
    /// List the e-mail kept in the local outbox (when no SMTP server is set), newest first,
    /// with the links in each message.
    Outbox(crate::cli::outbox::OutboxArgs),
    /// Make a local CA (kept and reused) and a certificate for localhost, 127.0.0.1 and ::1
    /// signed by it, for `serve --tls-cert/--tls-key` on this machine.
    DevCert(DevCertArgs),
}

/// `tollgate backup FILE`.
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The archive to write (a tar holding the database and its master key: keep it private).
    pub file: PathBuf,
    /// Database and settings file.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `tollgate restore FILE [--force]`.
#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The archive `tollgate backup` wrote.
    pub file: PathBuf,
    /// Replace an existing database and key file (stop the servers using them first).
    #[arg(long)]
    pub force: bool,
    /// Database and settings file.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `tollgate dev-cert [--dir DIR]`.
#[derive(Debug, Clone, Args)]
pub struct DevCertArgs {
    /// Where to write (and find) the files.
    #[arg(long, default_value = "tollgate-dev-cert")]
    pub dir: PathBuf,
}

/// `tollgate apply FILE [--dry-run]`.
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    /// The org file.
    pub file: PathBuf,
    /// Print what would change without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Create the SQLite database when it does not exist (needed unless it is the default).
    #[arg(long, conflicts_with = "dry_run")]
    pub create: bool,
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
    /// Print a JWT's header and payload and check its signature against the issuer's keys;
    /// exits non-zero when the signature is invalid or cannot be checked.
    Decode(TokenDecodeArgs),
    /// Sign in (with a username and password, or in a browser), run the authorization code
    /// flow with PKCE (or the implicit flow), and print the tokens decoded.
    Get(TokenGetArgs),
}

/// `tollgate token decode [--no-verify] [JWT | REDIRECT-URL]`.
#[derive(Debug, Clone, Args)]
pub struct TokenDecodeArgs {
    /// A JWT, or a whole redirect URL whose fragment or query carries `id_token` and/or
    /// `access_token` [default: read from standard input].
    pub input: Option<String>,
    /// Do not check the signature (the output says it was not checked).
    #[arg(long)]
    pub no_verify: bool,
    /// The issuer the token must come from, whose keys check its signature [default: the
    /// token's own iss claim, which whoever made the token chose].
    #[arg(long)]
    pub issuer: Option<String>,
}

/// The OAuth flow `token get` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Flow {
    /// Authorization code with PKCE (S256), the code exchanged at the token endpoint.
    Code,
    /// Implicit: the tokens come in the redirect's fragment.
    Implicit,
}

/// How a confidential client authenticates at the token endpoint (the app's
/// `token_endpoint_auth_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret.
    #[value(name = "client_secret_basic")]
    Basic,
    /// The client id and secret in the form body.
    #[value(name = "client_secret_post")]
    Post,
}

/// `tollgate token get`.
#[derive(Debug, Clone, Args)]
pub struct TokenGetArgs {
    /// The issuer: the org URL, or `{org}/oauth2/{authServerId}` (e.g. .../oauth2/default).
    #[arg(long)]
    pub issuer: String,
    /// The app's client id.
    #[arg(long)]
    pub client_id: String,
    /// The app's client secret (confidential clients; public clients send none).
    #[arg(long, env = "TOLLGATE_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// How the client secret is sent: the app's token_endpoint_auth_method.
    #[arg(long, value_enum, default_value_t = ClientAuth::Basic)]
    pub client_auth: ClientAuth,
    /// The user's login, signed in with --password. Without it, the code flow's authorize URL
    /// is printed to open in a browser, and the redirect awaited on a loopback --redirect-uri.
    #[arg(long)]
    pub username: Option<String>,
    /// The user's password.
    #[arg(long, env = "TOLLGATE_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// A redirect URI registered on the app. A loopback one (http://127.0.0.1:PORT/PATH,
    /// http://[::1]:PORT/PATH or http://localhost:PORT/PATH) is received on that port (0: a free
    /// one); any other is not visited: the code or tokens are read from the redirect.
    #[arg(long)]
    pub redirect_uri: String,
    /// The flow.
    #[arg(long, value_enum, default_value_t = Flow::Code)]
    pub flow: Flow,
    /// Space-separated scopes.
    #[arg(long, default_value = "openid groups")]
    pub scope: String,
    /// With --flow implicit: `id_token`, `token`, or `id_token token` [default: id_token].
    #[arg(long)]
    pub response_type: Option<String>,
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
    /// Database URL: sqlite://PATH or postgres://USER:PASS@HOST/DB.
    /// Default: sqlite://tollgate.db
    #[arg(long, env = "TOLLGATE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// A TOML settings file (keys: listen, database_url, public_url, tls_cert, tls_key, bootstrap_token,
    /// rate_limit_per_minute and the other rate_limit_* keys); flags and environment
    /// variables win over it.
    #[arg(long, env = "TOLLGATE_CONFIG")]
    pub config: Option<PathBuf>,
}

/// `tollgate serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TOLLGATE_LISTEN", default_value = None, help = "Address to listen on [default: 127.0.0.1:8080]")]
    pub listen: Option<String>,
    /// Public origin used in issuers and links [default: http:// (https:// with TLS) + the
    /// listen address, 127.0.0.1 or [::1] for a wildcard one].
    #[arg(long, env = "TOLLGATE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Serve HTTPS with this PEM certificate chain (with --tls-key); SIGHUP reloads both.
    #[arg(long, env = "TOLLGATE_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, env = "TOLLGATE_TLS_KEY")]
    pub tls_key: Option<PathBuf>,
    /// Register this string as an admin API token at start (idempotent).
    #[arg(long, env = "TOLLGATE_BOOTSTRAP_TOKEN", hide_env_values = true)]
    pub bootstrap_token: Option<String>,
    /// The login of the super admin user created with a new org (or on upgrading an org whose
    /// tokens have no owner) [default: admin@ + the public URL's host].
    #[arg(long, env = "TOLLGATE_ADMIN_LOGIN")]
    pub admin_login: Option<String>,
    /// Apply this org file at start (as `tollgate apply` does).
    #[arg(long, env = "TOLLGATE_CONFIG_ORG")]
    pub config_org: Option<PathBuf>,
    /// Run the built-in demo org (Okta's groups-claim guide), applied when its database is
    /// created, and print how to try it. Demo only: its admin token and password are public.
    /// The database defaults to sqlite://tollgate-demo.db; later starts keep your changes.
    #[arg(long)]
    pub demo: bool,
    /// Delete the demo database and start the demo over (implies --demo).
    #[arg(long)]
    pub demo_reset: bool,
    /// Create the SQLite database when it does not exist. Without it only the default file
    /// (tollgate.db, or tollgate-demo.db for --demo) is created on first use.
    #[arg(long)]
    pub create: bool,
    /// Rate limits.
    #[command(flatten)]
    pub limits: RateLimitArgs,
    /// Logs, metrics and proxies.
    #[command(flatten)]
    pub observability: ObservabilityArgs,
    /// E-mail delivery.
    #[command(flatten)]
    pub smtp: SmtpArgs,
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
    /// Database connections at most [default: 8 for SQLite, 16 for PostgreSQL].
    #[arg(long, env = "TOLLGATE_DB_MAX_CONNECTIONS")]
    pub db_max_connections: Option<u32>,
    /// Milliseconds a request waits for a database connection before 503 [default: 3000].
    #[arg(long, env = "TOLLGATE_DB_ACQUIRE_TIMEOUT_MS")]
    pub db_acquire_timeout_ms: Option<u64>,
}

/// Requests per minute per key of each endpoint family (file keys `rate_limit_*`).
#[derive(Debug, Clone, Args)]
pub struct RateLimitArgs {
    /// Per admin API token on /api/v1 [default: 6000].
    #[arg(long, env = "TOLLGATE_RATE_LIMIT_ADMIN")]
    pub rate_limit_admin: Option<u32>,
    /// Per client address on /api/v1/authn and /login [default: 600].
    #[arg(long, env = "TOLLGATE_RATE_LIMIT_AUTHN")]
    pub rate_limit_authn: Option<u32>,
    /// Per OAuth client id on /oauth2 [default: 2000].
    #[arg(long, env = "TOLLGATE_RATE_LIMIT_OAUTH")]
    pub rate_limit_oauth: Option<u32>,
    /// Per client address for anonymous calls and refused credentials [default: 1200].
    #[arg(long, env = "TOLLGATE_RATE_LIMIT_ANONYMOUS")]
    pub rate_limit_anonymous: Option<u32>,
    /// Rate-limit keys held in memory at most [default: 100000].
    #[arg(long, env = "TOLLGATE_RATE_LIMIT_MAX_KEYS")]
    pub rate_limit_max_keys: Option<u32>,
}

/// Logs, metrics and reverse proxies (file table `[observability]`).
#[derive(Debug, Clone, Args)]
pub struct ObservabilityArgs {
    /// Log lines as `text` or `json` (one object per line) [default: text].
    #[arg(long, env = "TOLLGATE_LOG_FORMAT", value_parser = ["text", "json"])]
    pub log_format: Option<String>,
    /// Serve /metrics on this address (e.g. 127.0.0.1:9090) instead of the main listener.
    #[arg(long, env = "TOLLGATE_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// Comma-separated networks (10.0.0.0/8,::1) of reverse proxies whose forwarding header
    /// gives the client address [default: none].
    #[arg(long, env = "TOLLGATE_TRUSTED_PROXIES")]
    pub trusted_proxies: Option<String>,
    /// The header those proxies set: x-forwarded-for or forwarded (RFC 7239); the other is
    /// ignored, since proxies pass a caller's own copy through [default: x-forwarded-for].
    #[arg(long, env = "TOLLGATE_FORWARDED_HEADER", value_parser = ["x-forwarded-for", "forwarded"])]
    pub forwarded_header: Option<String>,
}

/// Where e-mail goes (file table `[smtp]`); without a host, messages stay in the local outbox
/// (`tollgate outbox`).
#[derive(Debug, Clone, Args)]
pub struct SmtpArgs {
    /// SMTP server host; setting it sends activation, reset and recovery e-mail through it.
    #[arg(long, env = "TOLLGATE_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// SMTP port [default: 587, 465 with tls, 25 with none].
    #[arg(long, env = "TOLLGATE_SMTP_PORT")]
    pub smtp_port: Option<u16>,
    /// starttls (required), tls, or none (a local relay only) [default: starttls].
    #[arg(long, env = "TOLLGATE_SMTP_SECURITY", value_parser = ["starttls", "tls", "none"])]
    pub smtp_security: Option<String>,
    /// SMTP user name (the password comes from TOLLGATE_SMTP_PASSWORD or the file).
    #[arg(long, env = "TOLLGATE_SMTP_USERNAME")]
    pub smtp_username: Option<String>,
    /// The sender, e.g. "Acme <noreply@acme.com>".
    #[arg(long, env = "TOLLGATE_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// An extra PEM CA certificate to trust for the SMTP server.
    #[arg(long, env = "TOLLGATE_SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,
}

/// `tollgate api-token ...`.
#[derive(Debug, Subcommand)]
pub enum ApiTokenCommand {
    /// Create an admin API token and print it (it is stored hashed and cannot be shown again).
    Create {
        /// A name to recognise the token by.
        #[arg(long)]
        name: String,
        /// The admin user (login or id) the token acts as [default: the org's first super admin].
        #[arg(long)]
        owner: Option<String>,
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
