//! The command line: only clap types. The `///` comments are the help text.
//!
//! Every flag that takes a fixed set of values or a domain value is typed here through a
//! value parser, so a command receives a `Status`, an `ActivityKind`, a checked WHEN...
//! and every unusable value fails the same way: clap's error, exit 65 (see
//! `error::parse_failure`). The possible values also feed the help and the completions.
//!
//! One file per command group's arguments; the value parsers they share are in `values`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

mod activity;
mod config;
mod database;
mod follow_up;
mod import;
mod leads;
mod listing;
mod mail;
mod merge;
mod nurture;
mod report;
mod values;

pub use activity::*;
pub use config::*;
pub use database::*;
pub use follow_up::*;
pub use import::*;
pub use leads::*;
pub use listing::*;
pub use mail::*;
pub use merge::*;
pub use nurture::*;
pub use report::*;
pub use values::*;

/// A terminal lead manager for people who sell alone.
///
/// Leads live in one local SQLite file. Dates (WHEN) accept ISO dates and date-times,
/// `today`, `tomorrow`, `yesterday`, `noon`, `tonight`, weekday names, `+3d`, `+2w`, `+4h`,
/// `in 3 days` (also in words: `in two days`), `2 days ago`, `next week`, `last week`, `end
/// of week` (Friday), `end of month`, a part of a day after a day (`tomorrow morning` 09:00,
/// `friday afternoon` 14:00, `monday evening` 18:00), a time before or after a day (`3pm
/// friday`, `friday 3pm`, `10:30 tomorrow`), a month name with a day (`Dec 5`, `5 December
/// 2027`), day-first dates with dots (`15.04.2027`) and dates with slashes when only one
/// reading exists (`04/15/2027`; `05/04/2027` is refused). A timeline also takes a quarter
/// or a month (`Q2`, `april`). For when something happened (`--since`, `log --at`) a
/// weekday is the latest one. Dates lie between the years 1900 and 2199.
///
/// Exit codes: 0 ok, 1 failure, 2 usage (unknown command or flag, missing argument),
/// 3 not found, 4 conflict, 65 bad input data or a value that cannot be used, 66 input
/// file missing or unreadable, or no database where a command needs one (only add, import,
/// cadence add, config KEY VALUE, config rule add and spend add create it), or a folder
/// named for the database or an output file that does not exist, 75 database busy.
#[derive(Debug, Parser)]
#[command(
    name = "leads",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The database file [default: leads.db in the platform data directory]
    #[arg(
        long,
        global = true,
        env = "LEADS_DB",
        // A PostgreSQL URL may hold a password: help never shows the variable's value.
        hide_env_values = true,
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub db: Option<PathBuf>,

    /// Print no messages on stderr, only data and errors
    #[arg(long, short, global = true, help_heading = "Global options")]
    pub quiet: bool,

    /// When to colour the output (NO_COLOR is respected)
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorChoice::Auto,
        help_heading = "Global options"
    )]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

// `defer`: each subcommand's arguments are built only when it is the one typed (here and
// in every command group), so a read such as `today` does not pay for building the
// flags of twenty other commands (0.93M -> 0.52M instructions at start-up). Help,
// completions and the man page build them all, as before.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Add a lead; prints its id
    Add(AddArgs),
    /// Import leads from a CSV, JSON, NDJSON or vCard file (or `-` for stdin)
    Import(ImportArgs),
    /// List open leads (not won, lost or disqualified), best first
    List(ListArgs),
    /// Delete leads entered by mistake (to erase a person's data, use `forget`)
    Delete(DeleteArgs),
    /// Show every field of a lead, its score with reasons, activities and follow-ups
    Show(ShowArgs),
    /// The agenda: every open lead that needs you today, why, and how to reach them
    Today(TodayArgs),
    /// Change a lead's fields
    Edit(EditArgs),
    /// Record an activity with leads (a call, a meeting, an email...), and the next step
    Log(LogArgs),
    /// Correct or remove a logged activity
    #[command(subcommand)]
    Activity(ActivityCommand),
    /// Fold duplicate leads into one: KEEP takes the others' history and missing fields
    Merge(MergeArgs),
    /// List likely duplicate leads, each pair with why
    Duplicates(DuplicatesArgs),
    /// Record qualification answers, rescore, and move to qualified or disqualified
    Qualify(QualifyArgs),
    /// Move a lead in the pipeline
    Status(StatusArgs),
    /// Schedule, list and close follow-ups
    #[command(subcommand, name = "follow-up")]
    FollowUp(FollowUpCommand),
    /// Nurturing cadences: named lists of steps ("3d call: ask how it went")
    #[command(subcommand)]
    Cadence(CadenceCommand),
    /// Enroll leads in a nurturing cadence; `nurture list`, `nurture stop`
    Nurture(NurtureArgs),
    /// Log your email exchanges with leads from your own mail (Maildir, mbox, .eml)
    #[command(subcommand)]
    Mail(MailCommand),
    /// Export leads as CSV, JSON, NDJSON or vCard (re-importable)
    Export(ExportArgs),
    /// Learn the win probability from closed (won/lost) leads
    Learn(LearnArgs),
    /// Source performance, return on investment and the funnel
    Report(ReportArgs),
    /// Record what a source or campaign cost (a stand, an ad campaign, a purchased list)
    #[command(subcommand)]
    Spend(SpendCommand),
    /// Erase a person's data for good, keeping an anonymous row for the statistics
    Forget(ForgetArgs),
    /// Show or change the profile (ideal customer, weights, thresholds) and the currency
    Config(ConfigArgs),
    /// The database as a whole: `db copy FROM TO` between SQLite and PostgreSQL
    #[command(subcommand)]
    Db(DbCommand),
    /// Print shell completions
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `leads manpage > ~/.local/share/man/man1/leads.1`
    Manpage,
    /// The day's refresh of the stored scores, as `today` starts it in the background
    /// (`refresh_scores_line`): not a command a person types, so clap does not know it
    /// (help, completions and the man page leave it out).
    #[command(skip)]
    RefreshScores,
}

/// The last word of the line `today` starts the day's refresh with:
/// `leads --quiet --db=PATH refresh-scores` (see `commands::refresh`).
pub const REFRESH_SCORES: &str = "refresh-scores";

/// That line, read: exactly those four words, else None (clap reads the line).
fn refresh_scores_line(args: &[OsString]) -> Option<Cli> {
    let [_, quiet, db, name] = args else {
        return None;
    };
    let path = db.to_str()?.strip_prefix("--db=")?;
    (quiet == "--quiet" && name == REFRESH_SCORES && !path.is_empty()).then(|| Cli {
        db: Some(PathBuf::from(path)),
        quiet: true,
        color: ColorChoice::Auto,
        command: Command::RefreshScores,
    })
}

/// Output formats of the read commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Tsv,
    Csv,
    Json,
    Ndjson,
}

impl Format {
    /// A format of fixed columns (a table, TSV, CSV), which shows only the columns named,
    /// unlike JSON and NDJSON, which carry every field.
    pub fn is_columns(self) -> bool {
        matches!(self, Format::Table | Format::Tsv | Format::Csv)
    }
}

/// Parse the process's command line. A refused command line keeps clap's message, but its
/// usage line is the command's own (`Usage: leads show [OPTIONS] <ID>`): clap builds it
/// from what was typed, so an argument given by the environment (`LEADS_DB`) or the flag
/// it suggests for a typo showed as if it were required (`leads show --db <PATH> <ID>`,
/// `leads export --format <FORMAT>`).
pub fn parse() -> Result<Cli, clap::Error> {
    let args: Vec<OsString> = std::env::args_os().collect();
    if let Some(cli) = refresh_scores_line(&args) {
        return Ok(cli);
    }
    // `LEADS_DB=` (set, but to nothing) is no path: the default, as if unset. clap would
    // say "a value is required for '--db'" of a flag nobody typed. (One thread so far.)
    if std::env::var_os("LEADS_DB").is_some_and(|path| path.is_empty()) {
        std::env::remove_var("LEADS_DB");
    }
    let mut command = Cli::command();
    let parsed = command
        .try_get_matches_from_mut(&args)
        .and_then(|mut matches| {
            // As `Parser::try_parse_from` does: such an error is formatted for the command.
            Cli::from_arg_matches_mut(&mut matches).map_err(|err| err.format(&mut Cli::command()))
        });
    // The command line's description (every subcommand, flag and help text) lives until
    // the process exits: freeing it one allocation at a time cost 3% of a read such as
    // `follow-up list` (0.17M instructions) and gave nothing back.
    std::mem::forget(command);
    parsed.map_err(|err| with_command_usage(err, &args))
}

fn with_command_usage(mut err: clap::Error, args: &[OsString]) -> clap::Error {
    if err.get(ContextKind::Usage).is_none() {
        return err;
    }
    let mut root = Cli::command();
    root.build();
    // The subcommands named on the line, outermost first.
    let mut path: Vec<String> = Vec::new();
    let mut current: &clap::Command = &root;
    let mut words = args.iter().skip(1).map(|arg| arg.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        // The global options that take a value, given as two words.
        if word == "--db" || word == "--color" {
            words.next();
            continue;
        }
        if word.starts_with('-') {
            continue;
        }
        if current.get_subcommands().next().is_none() {
            break;
        }
        match current.find_subcommand(word.as_ref()) {
            Some(sub) => {
                path.push(sub.get_name().to_string());
                current = sub;
            }
            None => break,
        }
    }
    err.insert(
        ContextKind::Usage,
        ContextValue::StyledStr(usage_of(&mut root, &path)),
    );
    err
}

/// The usage line of the subcommand at `path` below `command`.
fn usage_of(command: &mut clap::Command, path: &[String]) -> clap::builder::StyledStr {
    if let Some((first, rest)) = path.split_first() {
        if let Some(sub) = command.find_subcommand_mut(first) {
            return usage_of(sub, rest);
        }
    }
    command.render_usage()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    fn line(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_background_refresh_line_is_read_only_whole() {
        let read = refresh_scores_line(&line(&["leads", "--quiet", "--db=-x.db", REFRESH_SCORES]))
            .expect("the line today starts");
        assert!(matches!(read.command, Command::RefreshScores));
        assert_eq!(
            read.db,
            Some(PathBuf::from("-x.db")),
            "a path starting with -"
        );
        assert!(read.quiet);
        for other in [
            &["leads", REFRESH_SCORES][..],
            &["leads", "--quiet", "--db=", REFRESH_SCORES],
            &["leads", "--db=a.db", "--quiet", REFRESH_SCORES],
            &["leads", "--quiet", "--db", "a.db", REFRESH_SCORES],
            &["leads", "--quiet", "--db=a.db", "refresh"],
        ] {
            assert!(refresh_scores_line(&line(other)).is_none(), "{other:?}");
        }
        // Nor does clap know it: a person who types it meets an unknown command.
        assert!(Cli::try_parse_from(["leads", REFRESH_SCORES]).is_err());
    }
}
