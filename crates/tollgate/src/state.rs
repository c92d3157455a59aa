//! The state every handler shares: cheap to clone, `Arc` inside.

use std::sync::Arc;

use tollgate_core::Clock;
use tollgate_store::Store;

use crate::caches::Caches;
use crate::caches::origins::OriginCache;
use crate::http::rate_limit::RateLimiter;
use crate::keys::Keyring;

/// Shared server state.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    keyring: Keyring,
    caches: Caches,
    clock: Clock,
    public_url: String,
    rate_limiter: RateLimiter,
    cors_origins: OriginCache,
    events: crate::events::EventBuffer,
    log_retention_days: u32,
    lockout_attempts: u32,
    lockout_unlock_minutes: u32,
    hasher: crate::login::hasher::Hasher,
    throttle: crate::login::throttle::Throttle,
    trusted_proxies: Vec<ipnet::IpNet>,
    forwarded_header: tollgate_core::client_address::ForwardedHeader,
    metrics_on_main: bool,
    mailer: crate::mail::Mailer,
}

impl AppState {
    /// State over `store`, answering with links under `public_url`.
    pub fn new(
        store: Store,
        keyring: Keyring,
        clock: Clock,
        public_url: String,
        settings: &crate::Settings,
        mailer: crate::mail::Mailer,
    ) -> Self {
        let events = crate::events::EventBuffer::start(store.clone());
        Self {
            inner: Arc::new(Inner {
                caches: Caches::new(store.clone(), clock.clone()),
                store,
                keyring,
                clock,
                public_url,
                rate_limiter: RateLimiter::new(settings.rate_limits()),
                cors_origins: OriginCache::default(),
                events,
                log_retention_days: settings.log_retention_days,
                lockout_attempts: settings.lockout_attempts,
                lockout_unlock_minutes: settings.lockout_unlock_minutes,
                hasher: crate::login::hasher::Hasher::new(
                    settings.sign_in.hash_concurrency,
                    settings.sign_in.hash_wait_ms,
                ),
                throttle: crate::login::throttle::Throttle::new(&settings.sign_in),
                trusted_proxies: settings.observability.trusted_proxies.clone(),
                forwarded_header: settings.observability.forwarded_header,
                metrics_on_main: settings.observability.metrics_listen.is_none(),
                mailer,
            }),
        }
    }

    /// Wrong passwords in a row that lock an account, and minutes until it unlocks by itself
    /// (0: never).
    pub fn lockout(&self) -> (u32, u32) {
        (
            self.inner.lockout_attempts,
            self.inner.lockout_unlock_minutes,
        )
    }

    /// The bounded pool that runs password hashes.
    pub fn hasher(&self) -> &crate::login::hasher::Hasher {
        &self.inner.hasher
    }

    /// This process's counts of failed sign-ins.
    pub fn sign_in_throttle(&self) -> &crate::login::throttle::Throttle {
        &self.inner.throttle
    }

    /// The reverse proxies whose forwarding header is believed, and that header.
    pub fn proxy_trust(
        &self,
    ) -> (
        &[ipnet::IpNet],
        tollgate_core::client_address::ForwardedHeader,
    ) {
        (&self.inner.trusted_proxies, self.inner.forwarded_header)
    }

    /// Whether `/metrics` is served on the main listener (no `--metrics-listen`).
    pub fn metrics_on_main(&self) -> bool {
        self.inner.metrics_on_main
    }

    /// Whether cookies must be `Secure` (the public URL is https).
    pub fn secure_cookies(&self) -> bool {
        self.inner.public_url.starts_with("https://")
    }

    /// How long System Log events are kept.
    pub fn log_retention_days(&self) -> u32 {
        self.inner.log_retention_days
    }

    /// The System Log buffer for OAuth traffic.
    pub fn events(&self) -> &crate::events::EventBuffer {
        &self.inner.events
    }

    /// Where e-mail goes.
    pub fn mailer(&self) -> &crate::mail::Mailer {
        &self.inner.mailer
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The signing keys of every authorization server.
    pub fn keyring(&self) -> &Keyring {
        &self.inner.keyring
    }

    /// What the token path keeps in memory.
    pub fn caches(&self) -> &Caches {
        &self.inner.caches
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The public origin, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// An absolute URL for `path` (which starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.inner.public_url)
    }

    /// This process's request budgets per endpoint family.
    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.inner.rate_limiter
    }

    /// This process's memory of which origins may make CORS calls.
    pub fn cors_origins(&self) -> &OriginCache {
        &self.inner.cors_origins
    }
}
