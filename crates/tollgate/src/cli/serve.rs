//! `tollgate serve`: settings from the flags, the demo and org files applied at start, the
//! banner, then the server until SIGTERM or Ctrl-C.

use tollgate_core::Clock;

use crate::cli::args::{ServeArgs, overrides};
use crate::cli::{db_file, org};
use crate::config::{self, Overrides};
use crate::first_admin::default_login;
use crate::server::{Server, shutdown_signal};

/// `tollgate serve`.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let demo = args.demo || args.demo_reset;
    let mut settings = config::resolve(&serve_overrides(&args, demo))?;
    if demo {
        settings.admin_password = Some(tollgate_core::secret::Secret::new(
            crate::demo::DEMO_ADMIN_PASSWORD,
        ));
    }
    crate::telemetry::init_with(settings.observability.log_format);
    // Read the org file before anything starts, so a bad file stops the start cleanly.
    let org_file = match &args.config_org {
        Some(path) => Some(read_org_file(path)?),
        None => None,
    };
    if args.demo_reset {
        crate::demo::reset(&settings.database_url).await?;
    }
    db_file::check_may_create(&settings.database_url, args.create || args.demo_reset)?;
    let database = settings.database_url.to_string();
    let admin_login = settings.admin_login.clone();
    let server = Server::bind(settings, Clock::System).await?;
    // The demo file is applied once, to the database it creates: later starts keep what the
    // user changed through the API.
    let demo_created = demo && server.org_created();
    let applied = apply_at_start(&server, demo_created, org_file.as_ref()).await?;
    print_banner(&server, &database);
    if !applied.is_empty() {
        println!();
        print!("{applied}");
    }
    if demo {
        let exe = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "tollgate".to_owned());
        let admin = admin_login.unwrap_or_else(|| default_login(server.public_url()));
        print!(
            "{}",
            crate::demo::banner(server.public_url(), &exe, &admin, demo_created)
        );
    }
    server.run(shutdown_signal()).await
}

/// The settings the flags (and their environment variables) give.
fn serve_overrides(args: &ServeArgs, demo: bool) -> Overrides {
    let mut o = overrides(&args.db);
    o.listen.clone_from(&args.listen);
    o.public_url.clone_from(&args.public_url);
    o.tls_cert.clone_from(&args.tls_cert);
    o.tls_key.clone_from(&args.tls_key);
    o.bootstrap_token.clone_from(&args.bootstrap_token);
    o.admin_login.clone_from(&args.admin_login);
    o.master_key = std::env::var("TOLLGATE_MASTER_KEY").ok();
    let l = &args.limits;
    o.rate_limits = [
        l.rate_limit_admin,
        l.rate_limit_authn,
        l.rate_limit_oauth,
        l.rate_limit_anonymous,
        l.rate_limit_max_keys,
    ];
    o.sign_in = config::SignInOverrides {
        password_hash_concurrency: args.password_hash_concurrency,
        password_hash_wait_ms: args.password_hash_wait_ms,
        failed_sign_ins_per_ip: args.failed_sign_ins_per_ip,
        failed_sign_ins_per_username: args.failed_sign_ins_per_username,
        failed_sign_in_window_secs: args.failed_sign_in_window_secs,
    };
    o.database = config::DatabaseOverrides {
        max_connections: args.db_max_connections,
        acquire_timeout_ms: args.db_acquire_timeout_ms,
    };
    // The demo's admin token and password are public: keep them out of a real database
    // unless one is named explicitly.
    if demo && o.database_url.is_none() && o.config.is_none() {
        o.database_url = Some(crate::demo::DEMO_DATABASE_URL.to_owned());
    }
    let m = &args.smtp;
    o.smtp = config::smtp::SmtpOverrides {
        host: m.smtp_host.clone(),
        port: m.smtp_port,
        security: m.smtp_security.clone(),
        username: m.smtp_username.clone(),
        password: std::env::var("TOLLGATE_SMTP_PASSWORD").ok(),
        from: m.smtp_from.clone(),
        ca_file: m.smtp_ca_file.clone(),
    };
    let obs = &args.observability;
    o.observability = config::observability::ObservabilityOverrides {
        log_format: obs.log_format.clone(),
        metrics_listen: obs.metrics_listen.clone(),
        trusted_proxies: obs
            .trusted_proxies
            .as_deref()
            .map(config::observability::split_list),
        forwarded_header: obs.forwarded_header.clone(),
    };
    o
}

/// The org file `--config-org` names, checked: (its name, its text).
fn read_org_file(path: &std::path::Path) -> anyhow::Result<(String, String)> {
    let name = path.display().to_string();
    let text = crate::orgfile::read(path)?;
    crate::orgfile::parse(&name, &text)?;
    Ok((name, text))
}

/// Applies the demo file (to a demo database just created) and the org file; what changed.
async fn apply_at_start(
    server: &Server,
    demo_created: bool,
    org_file: Option<&(String, String)>,
) -> anyhow::Result<String> {
    let mut applied = String::new();
    if demo_created {
        let demo = crate::demo::SEED_FILE;
        let scenario = crate::demo::SEED_SCENARIO;
        applied.push_str(
            &org::apply_org(server.store(), demo, scenario, false, "serve --demo").await?,
        );
    }
    if let Some((name, text)) = org_file {
        applied.push_str(
            &org::apply_org(server.store(), name, text, false, "serve --config-org").await?,
        );
    }
    Ok(applied)
}

/// Where the server listens, its database and issuers, and the first admin token if one was
/// made.
fn print_banner(server: &Server, database: &str) {
    let base = server.public_url();
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
    if let Some(admin) = server.first_admin() {
        println!();
        println!("Created the super admin user. Its password is shown only this once:");
        println!();
        println!("  login:    {}", admin.login);
        println!("  password: {}", admin.password.expose());
    }
}
