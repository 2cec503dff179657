//! The command line: only clap types. The `///` comments are the help text.
//!
//! Every flag that takes a fixed set of values or a domain value is typed here through a
//! value parser, so a command receives a `Status`, an `ActivityKind`, a checked WHEN...
//! and every unusable value fails the same way: clap's error, exit 65 (see
//! `error::parse_failure`). The possible values also feed the help and the completions.
use std::ffi::OsStr;
use std::marker::PhantomData;
use std::ops::Deref;
use std::path::PathBuf;

use chrono::Local;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::dates::{self, Interval};
use crate::model::{parse_amount, ActivityKind, Answer, Grade, Status, KNOWN_SOURCES};

/// A terminal lead manager for people who sell alone.
///
/// Leads live in one local SQLite file. Dates accept ISO dates and date-times, `today`,
/// `tomorrow`, weekday names, `+3d`, `+2w`, `+4h`, `in 3 days`, `next week`.
///
/// Exit codes: 0 ok, 1 failure, 2 usage (unknown command or flag, missing argument),
/// 3 not found, 4 conflict, 65 bad input data or a value that cannot be used, 66 input
/// file missing, 75 database busy.
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a lead; prints its id
    Add(AddArgs),
    /// Import leads from a CSV, JSON or NDJSON file (or `-` for stdin)
    Import(ImportArgs),
    /// List open leads (not won, lost or disqualified), best first
    List(ListArgs),
    /// Delete leads entered by mistake (to erase a person's data, use `forget`)
    Delete(DeleteArgs),
    /// Show every field of a lead, its score with reasons, activities and follow-ups
    Show(ShowArgs),
    /// Change a lead's fields
    Edit(EditArgs),
    /// Record an activity with a lead (a call, a meeting, an email...)
    Log(LogArgs),
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
    /// Show or change the profile: ideal customer, weights, thresholds
    Config(ConfigArgs),
    /// Print shell completions
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `leads manpage > ~/.local/share/man/man1/leads.1`
    Manpage,
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

/// The fields a salesperson can set on a lead (shared by `add` and `edit`).
#[derive(Debug, Args, Default, Clone)]
pub struct LeadFieldArgs {
    /// First name (overrides the first part of NAME)
    #[arg(long, value_name = "TEXT")]
    pub first_name: Option<String>,
    /// Last name (overrides the rest of NAME)
    #[arg(long, value_name = "TEXT")]
    pub last_name: Option<String>,
    /// Email address (a lead's identity: duplicates are refused)
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,
    /// Phone number
    #[arg(long, value_name = "NUMBER")]
    pub phone: Option<String>,
    /// Company or organization
    #[arg(long, value_name = "TEXT")]
    pub company: Option<String>,
    /// Job title, e.g. "VP Sales"
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Industry, e.g. "software"
    #[arg(long, value_name = "TEXT")]
    pub industry: Option<String>,
    /// Company size in employees
    #[arg(long = "size", value_name = "EMPLOYEES")]
    pub company_size: Option<String>,
    /// Country
    #[arg(long, value_name = "TEXT")]
    pub country: Option<String>,
    /// Website
    #[arg(long, value_name = "URL")]
    pub website: Option<String>,
    /// Where the lead came from: web_form, referral, trade_show, webinar, purchased_list, ...
    /// (another name is kept, in snake case)
    #[arg(long, value_name = "SOURCE", value_parser = SourceParser, hide_possible_values = true)]
    pub source: Option<String>,
    /// The campaign, event or referrer behind the source
    #[arg(long, value_name = "TEXT")]
    pub source_detail: Option<String>,
    /// A tag (repeat for several)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Free-text notes (`edit --note` replaces the notes; `--append-note` adds a line)
    #[arg(long = "note", value_name = "TEXT")]
    pub notes: Option<String>,
    /// The id of this lead in the system it came from
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The person's name ("Ada Lovelace"), split into first and last name
    pub name: Option<String>,
    #[command(flatten)]
    pub fields: LeadFieldArgs,
    /// The lead gave their details for a giveaway or incentive
    #[arg(long)]
    pub incentivized: bool,
    /// The lead knew a sales contact would follow
    #[arg(long)]
    pub aware: bool,
    /// Never list this lead in follow-ups
    #[arg(long)]
    pub do_not_contact: bool,
    /// Add even when a lead with the same email exists
    #[arg(long)]
    pub allow_duplicate: bool,
    /// Add even when this email belongs to a person who asked to be forgotten
    #[arg(long)]
    pub allow_forgotten: bool,
}

/// What to do with an imported row whose email (or external id) is already known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OnDuplicate {
    /// Keep the existing lead, count the row as skipped
    #[default]
    Skip,
    /// Update the existing lead with the row's non-empty values
    Update,
    /// Reject the row
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum InputFormat {
    #[default]
    Csv,
    Json,
    Ndjson,
    /// vCard 3.0 or 4.0 (.vcf)
    Vcard,
}

/// Format of the import summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SummaryFormat {
    /// One line on stderr
    #[default]
    Text,
    /// A JSON object on stdout
    Json,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import, or `-` for standard input (read when it is piped and no FILE is given)
    #[arg(value_name = "FILE")]
    pub file: Option<String>,
    /// The input format [default: JSON when the input starts with `[` or `{`, vCard when
    /// it starts with BEGIN:VCARD, else CSV (comma-separated, or semicolons or tabs when
    /// the header has no comma)]
    #[arg(long = "from", value_enum)]
    pub from: Option<InputFormat>,
    /// Map a column to a field ('E-mail 2=email'), or drop it ('Fax=-'); repeatable
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub maps: Vec<String>,
    /// The file's encoding when it is not UTF-8 (e.g. windows-1252, latin1, utf-16le)
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// strftime pattern for dates that are not ISO 8601, e.g. %m/%d/%Y
    #[arg(long, value_name = "PATTERN")]
    pub date_format: Option<String>,
    /// What to do with a row whose email or external id is already known
    #[arg(long, value_enum, default_value_t = OnDuplicate::Skip)]
    pub on_duplicate: OnDuplicate,
    /// Write rejected rows to this CSV file, with an `error` column
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Import nothing if any row is rejected
    #[arg(long)]
    pub strict: bool,
    /// Check the file, show how its columns map, and print the summary without writing
    /// anything (with --undo: say what would be removed)
    #[arg(long)]
    pub dry_run: bool,
    /// Remove the leads created by this import batch (with --dry-run: say what would go)
    #[arg(long, value_name = "BATCH", conflicts_with_all = ["file", "list"])]
    pub undo: Option<i64>,
    /// With --undo: remove the batch's leads even when they were worked on since
    #[arg(long, requires = "undo")]
    pub force: bool,
    /// List the import batches (id, when, file, counts, undone)
    #[arg(long, conflicts_with = "file")]
    pub list: bool,
    /// The source of every row of a file without a source column (e.g. trade_show)
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
    /// The source detail of every row of a file without one (e.g. "Expo 2026")
    #[arg(long, value_name = "TEXT")]
    pub source_detail: Option<String>,
    /// A tag for every row (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Import people who asked to be forgotten (otherwise skipped with a warning)
    #[arg(long)]
    pub allow_forgotten: bool,
    /// How to print the summary
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

/// How to order listed leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SortKey {
    /// Highest score first
    #[default]
    Score,
    /// Newest first
    Created,
    /// Alphabetically by name
    Name,
    /// Earliest next follow-up first
    FollowUp,
    /// Highest learned win probability first
    Win,
}

/// Filters shared by `list` and `export`.
#[derive(Debug, Args, Default, Clone)]
pub struct FilterArgs {
    /// Only leads with this status (repeatable)
    #[arg(long = "status", value_name = "STATUS", value_parser = Named::<Status>::new())]
    pub statuses: Vec<Status>,
    /// Only leads from this source, e.g. referral, trade_show, web_form (repeatable)
    #[arg(long = "source", value_name = "SOURCE", value_parser = SourceParser, hide_possible_values = true)]
    pub sources: Vec<String>,
    /// Only leads with this tag (repeat to require several)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only leads with this grade (repeatable)
    #[arg(long = "grade", value_name = "GRADE", value_enum, ignore_case = true)]
    pub grades: Vec<Grade>,
    /// Only leads scoring at least this (0-100)
    #[arg(long, value_name = "SCORE", value_parser = clap::value_parser!(i64).range(0..=100))]
    pub min_score: Option<i64>,
    /// Only leads whose name, email, company, title or notes contain TEXT
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only leads created on or after this date
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = past_when)]
    pub since: Option<When>,
    /// Only leads with a follow-up past due
    #[arg(long)]
    pub overdue: bool,
}

/// The grades a `--grade` flag takes (and completions offer): A, B, C, D.
impl ValueEnum for Grade {
    fn value_variants<'a>() -> &'a [Self] {
        &Grade::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }))
    }
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Closed leads too (won, lost, disqualified); `--status` also selects them
    #[arg(long)]
    pub all: bool,
    /// The order
    #[arg(long, value_enum, default_value_t = SortKey::Score)]
    pub sort: SortKey,
    /// At most this many leads
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(..=1_000_000_000_000))]
    pub limit: Option<u64>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The leads' ids
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<i64>,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The lead's id
    pub id: i64,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The lead's id
    pub id: i64,
    /// The person's full name, split into first and last name
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    #[command(flatten)]
    pub fields: LeadFieldArgs,
    /// Add a line to the notes (repeatable; `--note` replaces them all)
    #[arg(long = "append-note", value_name = "TEXT")]
    pub append_notes: Vec<String>,
    /// Remove a tag (repeatable)
    #[arg(long = "untag", value_name = "TAG")]
    pub untags: Vec<String>,
    /// Set or clear "never contact this lead"
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub do_not_contact: Option<bool>,
    /// Set or clear: the lead gave their details for a giveaway
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub incentivized: Option<bool>,
    /// Set or clear: the lead knew a sales contact would follow
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub aware: Option<bool>,
    /// Set an attribute ('key=value'); an empty value removes it; repeatable
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attrs: Vec<String>,
    /// The amount the won deal brought, e.g. 12000 or 1250.50 (empty to clear)
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub value: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The lead's id
    pub id: i64,
    /// What happened
    #[arg(value_parser = Named::<ActivityKind>::new())]
    pub kind: ActivityKind,
    /// When it happened [default: now]
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = past_when)]
    pub at: Option<When>,
    /// A note about it
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct QualifyArgs {
    /// The leads to qualify
    #[arg(value_name = "ID", required_unless_present = "all")]
    pub ids: Vec<i64>,
    /// Rescore every open lead (after a change of profile, or every morning)
    #[arg(long, conflicts_with_all = ["ids", "status"])]
    pub all: bool,
    /// Does the lead have a budget?
    #[arg(long, value_name = "ANSWER", value_parser = Named::<Answer>::new())]
    pub budget: Option<Answer>,
    /// Can the lead decide?
    #[arg(long, value_name = "ANSWER", value_parser = Named::<Answer>::new())]
    pub authority: Option<Answer>,
    /// The need the lead stated (empty to clear)
    #[arg(long, value_name = "TEXT")]
    pub need: Option<String>,
    /// When the lead means to buy (a date, `+3w`, `in 2 months`; `unknown` to clear)
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = timeline)]
    pub timeline: Option<When>,
    /// Move to this status instead of the one the thresholds give
    #[arg(long, value_name = "STATUS", value_parser = Named::<Status>::new())]
    pub status: Option<Status>,
    /// Show each score as a table of factors, values and points
    #[arg(long)]
    pub explain: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The lead's id
    pub id: i64,
    /// The new place in the pipeline
    #[arg(value_parser = Named::<Status>::new())]
    pub status: Status,
    /// Why (worth giving when closing: won, lost, disqualified)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The amount the deal brought (with `won`), e.g. 12000 or 1250.50
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true, value_parser = parse_amount)]
    pub value: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum FollowUpCommand {
    /// Schedule a follow-up with a lead
    Add(FollowUpAddArgs),
    /// List open follow-ups (the cron entry point)
    List(FollowUpListArgs),
    /// Mark a follow-up done (a recurring one schedules its next)
    Done(FollowUpDoneArgs),
    /// Push a follow-up to a later time
    Snooze(FollowUpSnoozeArgs),
    /// Delete a follow-up scheduled by mistake
    Delete(FollowUpDeleteArgs),
}

#[derive(Debug, Args)]
pub struct FollowUpAddArgs {
    /// The lead's id
    pub id: i64,
    /// When it is due
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = when)]
    pub due: When,
    /// What to do
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Repeat at this interval once done, e.g. 2w, 10d, 1mo
    #[arg(long, value_name = "INTERVAL", value_parser = dates::parse_interval)]
    pub every: Option<Interval>,
}

/// Output formats of `follow-up list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FollowUpFormat {
    Table,
    Tsv,
    Csv,
    Json,
    Ndjson,
    /// iCalendar (RFC 5545), for a calendar app
    Ics,
}

#[derive(Debug, Args)]
pub struct FollowUpListArgs {
    /// Only follow-ups past due (prints nothing when none are)
    #[arg(long, conflicts_with = "due_within")]
    pub overdue: bool,
    /// Only follow-ups due within this interval from now, e.g. 3d, 1w (overdue included)
    #[arg(long, value_name = "INTERVAL", value_parser = dates::parse_interval)]
    pub due_within: Option<Interval>,
    /// Only the follow-ups of this lead
    #[arg(long = "lead", value_name = "ID")]
    pub lead: Option<i64>,
    /// Output format
    #[arg(long, value_enum, default_value_t = FollowUpFormat::Table)]
    pub format: FollowUpFormat,
}

#[derive(Debug, Args)]
pub struct FollowUpDoneArgs {
    /// The follow-up's id
    pub id: i64,
}

#[derive(Debug, Args)]
pub struct FollowUpSnoozeArgs {
    /// The follow-up's id
    pub id: i64,
    /// The new due time
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = when)]
    pub until: When,
}

#[derive(Debug, Args)]
pub struct FollowUpDeleteArgs {
    /// The follow-up's id
    pub id: i64,
}

#[derive(Debug, Subcommand)]
pub enum CadenceCommand {
    /// Create a cadence: NAME, then its steps in order
    Add(CadenceAddArgs),
    /// List the cadences, with how many leads each has
    List(CadenceListArgs),
    /// Show a cadence's steps
    Show(CadenceShowArgs),
    /// Delete a cadence, ending the enrollments in it
    Delete(CadenceDeleteArgs),
}

#[derive(Debug, Args)]
pub struct CadenceAddArgs {
    /// The cadence's name, e.g. e-book
    pub name: String,
    /// The steps, each "DELAY KIND[: NOTE]": "0d email_sent: send the e-book"
    /// "3d call: ask how it went" "1w email_sent: webinar invite". The first delay counts
    /// from the start, each next one from when the previous step was done
    #[arg(value_name = "STEP", required = true)]
    pub steps: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CadenceListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CadenceShowArgs {
    /// The cadence's name
    pub name: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CadenceDeleteArgs {
    /// The cadence's name
    pub name: String,
    /// Delete even when leads are in it (required when not on a terminal)
    #[arg(long)]
    pub force: bool,
}

/// `leads nurture ID... --cadence NAME`, or one of its subcommands.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct NurtureArgs {
    #[command(subcommand)]
    pub command: Option<NurtureCommand>,
    #[command(flatten)]
    pub enroll: NurtureEnrollArgs,
}

#[derive(Debug, Args)]
pub struct NurtureEnrollArgs {
    /// The leads to enroll
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<i64>,
    /// The cadence to enroll them in
    #[arg(long, value_name = "NAME", required = true)]
    pub cadence: Option<String>,
    /// When the cadence starts (the first step is due its delay after) [default: now]
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub start: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum NurtureCommand {
    /// Who is in which cadence, at which step (ended enrollments too)
    List(NurtureListArgs),
    /// Take a lead out of its cadence
    Stop(NurtureStopArgs),
}

#[derive(Debug, Args)]
pub struct NurtureListArgs {
    /// Only the enrollments in this cadence
    #[arg(long, value_name = "NAME")]
    pub cadence: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct NurtureStopArgs {
    /// The lead's id
    pub id: i64,
    /// Why (kept with the enrollment)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ExportFormat {
    #[default]
    Csv,
    Json,
    Ndjson,
    /// vCard 3.0 cards (.vcf), for address books
    Vcard,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Write to this file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Mask personal fields (name, email, phone, notes, attributes)
    #[arg(long)]
    pub redact: bool,
}

#[derive(Debug, Args)]
pub struct LearnArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// How `report` groups leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportBy {
    /// The lead's source
    #[default]
    Source,
    /// The campaign, event or referrer
    SourceDetail,
    /// The month the lead was created (local time): the trend
    Month,
    /// What each nurturing cadence did with the leads enrolled in it
    Cadence,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Group by source, by source detail (campaign, event, referrer) or by creation month
    #[arg(long, value_enum, default_value_t = ReportBy::Source)]
    pub by: ReportBy,
    /// Only leads created (and spend dated) on or after this date
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = past_when)]
    pub since: Option<When>,
    /// Only leads created (and spend dated) before this date
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = when)]
    pub until: Option<When>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum SpendCommand {
    /// Record what a source or campaign cost; prints the spend's id
    Add(SpendAddArgs),
    /// List the recorded spend, oldest first
    List(SpendListArgs),
    /// Remove a spend recorded by mistake
    Delete(SpendDeleteArgs),
}

#[derive(Debug, Args)]
pub struct SpendAddArgs {
    /// The source it paid for: trade_show, advertising, purchased_list, ...
    pub source: String,
    /// What it cost: a number of at least 0, e.g. 5000 or 1250.50
    #[arg(allow_hyphen_values = true, value_parser = parse_amount)]
    pub amount: f64,
    /// The campaign, event or list (as the leads' source detail)
    #[arg(long, value_name = "CAMPAIGN")]
    pub detail: Option<String>,
    /// When the money was spent [default: now]
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = past_when)]
    pub on: Option<When>,
    /// A note about it
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct SpendListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SpendDeleteArgs {
    /// The spend's id (see `spend list`)
    pub id: i64,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// The lead's id
    pub id: i64,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long)]
    pub force: bool,
}

/// Output formats of `config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ConfigFormat {
    /// `key = value` lines, TOML-like
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConfigArgs {
    /// Scoring rules on any field or attribute
    #[command(subcommand)]
    pub command: Option<ConfigCommand>,
    /// The setting to show or change (all settings when omitted)
    pub key: Option<String>,
    /// The new value (a list as comma-separated values; `default` restores the default)
    #[arg(allow_hyphen_values = true)]
    pub value: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ConfigFormat::Text)]
    pub format: ConfigFormat,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Scoring rules: points on fit, engagement or readiness when a field or attribute matches
    #[command(subcommand)]
    Rule(RuleCommand),
}

#[derive(Debug, Subcommand)]
pub enum RuleCommand {
    /// Add a rule, e.g. `rule add '"Total Time Spent on Website" >= 600' --axis engagement --points 15`
    Add(RuleAddArgs),
    /// List the rules with their numbers
    List(RuleListArgs),
    /// Delete a rule by its number
    Delete(RuleDeleteArgs),
}

#[derive(Debug, Args)]
pub struct RuleAddArgs {
    /// The condition: FIELD-OR-ATTRIBUTE OPERATOR VALUE, operators = != < <= > >= contains
    /// (quote a name with spaces: '"Total Time Spent on Website" >= 600'); the words may
    /// also come as separate arguments: industry = software
    #[arg(required = true, num_args = 1.., value_name = "CONDITION")]
    pub condition: Vec<String>,
    /// The sub-score the points go to
    #[arg(long, value_enum, default_value_t = RuleAxis::Fit)]
    pub axis: RuleAxis,
    /// Points the rule adds when it matches (negative to take them away), -100 to 100
    #[arg(long, allow_negative_numbers = true, value_name = "POINTS")]
    pub points: f64,
}

/// The sub-scores a rule can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleAxis {
    Fit,
    Engagement,
    Readiness,
}

#[derive(Debug, Args)]
pub struct RuleListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ConfigFormat::Text)]
    pub format: ConfigFormat,
}

#[derive(Debug, Args)]
pub struct RuleDeleteArgs {
    /// The rule's number (see `leads config rule list`)
    pub id: u32,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// A WHEN as typed, checked against the clock when the command line is parsed; the
/// command reads it against the same clock (`Ctx::when`), so "+3d" means one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When(String);

impl Deref for When {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// A WHEN for something to come (`--due`, `--until`).
fn when(text: &str) -> Result<When, String> {
    dates::parse_when(text, crate::clock().map_err(|err| err.to_string())?, &Local)?;
    Ok(When(text.to_string()))
}

/// A WHEN for something past (`--since`, `log --at`): a weekday is the latest one.
fn past_when(text: &str) -> Result<When, String> {
    dates::parse_past_when(text, crate::clock().map_err(|err| err.to_string())?, &Local)?;
    Ok(When(text.to_string()))
}

/// A purchase timeline: a WHEN, or `unknown` (or nothing) to clear it.
fn timeline(text: &str) -> Result<When, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("unknown") {
        return Ok(When(trimmed.to_string()));
    }
    when(text)
}

/// The domain types a flag can name, with their canonical names for help and completions.
pub trait DomainValue: std::str::FromStr<Err = String> + Clone + Send + Sync + 'static {
    fn names() -> Vec<&'static str>;
}

impl DomainValue for Status {
    fn names() -> Vec<&'static str> {
        Status::ALL.iter().map(|s| s.as_str()).collect()
    }
}

impl DomainValue for ActivityKind {
    fn names() -> Vec<&'static str> {
        ActivityKind::ALL.iter().map(|k| k.as_str()).collect()
    }
}

impl DomainValue for Answer {
    fn names() -> Vec<&'static str> {
        vec!["yes", "no", "unknown"]
    }
}

/// Parses a domain type with its own `FromStr` (synonyms and did-you-mean included) and
/// lists its canonical names as clap's possible values.
#[derive(Clone)]
pub struct Named<T>(PhantomData<T>);

impl<T: DomainValue> Named<T> {
    pub fn new() -> Self {
        Named(PhantomData)
    }
}

impl<T: DomainValue> Default for Named<T> {
    fn default() -> Self {
        Named::new()
    }
}

impl<T: DomainValue> TypedValueParser for Named<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // A plain function parser words the error as clap does ("invalid value ... for ...").
        let parse = |text: &str| text.parse::<T>();
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::names().into_iter().map(PossibleValue::new)))
    }
}

/// A source: any name is kept (normalized later), but the known ones are offered to
/// completions.
#[derive(Clone)]
pub struct SourceParser;

impl TypedValueParser for SourceParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            KNOWN_SOURCES.iter().map(|s| PossibleValue::new(*s)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
