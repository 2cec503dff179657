//! The `leads` binary: parse, run, turn the outcome into an exit code.
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match leads::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return leads::error::parse_failure(&err),
    };
    let color = cli.color;
    match leads::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => leads::error::report(&err, color),
    }
}
