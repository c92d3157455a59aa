//! Starting and stopping a server: bind, open and bootstrap the database, serve until told to
//! stop, let in-flight requests finish, close the database.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tollgate_core::Clock;
use tollgate_core::secret::Secret;
use tollgate_core::server::DEFAULT_SERVER_ID;
use tollgate_core::token::keys::ORG_KEY_SET;
use tollgate_store::Store;

use crate::config::Settings;
use crate::config::public_url::{default_public_url, wildcard_warning};
use crate::first_admin::FirstAdmin;
use crate::keys::master::wrong_key;
use crate::keys::{Keyring, KeyringError};
use crate::router::router;
use crate::state::AppState;
use crate::tls::{HangupReload, Tls};

/// A server that is bound and bootstrapped but not yet serving.
pub struct Server {
    listener: TcpListener,
    tls: Option<HangupReload>,
    metrics_listener: Option<TcpListener>,
    state: AppState,
    local_addr: SocketAddr,
    first_token: Option<Secret>,
    first_admin: Option<FirstAdmin>,
    org_created: bool,
    master_key_file: Option<PathBuf>,
}

impl Server {
    /// Binds the listener, opens (creating and migrating) the database, and makes sure the
    /// org, the `default` authorization server and an admin token exist.
    pub async fn bind(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let (listener, tls, metrics_listener) = listen(&settings).await?;
        let local_addr = listener.local_addr()?;
        // Installed before anything is counted; a no-op after the first server.
        crate::telemetry::prometheus::handle();
        crate::keys::master::check_source(&settings)?;
        let store = Store::connect_with(&settings.database_url, &settings.database)
            .await
            .with_context(|| format!("cannot open the database {}", settings.database_url))?;
        // Keys sealed with another master key must never get a new key file beside them.
        let holds_keys = store.has_signing_keys().await?;
        let master = crate::keys::master::resolve(&settings, holds_keys)?;
        let boot = bootstrap(&store, &settings, clock.now()).await?;
        if let Some(warning) = wildcard_warning(settings.listen, settings.public_url.is_some()) {
            tracing::warn!("{warning}");
        }
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| default_public_url(local_addr, tls.is_some()));
        let first_admin =
            crate::first_admin::ensure(&store, &settings, &public_url, boot.created, clock.now())
                .await
                .context("cannot create the org's first admin")?;
        let keyring = Keyring::new(store.clone(), master.key, clock.clone());
        open_signing_keys(&store, &keyring, master.file.as_deref()).await?;
        let mailer = crate::mail::Mailer::new(settings.smtp.as_ref())?;
        let state = AppState::new(store, keyring, clock, public_url, &settings, mailer);
        Ok(Self {
            listener,
            tls,
            metrics_listener,
            state,
            local_addr,
            first_token: boot.first_token,
            first_admin,
            org_created: boot.created,
            master_key_file: master.file,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Whether the server speaks HTTPS.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Where `/metrics` is served apart, with `--metrics-listen`.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
    }

    /// The public origin links and issuers use.
    pub fn public_url(&self) -> &str {
        self.state.public_url()
    }

    /// The admin token generated for an empty database, if this start made one.
    pub fn first_token(&self) -> Option<&Secret> {
        self.first_token.as_ref()
    }

    /// The super admin user this start created (with its password, shown once), if any.
    pub fn first_admin(&self) -> Option<&FirstAdmin> {
        self.first_admin.as_ref()
    }

    /// The key file the master key came from (SQLite without `TOLLGATE_MASTER_KEY`).
    pub fn master_key_file(&self) -> Option<&Path> {
        self.master_key_file.as_deref()
    }

    /// Whether this start created the org (the database was empty).
    pub fn org_created(&self) -> bool {
        self.org_created
    }

    /// The store, for commands that run beside the server.
    pub fn store(&self) -> &Store {
        self.state.store()
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish and closes the
    /// database.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let store = self.state.store().clone();
        // Housekeeping counts its database use apart from the requests' (`Store::stats`).
        let housekeeping = store.with_own_stats();
        let retention = tokio::spawn(enforce_retention(
            housekeeping.clone(),
            self.state.clock().clone(),
            self.state.log_retention_days(),
        ));
        let key_schedule = tokio::spawn(crate::keys::schedule::run(
            self.state.keyring().clone(),
            housekeeping,
            self.state.clock().clone(),
        ));
        let events = self.state.events().clone();
        let upkeep = tokio::spawn(crate::telemetry::prometheus::upkeep());
        let metrics = self.metrics_listener.map(|listener| {
            let app = crate::telemetry::prometheus::router(self.state.clone());
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            })
        });
        let app = router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        let served = match self.tls {
            None => {
                axum::serve(self.listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
            }
            Some(tls) => serve_tls(self.listener, tls, app, shutdown).await,
        };
        retention.abort();
        key_schedule.abort();
        upkeep.abort();
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        // Wait for the aborts to land so no cleanup query races the pool closing below.
        let _ = retention.await;
        let _ = key_schedule.await;
        events.flush().await;
        store.close().await;
        served.context("the HTTP server failed")
    }

    /// Serves in the background; [`Running::stop`] shuts it down gracefully.
    pub fn spawn(self) -> Running {
        let (tx, rx) = oneshot::channel::<()>();
        let addr = self.local_addr;
        let metrics_addr = self.metrics_addr();
        let public_url = self.public_url().to_owned();
        let store = self.state.store().clone();
        let handle = tokio::spawn(self.run(async move {
            let _ = rx.await;
        }));
        Running {
            addr,
            metrics_addr,
            public_url,
            stop: Some(tx),
            handle,
            store,
        }
    }
}

/// Serves HTTPS on `listener` until `shutdown` completes, then lets in-flight requests finish;
/// SIGHUP reloads the certificate meanwhile.
async fn serve_tls(
    listener: TcpListener,
    tls: HangupReload,
    app: axum::extract::connect_info::IntoMakeServiceWithConnectInfo<axum::Router, SocketAddr>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    let stop = tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(None);
    });
    let config = tls.rustls();
    let reload = tokio::spawn(tls.run());
    let acceptor =
        axum_server::tls_rustls::RustlsAcceptor::new(config).acceptor(crate::tls::RefusePlainHttp);
    let served = match axum_server::from_tcp(listener.into_std()?) {
        Ok(server) => server.acceptor(acceptor).handle(handle).serve(app).await,
        Err(e) => Err(e),
    };
    stop.abort();
    reload.abort();
    served
}

/// Deletes System Log events older than the retention period, at start and then hourly. The
/// delete is idempotent, so every server process sharing a database may run it.
async fn enforce_retention(store: Store, clock: Clock, retention_days: u32) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let days = i64::from(retention_days);
        let cutoff = clock.now().plus_seconds(-days * 24 * 3600);
        if let Err(e) = store.purge_sessions(clock.now()).await {
            tracing::warn!(error = %e, "expired session cleanup failed");
        }
        // Outbox links expire within a week; their messages go after it.
        if let Err(e) = store
            .purge_outbox(clock.now().plus_seconds(-7 * 24 * 3600))
            .await
        {
            tracing::warn!(error = %e, "outbox cleanup failed");
        }
        if let Err(e) = store.purge_oauth(clock.now()).await {
            tracing::warn!(error = %e, "expired code and token cleanup failed");
        }
        match store.purge_logs(cutoff).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                events = n,
                "deleted System Log events past the retention period"
            ),
            Err(e) => tracing::warn!(error = %e, "System Log retention cleanup failed"),
        }
    }
}

/// A server serving in the background.
pub struct Running {
    /// The bound address.
    pub addr: SocketAddr,
    /// The `--metrics-listen` address, when `/metrics` is served apart.
    pub metrics_addr: Option<SocketAddr>,
    /// The public origin.
    pub public_url: String,
    stop: Option<oneshot::Sender<()>>,
    handle: JoinHandle<anyhow::Result<()>>,
    store: Store,
}

impl Running {
    /// The server's store (its [`tollgate_store::Stats`] count the server's database use).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Stops accepting connections, waits for in-flight requests, closes the database.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        (&mut self.handle).await.context("the server task failed")?
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// The main listener (with its certificate, reloaded on SIGHUP) and the metrics listener. Bad
/// certificate files stop the start before anything is opened.
async fn listen(
    settings: &Settings,
) -> anyhow::Result<(TcpListener, Option<HangupReload>, Option<TcpListener>)> {
    let tls = match settings.tls.clone() {
        Some(files) => Some(Tls::load(files)?.watch_hangups()?),
        None => None,
    };
    let listener = TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let metrics = match settings.observability.metrics_listen {
        Some(addr) => Some(
            TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} (--metrics-listen)"))?,
        ),
        None => None,
    };
    Ok((listener, tls, metrics))
}

/// Makes sure the org and its first admin token exist: the bootstrap token when given, else one
/// generated for an empty database and shown once.
async fn bootstrap(
    store: &Store,
    settings: &Settings,
    now: tollgate_core::Timestamp,
) -> anyhow::Result<tollgate_store::Bootstrap> {
    let first_token_name = settings.bootstrap_token.is_none().then_some("admin");
    let boot = store
        .bootstrap(now, first_token_name)
        .await
        .context("cannot initialise the database")?;
    if let Some(token) = &settings.bootstrap_token {
        store
            .register_api_token("bootstrap", &token.digest(), None, now)
            .await
            .context("cannot register the bootstrap token")?;
    }
    Ok(boot)
}

/// Opens the org's and `default`'s signing keys (a wrong master key stops the start here); a
/// fresh org's are generated in the background, so the server answers at once and whatever
/// needs them (JWKS, signing) waits for that one generation.
async fn open_signing_keys(
    store: &Store,
    keyring: &Keyring,
    master_file: Option<&Path>,
) -> anyhow::Result<()> {
    for server_id in [ORG_KEY_SET, DEFAULT_SERVER_ID] {
        if store.keys(server_id).await?.is_empty() {
            let (keyring, id, store) = (keyring.clone(), server_id.to_owned(), store.clone());
            tokio::spawn(async move {
                match keyring.ensure(&id).await {
                    Err(e) if store.is_closed() => {
                        tracing::debug!(server = %id, error = %e, "shut down before signing keys were made");
                    }
                    Err(e) => {
                        tracing::error!(server = %id, error = %e, "cannot create signing keys")
                    }
                    Ok(_) => {}
                }
            });
            continue;
        }
        keyring.ensure(server_id).await.map_err(|e| match e {
            KeyringError::Crypto { .. } => anyhow::anyhow!(wrong_key(master_file, server_id)),
            other => anyhow::Error::new(other)
                .context(format!("cannot load the signing keys of {server_id}")),
        })?;
    }
    Ok(())
}
