//! Every metric the server exports: its name, kind and labels are here and only here (the
//! README's Metrics section lists them). Label values are static strings or bounded sets
//! (route templates, authorization server ids), never raw paths or user input.

use std::time::Duration;

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};

const HTTP_REQUESTS: &str = "tollgate_http_requests_total";
const HTTP_DURATION: &str = "tollgate_http_request_duration_seconds";
const TOKENS: &str = "tollgate_tokens_issued_total";
const SIGN_INS: &str = "tollgate_sign_ins_total";
const LOCKOUTS: &str = "tollgate_lockouts_total";
const RATE_LIMITED: &str = "tollgate_rate_limited_total";
const LOG_QUEUE: &str = "tollgate_system_log_queue_depth";
const LOG_WRITE: &str = "tollgate_system_log_write_duration_seconds";
const LOG_EVENTS: &str = "tollgate_system_log_events_written_total";
const LOG_LOST: &str = "tollgate_system_log_events_lost_total";
const POOL_CONNECTIONS: &str = "tollgate_db_pool_connections";
const POOL_MAX: &str = "tollgate_db_pool_max_connections";
const POOL_WAIT: &str = "tollgate_db_pool_acquire_wait_seconds";
const POOL_TIMEOUTS: &str = "tollgate_db_pool_acquire_timeouts_total";
const CACHE: &str = "tollgate_cache_lookups_total";
const SIGNING: &str = "tollgate_token_signing_duration_seconds";

/// Registers each metric's help text (shown as `# HELP`).
pub fn describe() {
    for (name, help) in [
        (
            HTTP_REQUESTS,
            "HTTP requests by route template, method and status",
        ),
        (
            TOKENS,
            "Tokens issued by authorization server, grant type and token type",
        ),
        (SIGN_INS, "Password sign-ins by outcome"),
        (LOCKOUTS, "Accounts locked after too many wrong passwords"),
        (
            RATE_LIMITED,
            "Requests refused with 429 by rate-limit family",
        ),
        (LOG_EVENTS, "System Log events written by the batch writer"),
        (
            LOG_LOST,
            "System Log events lost after a failed insert and one retry",
        ),
        (
            POOL_TIMEOUTS,
            "Requests that waited too long for a database connection (503)",
        ),
        (
            CACHE,
            "In-memory cache lookups by cache and result (hit, revalidate, miss)",
        ),
    ] {
        describe_counter!(name, help);
    }
    for (name, help) in [
        (LOG_QUEUE, "System Log submissions waiting for the writer"),
        (
            POOL_CONNECTIONS,
            "Database connections open, by state (idle, in_use)",
        ),
        (POOL_MAX, "Database connections the pool opens at most"),
    ] {
        describe_gauge!(name, help);
    }
    for (name, help) in [
        (
            HTTP_DURATION,
            "HTTP request latency by route template, method and status",
        ),
        (LOG_WRITE, "Time to write one batch of System Log events"),
        (POOL_WAIT, "Time a query waited for a database connection"),
        (
            SIGNING,
            "Time to sign one token (RS256) on a signing thread",
        ),
    ] {
        describe_histogram!(name, help);
    }
}

/// One answered HTTP request. `route` is the route template (`unmatched` for none).
pub fn http_request(route: String, method: &'static str, status: u16, elapsed: Duration) {
    let labels = [
        ("route", route),
        ("method", method.to_owned()),
        ("status", status.to_string()),
    ];
    histogram!(HTTP_DURATION, &labels).record(elapsed.as_secs_f64());
    counter!(HTTP_REQUESTS, &labels).increment(1);
}

/// The tokens one request issued: an access token, an ID token, a refresh token.
pub fn tokens_issued(server: &str, grant_type: &'static str, [access, id, refresh]: [bool; 3]) {
    for (issued, token_type) in [
        (access, "access_token"),
        (id, "id_token"),
        (refresh, "refresh_token"),
    ] {
        if issued {
            let server = server.to_owned();
            counter!(TOKENS, "authorization_server" => server, "grant_type" => grant_type, "token_type" => token_type)
                .increment(1);
        }
    }
}

/// How a password sign-in ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    /// Right password, signed in.
    Success,
    /// Right password, but it must be changed first.
    PasswordExpired,
    /// No user with that login.
    UnknownUser,
    /// Wrong password.
    BadPassword,
    /// The account is locked (or every allowed attempt is under way).
    LockedOut,
    /// Right password, but the user may not sign in (status, or changed meanwhile).
    Refused,
    /// Refused before any check: too many failures from the address or for the username.
    Throttled,
}

impl SignInOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::PasswordExpired => "password_expired",
            Self::UnknownUser => "unknown_user",
            Self::BadPassword => "bad_password",
            Self::LockedOut => "locked_out",
            Self::Refused => "refused",
            Self::Throttled => "throttled",
        }
    }
}

/// One password sign-in attempt.
pub fn sign_in(outcome: SignInOutcome) {
    counter!(SIGN_INS, "outcome" => outcome.label()).increment(1);
}

/// An account locked by the lockout policy.
pub fn lockout() {
    counter!(LOCKOUTS).increment(1);
}

/// A request refused with 429 by the budget of `family`.
pub fn rate_limited(family: &'static str) {
    counter!(RATE_LIMITED, "family" => family).increment(1);
}

/// Submissions waiting in the System Log queue (read when scraped).
pub fn system_log_queue(depth: usize) {
    gauge!(LOG_QUEUE).set(depth as f64);
}

/// One batch of System Log events written.
pub fn system_log_write(events: usize, elapsed: Duration) {
    histogram!(LOG_WRITE).record(elapsed.as_secs_f64());
    counter!(LOG_EVENTS).increment(events as u64);
}

/// System Log events dropped after a failed insert and its retry.
pub fn system_log_lost(events: usize) {
    counter!(LOG_LOST).increment(events as u64);
}

/// The pool's connections: open, of which idle, and the most it opens (read when scraped).
pub fn database_pool(size: u32, idle: usize, max: u32) {
    let idle = idle as f64;
    gauge!(POOL_CONNECTIONS, "state" => "idle").set(idle);
    gauge!(POOL_CONNECTIONS, "state" => "in_use").set((f64::from(size) - idle).max(0.0));
    gauge!(POOL_MAX).set(f64::from(max));
}

/// One database connection handed out after waiting `secs`.
pub fn database_acquire(secs: f64) {
    histogram!(POOL_WAIT).record(secs);
}

/// A request that gave up waiting for a database connection.
pub fn database_acquire_timeout() {
    counter!(POOL_TIMEOUTS).increment(1);
}

/// One cache lookup: `hit` (served from memory), `revalidate` (stale, checked against the
/// database) or `miss` (loaded).
pub fn cache_lookup(cache: &'static str, result: &'static str) {
    counter!(CACHE, "cache" => cache, "result" => result).increment(1);
}

/// One token signature.
pub fn signing(elapsed: Duration) {
    histogram!(SIGNING).record(elapsed.as_secs_f64());
}
