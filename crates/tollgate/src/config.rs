//! Settings: defaults, then an optional TOML file, then `TOLLGATE_*` variables and flags
//! (clap gives flags and their environment twins the same precedence over the file), validated
//! into [`Settings`] with messages that say what to fix.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;
use tollgate_core::secret::Secret;
use tollgate_core::token::sealed::MasterKey;
use tollgate_store::DatabaseUrl;

pub mod database;
pub mod observability;
pub mod public_url;
pub mod sign_in;
pub mod smtp;
pub use database::DatabaseOverrides;
pub use public_url::validate_public_url;
pub use sign_in::{SignInLimits, SignInOverrides};

/// The address `serve` listens on when nothing else is said.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The validated settings of a server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Where the data lives.
    pub database_url: DatabaseUrl,
    /// The public origin used in issuers and `_links` (no trailing slash); `None` means
    /// `http://` (`https://` with TLS) + the address actually bound.
    pub public_url: Option<String>,
    /// The certificate and key to serve HTTPS with; `None` serves plain HTTP.
    pub tls: Option<crate::tls::TlsFiles>,
    /// An admin API token to register at start (idempotent).
    pub bootstrap_token: Option<Secret>,
    /// The login of the org's first super admin (`--admin-login`) [default: `admin@` + the
    /// public URL's host].
    pub admin_login: Option<String>,
    /// The first admin's password when it is created; `None` generates one (shown once).
    pub admin_password: Option<Secret>,
    /// Requests per minute per admin API token (`/api/v1` with `SSWS`) before `429`.
    pub rate_limit_per_minute: u32,
    /// Requests per minute per client address on `/api/v1/authn`, `/login` and `/signin/...`.
    pub rate_limit_authn_per_minute: u32,
    /// Requests per minute per OAuth client id on `/oauth2/...`.
    pub rate_limit_oauth_per_minute: u32,
    /// Requests per minute per client address for calls without a credential, and for calls
    /// whose credential was refused.
    pub rate_limit_anonymous_per_minute: u32,
    /// Rate-limit keys (tokens, addresses, client ids) held in memory at most.
    pub rate_limit_max_keys: u32,
    /// How long System Log events are kept.
    pub log_retention_days: u32,
    /// The key that encrypts signing keys at rest (`TOLLGATE_MASTER_KEY`); `None` means a key
    /// file beside a SQLite database (PostgreSQL requires the key).
    pub master_key: Option<MasterKey>,
    /// Wrong passwords in a row that lock an account (Okta's default policy: 10).
    pub lockout_attempts: u32,
    /// Minutes after which a locked account unlocks by itself; 0 = only an admin unlocks it.
    pub lockout_unlock_minutes: u32,
    /// Bounds on password hashing and on failed sign-ins.
    pub sign_in: SignInLimits,
    /// The database pool's size and patience.
    pub database: tollgate_store::PoolSettings,
    /// Log format, metrics listener, trusted proxies.
    pub observability: observability::Observability,
    /// Where e-mail goes; `None` keeps it in the local outbox.
    pub smtp: Option<smtp::Smtp>,
}

impl Settings {
    /// Settings for a server on `listen` with data at `database_url` and every default.
    pub fn new(listen: SocketAddr, database_url: DatabaseUrl) -> Self {
        Self {
            listen,
            database_url,
            public_url: None,
            tls: None,
            bootstrap_token: None,
            admin_login: None,
            admin_password: None,
            rate_limit_per_minute: 6000,
            rate_limit_authn_per_minute: 600,
            rate_limit_oauth_per_minute: 2000,
            rate_limit_anonymous_per_minute: 1200,
            rate_limit_max_keys: 100_000,
            log_retention_days: 90,
            master_key: None,
            lockout_attempts: 10,
            lockout_unlock_minutes: 0,
            sign_in: SignInLimits::default(),
            database: tollgate_store::PoolSettings::default(),
            observability: observability::Observability::default(),
            smtp: None,
        }
    }

    /// The rate limiter's budgets.
    pub fn rate_limits(&self) -> crate::http::rate_limit::Limits {
        crate::http::rate_limit::Limits {
            admin: self.rate_limit_per_minute,
            authn: self.rate_limit_authn_per_minute,
            oauth: self.rate_limit_oauth_per_minute,
            anonymous: self.rate_limit_anonymous_per_minute,
            max_keys: usize::try_from(self.rate_limit_max_keys).unwrap_or(usize::MAX),
        }
    }
}

/// The TOML file's shape; every key optional. Unknown keys are an error so typos are caught.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct FileSettings {
    /// `listen = "127.0.0.1:8080"`.
    pub listen: Option<String>,
    /// `database_url = "sqlite://tollgate.db"`.
    pub database_url: Option<String>,
    /// `public_url = "https://id.example.com"`.
    pub public_url: Option<String>,
    /// `bootstrap_token = "..."`.
    pub bootstrap_token: Option<String>,
    /// `tls_cert = "cert.pem"` (with `tls_key`: serve HTTPS).
    pub tls_cert: Option<PathBuf>,
    /// `tls_key = "key.pem"`.
    pub tls_key: Option<PathBuf>,
    /// `rate_limit_per_minute = 6000` (per admin token).
    pub rate_limit_per_minute: Option<u32>,
    /// `rate_limit_authn_per_minute = 600`.
    pub rate_limit_authn_per_minute: Option<u32>,
    /// `rate_limit_oauth_per_minute = 2000`.
    pub rate_limit_oauth_per_minute: Option<u32>,
    /// `rate_limit_anonymous_per_minute = 1200`.
    pub rate_limit_anonymous_per_minute: Option<u32>,
    /// `rate_limit_max_keys = 100000`.
    pub rate_limit_max_keys: Option<u32>,
    /// `log_retention_days = 90`.
    pub log_retention_days: Option<u32>,
    /// `lockout_attempts = 10`.
    pub lockout_attempts: Option<u32>,
    /// `lockout_unlock_minutes = 0`.
    pub lockout_unlock_minutes: Option<u32>,
    /// A `[sign_in]` table: `password_hash_concurrency`, `password_hash_wait_ms`,
    /// `failed_sign_ins_per_ip`, `failed_sign_ins_per_username`, `failed_sign_in_window_secs`.
    pub sign_in: SignInOverrides,
    /// A `[database]` table: `max_connections`, `acquire_timeout_ms`.
    pub database: DatabaseOverrides,
    /// An `[observability]` table: `log_format`, `metrics_listen`, `trusted_proxies`,
    /// `forwarded_header`.
    pub observability: observability::ObservabilityOverrides,
    /// An `[smtp]` table: `host`, `port`, `security`, `username`, `password`, `from`, `ca_file`.
    pub smtp: smtp::SmtpOverrides,
}

impl FileSettings {
    /// Reads `path`, or gives the defaults when there is no file.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let Some(path) = path else {
            return Ok(Self::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the settings file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("invalid settings file {}", path.display()))
    }
}

/// Values from flags or the environment; each wins over the file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--listen` / `TOLLGATE_LISTEN`.
    pub listen: Option<String>,
    /// `--database-url` / `TOLLGATE_DATABASE_URL`.
    pub database_url: Option<String>,
    /// `--public-url` / `TOLLGATE_PUBLIC_URL`.
    pub public_url: Option<String>,
    /// `--bootstrap-token` / `TOLLGATE_BOOTSTRAP_TOKEN`.
    pub bootstrap_token: Option<String>,
    /// `--admin-login` / `TOLLGATE_ADMIN_LOGIN`.
    pub admin_login: Option<String>,
    /// `--tls-cert` / `TOLLGATE_TLS_CERT`.
    pub tls_cert: Option<PathBuf>,
    /// `--tls-key` / `TOLLGATE_TLS_KEY`.
    pub tls_key: Option<PathBuf>,
    /// `--config` / `TOLLGATE_CONFIG`.
    pub config: Option<PathBuf>,
    /// `TOLLGATE_MASTER_KEY` (environment only, never a flag or the file).
    pub master_key: Option<String>,
    /// `--rate-limit-admin` / `TOLLGATE_RATE_LIMIT_ADMIN`, `--rate-limit-authn`,
    /// `--rate-limit-oauth`, `--rate-limit-anonymous`, `--rate-limit-max-keys` (same
    /// order as [`FileSettings`]' keys).
    pub rate_limits: [Option<u32>; 5],
    /// `--password-hash-concurrency`, `--failed-sign-ins-per-ip` and the other sign-in bounds.
    pub sign_in: SignInOverrides,
    /// `--db-max-connections`, `--db-acquire-timeout-ms`.
    pub database: DatabaseOverrides,
    /// `--log-format`, `--metrics-listen`, `--trusted-proxies`.
    pub observability: observability::ObservabilityOverrides,
    /// `--smtp-host`, `--smtp-port`, `TOLLGATE_SMTP_PASSWORD` and the other SMTP settings.
    pub smtp: smtp::SmtpOverrides,
}

/// Resolves the database URL alone (commands that only open the database).
pub fn database_url(o: &Overrides) -> anyhow::Result<DatabaseUrl> {
    let file = FileSettings::load(o.config.as_deref())?;
    parse_database_url(o.database_url.clone().or(file.database_url))
}

fn parse_database_url(raw: Option<String>) -> anyhow::Result<DatabaseUrl> {
    match raw {
        None => Ok(DatabaseUrl::default_sqlite()),
        Some(s) => s
            .parse::<DatabaseUrl>()
            .with_context(|| "--database-url / TOLLGATE_DATABASE_URL".to_owned()),
    }
}

/// Builds validated settings.
pub fn resolve(o: &Overrides) -> anyhow::Result<Settings> {
    let file = FileSettings::load(o.config.as_deref())?;
    let listen_raw = o
        .listen
        .clone()
        .or(file.listen)
        .unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    let listen: SocketAddr = listen_raw.parse().with_context(|| {
        format!(
            "--listen / TOLLGATE_LISTEN: {listen_raw:?} is not an address such as 127.0.0.1:8080"
        )
    })?;
    let database_url = parse_database_url(o.database_url.clone().or(file.database_url))?;
    let public_url = match o.public_url.clone().or(file.public_url) {
        Some(raw) => Some(validate_public_url(&raw)?),
        None => None,
    };
    let bootstrap_token = match o.bootstrap_token.clone().or(file.bootstrap_token) {
        Some(t) if t.trim().len() < 16 => {
            bail!("--bootstrap-token / TOLLGATE_BOOTSTRAP_TOKEN must be at least 16 characters")
        }
        Some(t) => Some(Secret::new(t.trim())),
        None => None,
    };
    let mut settings = Settings::new(listen, database_url);
    settings.public_url = public_url;
    settings.bootstrap_token = bootstrap_token;
    settings.admin_login = o.admin_login.clone();
    settings.tls = crate::tls::files(
        o.tls_cert.clone().or(file.tls_cert),
        o.tls_key.clone().or(file.tls_key),
    )?;
    if let Some(raw) = o.master_key.as_deref().filter(|k| !k.trim().is_empty()) {
        settings.master_key =
            Some(MasterKey::parse(raw).map_err(|e| anyhow::anyhow!("TOLLGATE_MASTER_KEY: {e}"))?);
    }
    let [admin, authn, oauth, anonymous, max_keys] = o.rate_limits;
    for (name, flag, from_file, target) in [
        (
            "rate_limit_per_minute",
            admin,
            file.rate_limit_per_minute,
            &mut settings.rate_limit_per_minute,
        ),
        (
            "rate_limit_authn_per_minute",
            authn,
            file.rate_limit_authn_per_minute,
            &mut settings.rate_limit_authn_per_minute,
        ),
        (
            "rate_limit_oauth_per_minute",
            oauth,
            file.rate_limit_oauth_per_minute,
            &mut settings.rate_limit_oauth_per_minute,
        ),
        (
            "rate_limit_anonymous_per_minute",
            anonymous,
            file.rate_limit_anonymous_per_minute,
            &mut settings.rate_limit_anonymous_per_minute,
        ),
        (
            "rate_limit_max_keys",
            max_keys,
            file.rate_limit_max_keys,
            &mut settings.rate_limit_max_keys,
        ),
    ] {
        if let Some(value) = flag.or(from_file) {
            if value == 0 {
                bail!("{name} (or its --rate-limit-* flag) must be at least 1");
            }
            *target = value;
        }
    }
    if let Some(days) = file.log_retention_days {
        if days == 0 {
            bail!("log_retention_days must be at least 1");
        }
        settings.log_retention_days = days;
    }
    if let Some(n) = file.lockout_attempts {
        if n == 0 {
            bail!("lockout_attempts must be at least 1");
        }
        settings.lockout_attempts = n;
    }
    if let Some(m) = file.lockout_unlock_minutes {
        settings.lockout_unlock_minutes = m;
    }
    settings.sign_in = o.sign_in.clone().or(file.sign_in).resolve()?;
    settings.database = o.database.clone().or(file.database).resolve()?;
    settings.observability = o.observability.clone().or(file.observability).resolve()?;
    settings.smtp = o.smtp.clone().or(file.smtp).resolve()?;
    Ok(settings)
}

#[cfg(test)]
mod tests;
