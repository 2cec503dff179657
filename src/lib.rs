//! `leads`: a terminal lead manager for people who sell alone.
//!
//! Data flows one way: `cli` (arguments) -> `commands` (one file per command) ->
//! `workflows` (what one action means across tables: a touch, the agenda) ->
//! `io` (file formats), `scoring` and `dates` (pure), `rescoring` (when stored scores are
//! recomputed), `learning` -> `store` (the only SQL).
//! `output` renders what commands return; nothing below `commands` prints.
use anyhow::Result;
use chrono::{DateTime, Utc};

pub mod cadence;
pub mod cli;
pub mod commands;
pub mod dates;
pub mod error;
pub mod io;
pub mod learning;
pub mod model;
pub mod output;
pub mod rescoring;
pub mod scoring;
pub mod store;
pub mod workflows;

/// Run a parsed command line.
pub fn run(cli: cli::Cli) -> Result<()> {
    let now = clock()?;
    let ctx = commands::Ctx::new(cli.db, now, cli.quiet, cli.color)?;
    commands::run(cli.command, &ctx)
}

/// The clock: `LEADS_NOW` (RFC 3339) when set, so tests and cron checks can pin it. Read
/// once for a run (and by the command line's WHEN checks, which only validate).
pub fn clock() -> Result<DateTime<Utc>> {
    dates::now().map_err(error::bad_input)
}
