//! The `leads` binary: parse, run, turn the outcome into an exit code.
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match leads::cli::parse() {
        Ok(cli) => cli,
        Err(err) => return leads::error::parse_failure(&err),
    };
    let color = cli.color;
    match leads::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => leads::error::report(&err, color),
    }
}
