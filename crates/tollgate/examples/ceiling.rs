//! The crypto ceilings for `bench/flows-load.sh`, with the server's own code and parameters, on
//! all cores, with no HTTP and no database: what a flow can reach at most when its hash or its
//! signature is its only cost.
//!
//! - `argon2id`: verifications of the right password against a hash made by
//!   `tollgate_core::password::hash`, each with `password::verify_in` and a working memory reused
//!   per thread, as the server's hashing threads do.
//! - `rs256`: `tollgate_core::token::jws::SigningKey::sign_json` of a typical access token's
//!   claims with a fresh 2048-bit key (the server's signer; `openssl speed` measures OpenSSL's).
//!
//! ```sh
//! cargo run --release -p tollgate --example ceiling -- argon2id|rs256 [SECONDS] [THREADS]
//! ```
//! SECONDS defaults to 5, THREADS to the number of cores. The last line is machine-readable:
//! `RESULT <operations/s> <operations> <threads> <seconds> <parameters>`.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use serde_json::json;
use tollgate_core::password::{self, Memory};
use tollgate_core::secret::Secret;
use tollgate_core::token::jws::SigningKey;
use tollgate_core::token::keys::GeneratedKey;

/// Runs `step` on `threads` threads for `run_for` (each thread's state from `init`, made and
/// used once before the clock starts); the successful steps and the seconds they took.
fn measure<S>(
    threads: usize,
    run_for: Duration,
    init: impl Fn() -> S + Sync,
    step: impl Fn(&mut S) -> bool + Sync,
) -> anyhow::Result<(u64, f64)> {
    let count = AtomicU64::new(0);
    let failed = AtomicU64::new(0);
    let start_line = Barrier::new(threads + 1);
    let elapsed = std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut state = init();
                if !step(&mut state) {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
                start_line.wait();
                let start = Instant::now();
                while start.elapsed() < run_for {
                    let counter = if step(&mut state) { &count } else { &failed };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        start_line.wait();
        // The scope joins the threads before returning; the time is read after that.
        Instant::now()
    })
    .elapsed();
    match failed.load(Ordering::Relaxed) {
        0 => Ok((count.load(Ordering::Relaxed), elapsed.as_secs_f64())),
        n => bail!("{n} operations failed"),
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let seconds: f64 = match args.next() {
        Some(s) => s
            .parse()
            .with_context(|| format!("SECONDS: not a number: {s}"))?,
        None => 5.0,
    };
    if !(seconds > 0.0 && seconds <= 600.0) {
        bail!("SECONDS must be in (0, 600], got {seconds}");
    }
    let threads: usize = match args.next() {
        Some(s) => s
            .parse()
            .with_context(|| format!("THREADS: not a number: {s}"))?,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    if threads == 0 {
        bail!("THREADS must be at least 1");
    }
    let run_for = Duration::from_secs_f64(seconds);
    let (unit, params, (count, secs)) = match what.as_str() {
        "argon2id" => {
            let pw = Secret::new("Bench-Ceiling-2026");
            let hash = password::hash(&pw).map_err(|e| anyhow!("hashing a password: {e}"))?;
            // `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`: the fourth field is the cost.
            let params = hash.split('$').nth(3).unwrap_or("?").to_owned();
            let step = |m: &mut Memory| password::verify_in(m, &pw, &hash);
            (
                "verifications",
                params,
                measure(threads, run_for, Memory::default, step)?,
            )
        }
        "rs256" => {
            let generated = GeneratedKey::generate().map_err(|e| anyhow!("RSA key: {e}"))?;
            let key = SigningKey::from_pkcs8(&generated.jwk.kid, generated.pkcs8())
                .map_err(|e| anyhow!("RSA key: {e}"))?;
            let claims = json!({"ver": 1, "jti": "AT.Zq5mV2yXbS0KdRUQpW4fN1tHc7gLoEa9iJ3vB8xYzAu",
                "iss": "http://127.0.0.1:18480/oauth2/default", "aud": "api://default",
                "iat": 1_764_270_000, "exp": 1_764_273_600, "cid": "0oa1b2c3d4e5f6g7h8i9",
                "scp": ["bench.read"], "sub": "0oa1b2c3d4e5f6g7h8i9"});
            let step = |(): &mut ()| key.sign_json(&claims).is_ok();
            (
                "signs",
                "RSA-2048".to_owned(),
                measure(threads, run_for, || (), step)?,
            )
        }
        other => bail!("what to measure: argon2id or rs256, not {other:?}"),
    };
    let rate = count as f64 / secs;
    println!("{what} ({params}): {rate:.1} {unit}/s on {threads} threads ({count} in {secs:.2} s)");
    println!("RESULT {rate:.1} {count} {threads} {secs:.2} {params}");
    Ok(())
}
