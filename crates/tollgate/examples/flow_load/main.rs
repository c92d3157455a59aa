//! The sign-in side of `bench/flows-load.sh`, against a running server:
//!
//! - `setup`: creates the bench org through the management API (a client-credentials service,
//!   a web app for the code and implicit flows, users, the groups for the groups-claim case,
//!   the app's `groupwhitelist` and a groups claim on `default`), checks one of each flow once,
//!   and prints `KEY=value` lines for the script (ids, secrets, a session cookie).
//! - `code`: the full authorization code flow (authn, authorize with the session token, code
//!   exchange with PKCE) with N concurrent workers for a fixed time; prints flows/s, latency
//!   percentiles per step and the errors.
//!
//! ```sh
//! cargo run --release -p tollgate --example flow_load -- setup --base http://127.0.0.1:18480 --token T
//! cargo run --release -p tollgate --example flow_load -- code --base ... --client-id ... \
//!     --client-secret ... --users bench-a@example.com,bench-b@example.com --password ...
//! ```
//! Every call has a timeout, and the load stops after `--seconds`.

mod code;
mod http;
mod setup;

use clap::{Parser, Subcommand};

/// The bench's sign-in flows.
#[derive(Debug, Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the bench org and check each flow once.
    Setup(setup::SetupArgs),
    /// Run the authorization code flow under load.
    Code(code::CodeArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // One worker thread by default: a sign-in flow costs the client little, and the cores are
    // the server's (the password hash is what is measured).
    let threads = match &cli.command {
        Command::Code(a) => a.client_threads,
        Command::Setup(_) => 1,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match cli.command {
            Command::Setup(args) => setup::run(args).await,
            Command::Code(args) => code::run(args).await,
        }
    })
}
