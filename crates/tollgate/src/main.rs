//! The `tollgate` command.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = tollgate::cli::Cli::parse();
    tollgate::cli::run(cli)
}
