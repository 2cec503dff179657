//! One file per command: arguments -> one domain call -> rendering. No SQL here.
//!
//! `Ctx` carries what every command shares, built once in `lib::run`: where the database
//! is, the clock (`now`, from `LEADS_NOW` when set) and how to talk to the terminal. This
//! file is that context and the table of commands; how the database is found and opened
//! is in `database`, the questions in `prompts`, the field flags and next steps the
//! writing commands share in `edits`, the `list`/`export` filters in `filters`, `TZ` in
//! `time_zone`.
use std::io::{self, BufWriter, IsTerminal};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, Local, Utc};

use crate::cli::{ColorChoice, Command};
use crate::dates;
use crate::error::bad_input;
use crate::output::{escape_controls, Style};
use crate::scoring::Clock;

mod activity;
mod add;
mod cadence;
mod completions;
mod config;
mod config_rules;
mod database;
mod db_copy;
mod delete;
mod duplicates;
mod edit;
mod edits;
mod export;
mod filters;
mod follow_up;
mod forget;
mod import;
mod learn;
mod list;
mod log;
mod mail;
mod manpage;
mod merge;
mod nurture;
mod prompts;
mod qualify;
mod refresh;
mod report;
mod show;
mod spend;
mod status;
mod time_zone;
mod today;

pub use edits::{apply_edits, lead_edits, trimmed, writable_lead};
pub use filters::lead_query;
pub use prompts::confirm;
pub use time_zone::local_clock;
use time_zone::unknown_time_zone;

/// What every command shares.
pub struct Ctx {
    db: Option<PathBuf>,
    /// The one reading of the clock for this run.
    pub now: DateTime<Utc>,
    pub quiet: bool,
    pub style: Style,
    /// Standard input is a terminal (no file piped in).
    pub stdin_terminal: bool,
    /// Standard output is a terminal (text bars may use block characters).
    pub stdout_terminal: bool,
    /// Standard error is a terminal (progress bars are allowed).
    pub stderr_terminal: bool,
    /// `LEADS_BUSY_TIMEOUT` (milliseconds): how long to wait for another writer.
    busy_timeout: Option<Duration>,
    /// Who is at the keyboard: `LEADS_USER`, else the login name (recorded as `by`).
    pub user: Option<String>,
}

impl Ctx {
    pub fn new(
        db: Option<PathBuf>,
        now: DateTime<Utc>,
        quiet: bool,
        color: ColorChoice,
    ) -> Result<Ctx> {
        let busy_timeout = match std::env::var("LEADS_BUSY_TIMEOUT") {
            Ok(text) if !text.trim().is_empty() => {
                let ms = text.trim().parse::<u64>().map_err(|_| {
                    bad_input(format!(
                        "LEADS_BUSY_TIMEOUT '{text}' is not a whole number of milliseconds"
                    ))
                })?;
                Some(Duration::from_millis(ms))
            }
            _ => None,
        };
        // Asked once: which ends of the process a person is looking at.
        let (stdin_terminal, stdout_terminal, stderr_terminal) = (
            io::stdin().is_terminal(),
            io::stdout().is_terminal(),
            io::stderr().is_terminal(),
        );
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                stdout_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        // A person reads tables on a terminal: fit them to its width (COLUMNS first, as a
        // shell sets it), colour what needs the eye. Piped output (cron's mail, a file)
        // stays whole and plain, even with --color always.
        crate::output::set_table_style(crate::output::TableStyle {
            width: stdout_terminal.then(terminal_width).flatten(),
            color: color && stdout_terminal,
        });
        let ctx = Ctx {
            db,
            now,
            quiet,
            style: Style { color },
            stdin_terminal,
            stdout_terminal,
            stderr_terminal,
            busy_timeout,
            user: user(),
        };
        if let Some(tz) = unknown_time_zone() {
            ctx.warn(format!(
                "unknown time zone TZ='{tz}' (expected a zone name such as Europe/Paris, or a \
                 POSIX rule such as CET-1CEST): dates are read and shown in the system's zone, \
                 UTC when it has none"
            ));
        }
        Ok(ctx)
    }

    /// A person at a terminal: prompts and confirmations are allowed.
    pub fn interactive(&self) -> bool {
        self.stdin_terminal && self.stderr_terminal
    }

    fn busy_timeout(&self) -> Duration {
        self.busy_timeout.unwrap_or(crate::store::BUSY_TIMEOUT)
    }

    /// Buffered standard output: data goes here.
    pub fn stdout(&self) -> BufWriter<io::StdoutLock<'static>> {
        BufWriter::new(io::stdout().lock())
    }

    /// A message for the person (stderr), unless --quiet.
    pub fn say(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", escape_controls(message.as_ref()));
        }
    }

    /// A warning (stderr), unless --quiet.
    pub fn warn(&self, message: impl AsRef<str>) {
        warn(self.quiet, message.as_ref());
    }

    /// The clock scores are computed with: `now` and the user's calendar (`TZ`).
    pub fn clock(&self) -> Clock {
        local_clock(self.now)
    }

    /// Parse a WHEN in the local time zone, relative to `now`.
    pub fn when(&self, flag: &str, text: &str) -> Result<DateTime<Utc>> {
        dates::parse_when(text, self.now, &Local)
            .and_then(|at| dates::check_range(at, &Local))
            .map_err(|err| bad_input(format!("{flag}: {err}")))
    }

    /// Parse a WHEN for something that already happened: "friday" is the latest one.
    pub fn when_past(&self, flag: &str, text: &str) -> Result<DateTime<Utc>> {
        dates::parse_past_when(text, self.now, &Local)
            .and_then(|at| dates::check_range(at, &Local))
            .map_err(|err| bad_input(format!("{flag}: {err}")))
    }

    /// Parse a purchase timeline: a WHEN, or a quarter or a month (`Q2`, `april`: its last
    /// day).
    pub fn timeline(&self, flag: &str, text: &str) -> Result<DateTime<Utc>> {
        dates::parse_timeline(text, self.now, &Local)
            .and_then(|at| dates::check_range(at, &Local))
            .map_err(|err| bad_input(format!("{flag}: {err}")))
    }
}

/// Who is logging: `LEADS_USER`, else the login name (`USER`, `LOGNAME`).
fn user() -> Option<String> {
    ["LEADS_USER", "USER", "LOGNAME"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|name| name.trim().to_string())
        .find(|name| !name.is_empty())
}

/// The terminal's width: `COLUMNS` when set to a number, else what the terminal says.
fn terminal_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok();
    match columns.as_deref().map(str::trim).map(str::parse::<usize>) {
        Some(Ok(width)) if width > 0 => Some(width),
        _ => terminal_size::terminal_size_of(io::stdout()).map(|(width, _)| usize::from(width.0)),
    }
}

/// Run one command.
pub fn run(command: Command, ctx: &Ctx) -> Result<()> {
    match command {
        Command::Add(args) => add::run(args, ctx),
        Command::Import(args) => import::run(args, ctx),
        Command::List(args) => list::run(args, ctx),
        Command::Delete(args) => delete::run(args, ctx),
        Command::Show(args) => show::run(args, ctx),
        Command::Edit(args) => edit::run(args, ctx),
        Command::Log(args) => log::run(args, ctx),
        Command::Activity(command) => activity::run(command, ctx),
        Command::Merge(args) => merge::run(args, ctx),
        Command::Duplicates(args) => duplicates::run(args, ctx),
        Command::Today(args) => today::run(args, ctx),
        Command::Qualify(args) => qualify::run(args, ctx),
        Command::Status(args) => status::run(args, ctx),
        Command::FollowUp(command) => follow_up::run(command, ctx),
        Command::Cadence(command) => cadence::run(command, ctx),
        Command::Nurture(args) => nurture::run(args, ctx),
        Command::Mail(command) => mail::run(command, ctx),
        Command::Export(args) => export::run(args, ctx),
        Command::Learn(args) => learn::run(args, ctx),
        Command::Report(args) => report::run(args, ctx),
        Command::Spend(command) => spend::run(command, ctx),
        Command::Forget(args) => forget::run(args, ctx),
        Command::Config(args) => config::run(args, ctx),
        Command::Db(command) => db_copy::run(command, ctx),
        Command::Completions(args) => completions::run(args, ctx),
        Command::Manpage => manpage::run(),
        Command::RefreshScores => refresh::run(ctx),
    }
}

/// A warning on stderr, with any text from the data escaped; none under `--quiet`.
fn warn(quiet: bool, message: &str) {
    if !quiet {
        eprintln!("leads: warning: {}", escape_controls(message));
    }
}
