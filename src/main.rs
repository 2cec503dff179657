//! The `leads` binary: parse, run, turn the outcome into an exit code.
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = leads::cli::Cli::parse();
    match leads::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => leads::error::report(&err),
    }
}
