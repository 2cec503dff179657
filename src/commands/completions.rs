//! `leads completions SHELL`: shell completion scripts from the clap definition.
use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: CompletionsArgs) -> Result<()> {
    let mut command = Cli::command();
    // Generate into memory first: clap_complete panics on a write error, and a closed
    // pipe (`leads completions bash | head`) must stay a quiet success.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "leads", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}
