//! The password-hashing ceiling for `bench/flows-load.sh`: bare argon2id verifications per
//! second on all cores, with the server's own code and parameters (`tollgate_core::password`:
//! the stored hash comes from `password::hash`, each verification is `password::verify_in` with
//! a reusable working memory per thread, as the server's hashing threads do). No HTTP, no
//! database: what a sign-in flow can reach at most when the password hash is its only cost.
//!
//! ```sh
//! cargo run --release -p tollgate --example hash_ceiling -- [SECONDS] [THREADS]
//! ```
//! SECONDS defaults to 5, THREADS to the number of cores. The last line is machine-readable:
//! `RESULT <verifications/s> <verifications> <threads> <seconds> <params>`.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use tollgate_core::password::{self, Memory};
use tollgate_core::secret::Secret;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
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

    let pw = Secret::new("Bench-Ceiling-2026");
    let hash = password::hash(&pw).map_err(|e| anyhow!("hashing the reference password: {e}"))?;
    // `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`: the fourth field is the cost.
    let params = hash.split('$').nth(3).unwrap_or("?").to_owned();

    let count = AtomicU64::new(0);
    let wrong = AtomicU64::new(0);
    let start_line = Barrier::new(threads + 1);
    let run_for = Duration::from_secs_f64(seconds);
    let elapsed = std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut memory = Memory::default();
                // One untimed verification: the working memory is allocated before the clock.
                if !password::verify_in(&mut memory, &pw, &hash) {
                    wrong.fetch_add(1, Ordering::Relaxed);
                }
                start_line.wait();
                let start = Instant::now();
                while start.elapsed() < run_for {
                    if password::verify_in(&mut memory, &pw, &hash) {
                        count.fetch_add(1, Ordering::Relaxed);
                    } else {
                        wrong.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
        start_line.wait();
        let start = Instant::now();
        // The scope joins the threads before returning; time is read after that.
        start
    })
    .elapsed();

    let wrong = wrong.load(Ordering::Relaxed);
    if wrong > 0 {
        bail!("{wrong} verifications of the right password failed");
    }
    let count = count.load(Ordering::Relaxed);
    let secs = elapsed.as_secs_f64();
    let rate = count as f64 / secs;
    println!(
        "argon2id ({params}): {rate:.1} verifications/s on {threads} threads ({count} in {secs:.2} s)"
    );
    println!("RESULT {rate:.1} {count} {threads} {secs:.2} {params}");
    Ok(())
}
