//! The code-flow load: each worker runs authn, authorize with the session token and the code
//! exchange with PKCE, back to back, until the time is up; flows still in flight then finish
//! (each request has a timeout) and count.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use reqwest::Client;

use crate::http::{authn, authorize, client, code_query, exchange};

/// `code` options.
#[derive(Debug, Clone, Args)]
pub struct CodeArgs {
    /// The server's origin, e.g. http://127.0.0.1:18480.
    #[arg(long)]
    base: String,
    /// The authorization server's id.
    #[arg(long, default_value = "default")]
    server: String,
    /// The web app's client id (client_secret_basic).
    #[arg(long)]
    client_id: String,
    /// The web app's client secret.
    #[arg(long)]
    client_secret: String,
    /// Logins to sign in as, comma-separated; worker i uses the (i mod n)-th.
    #[arg(long, value_delimiter = ',', required = true)]
    users: Vec<String>,
    /// Their password.
    #[arg(long)]
    password: String,
    /// Concurrent flows.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Seconds during which new flows start.
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 10.0)]
    timeout_secs: f64,
    /// The load generator's own threads.
    #[arg(long, default_value_t = 1)]
    pub client_threads: usize,
}

/// One worker's tally.
#[derive(Debug, Default)]
struct Tally {
    flows: Vec<Duration>,
    steps: [Vec<Duration>; 3],
    errors: u64,
    timeouts: u64,
    samples: Vec<String>,
}

impl Tally {
    fn absorb(&mut self, other: Tally) {
        self.flows.extend(other.flows);
        for (mine, theirs) in self.steps.iter_mut().zip(other.steps) {
            mine.extend(theirs);
        }
        self.errors += other.errors;
        self.timeouts += other.timeouts;
        for s in other.samples {
            if self.samples.len() < 5 && !self.samples.contains(&s) {
                self.samples.push(s);
            }
        }
    }
}

struct Worker {
    client: Client,
    server: String,
    credentials: (String, String),
    base: String,
    user: String,
    password: String,
}

impl Worker {
    /// One flow: the time of each step.
    async fn flow(&self, state: &str) -> anyhow::Result<[Duration; 3]> {
        let t0 = Instant::now();
        let token = authn(&self.client, &self.base, &self.user, &self.password).await?;
        let t1 = Instant::now();
        let query = code_query(&self.credentials.0, &token, state);
        let redirect = authorize(&self.client, &self.server, &query, None).await?;
        let Some(code) = redirect.params.get("code") else {
            bail!("authorize: no code in {:?}", redirect.params);
        };
        if redirect.params.get("state").map(String::as_str) != Some(state) {
            bail!(
                "authorize: state {:?}, sent {state}",
                redirect.params.get("state")
            );
        }
        let t2 = Instant::now();
        let creds = (self.credentials.0.as_str(), self.credentials.1.as_str());
        exchange(&self.client, &self.server, creds, code).await?;
        let t3 = Instant::now();
        Ok([t1 - t0, t2 - t1, t3 - t2])
    }

    async fn run(self, id: usize, until: Instant) -> Tally {
        let mut tally = Tally::default();
        let mut n = 0u64;
        while Instant::now() < until {
            n += 1;
            match self.flow(&format!("w{id}x{n}")).await {
                Ok(steps) => {
                    tally.flows.push(steps.iter().sum());
                    for (list, d) in tally.steps.iter_mut().zip(steps) {
                        list.push(d);
                    }
                }
                Err(e) => {
                    let timeout = e.chain().any(|c| {
                        c.downcast_ref::<reqwest::Error>()
                            .is_some_and(reqwest::Error::is_timeout)
                    });
                    if timeout {
                        tally.timeouts += 1;
                    } else {
                        tally.errors += 1;
                    }
                    let text = format!("{e:#}");
                    if tally.samples.len() < 5 && !tally.samples.contains(&text) {
                        tally.samples.push(text);
                    }
                    // No hot loop on an instant refusal.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
        tally
    }
}

/// The `p`-quantile (0..=1) of sorted durations, in milliseconds.
fn quantile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted.get(rank).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

pub async fn run(args: CodeArgs) -> anyhow::Result<()> {
    if args.concurrency == 0 || args.users.is_empty() {
        bail!("need at least one worker and one user");
    }
    if !(args.seconds > 0.0 && args.seconds <= 3600.0) {
        bail!("--seconds must be in (0, 3600]");
    }
    let timeout = Duration::from_secs_f64(args.timeout_secs);
    let http = client(timeout)?;
    let server = format!("{}/oauth2/{}", args.base, args.server);
    let start = Instant::now();
    let until = start + Duration::from_secs_f64(args.seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..args.concurrency {
        let user = args
            .users
            .get(i % args.users.len())
            .cloned()
            .unwrap_or_default();
        let worker = Worker {
            client: http.clone(),
            server: server.clone(),
            credentials: (args.client_id.clone(), args.client_secret.clone()),
            base: args.base.clone(),
            user,
            password: args.password.clone(),
        };
        tasks.spawn(worker.run(i, until));
    }
    let mut total = Tally::default();
    while let Some(t) = tasks.join_next().await {
        total.absorb(t.context("a load worker panicked")?);
    }
    let secs = start.elapsed().as_secs_f64();
    total.flows.sort_unstable();
    for list in &mut total.steps {
        list.sort_unstable();
    }
    let n = total.flows.len();
    let rate = n as f64 / secs;
    let (p50, p99) = (
        quantile_ms(&total.flows, 0.50),
        quantile_ms(&total.flows, 0.99),
    );
    println!(
        "code flow: {rate:.1} flows/s ({n} in {secs:.1} s, {} workers); flow p50 {p50:.1} ms, p99 {p99:.1} ms; {} errors, {} timeouts",
        args.concurrency, total.errors, total.timeouts
    );
    for (name, list) in ["authn", "authorize", "token"].iter().zip(&total.steps) {
        println!(
            "  {name:<9} p50 {:.1} ms, p99 {:.1} ms",
            quantile_ms(list, 0.50),
            quantile_ms(list, 0.99)
        );
    }
    for s in &total.samples {
        eprintln!("  error: {s:.300}");
    }
    println!(
        "RESULT {rate:.1} {p50:.1} {p99:.1} {n} {} {}",
        total.errors, total.timeouts
    );
    Ok(())
}
