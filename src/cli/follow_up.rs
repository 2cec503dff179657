//! The arguments of `follow-up` and its subcommands.
use clap::{Args, Subcommand, ValueEnum};

use super::leads::NextArgs;
use super::values::{follow_up_id, lead_id, when, Named, When};
use crate::dates::{self, Interval};
use crate::model::{ActivityKind, CallOutcome};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum FollowUpCommand {
    /// Schedule a follow-up with a lead
    Add(FollowUpAddArgs),
    /// List open follow-ups (the cron entry point)
    List(FollowUpListArgs),
    /// Mark follow-ups done: log the touch each was, and schedule the next step
    Done(FollowUpDoneArgs),
    /// Push a follow-up to a later time
    Snooze(FollowUpSnoozeArgs),
    /// Delete a follow-up scheduled by mistake
    Delete(FollowUpDeleteArgs),
}

#[derive(Debug, Args)]
pub struct FollowUpAddArgs {
    /// The lead's id
    #[arg(allow_negative_numbers = true, value_parser = lead_id)]
    pub id: i64,
    /// When it is due
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = when)]
    pub due: When,
    /// What to do
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Repeat at this interval once done, e.g. 2w, 10d, 1mo
    #[arg(long, value_name = "INTERVAL", value_parser = dates::parse_interval, allow_hyphen_values = true)]
    pub every: Option<Interval>,
    /// The touch it will be, logged when it is done: call, email_sent, meeting, demo...
    #[arg(long, value_name = "KIND", default_value = "call", value_parser = Named::<ActivityKind>::new())]
    pub kind: ActivityKind,
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
    #[arg(long, value_name = "INTERVAL", value_parser = dates::parse_interval, allow_hyphen_values = true)]
    pub due_within: Option<Interval>,
    /// Only the follow-ups of this lead
    #[arg(allow_negative_numbers = true, long = "lead", value_name = "ID", value_parser = lead_id)]
    pub lead: Option<i64>,
    /// Output format
    #[arg(long, value_enum, default_value_t = FollowUpFormat::Table)]
    pub format: FollowUpFormat,
}

#[derive(Debug, Args)]
pub struct FollowUpDoneArgs {
    /// The follow-ups' ids
    #[arg(
        allow_negative_numbers = true,
        value_name = "FID",
        required = true,
        value_parser = follow_up_id
    )]
    pub ids: Vec<i64>,
    /// What happened (the note of the activity it logs)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// How a call went (connected when not said)
    #[arg(long, value_name = "OUTCOME", value_parser = Named::<CallOutcome>::new())]
    pub outcome: Option<CallOutcome>,
    /// The touch it was, when not the one planned (a follow-up made before kinds logs
    /// nothing without it)
    #[arg(long, value_name = "KIND", value_parser = Named::<ActivityKind>::new())]
    pub kind: Option<ActivityKind>,
    #[command(flatten)]
    pub next: NextArgs,
}

#[derive(Debug, Args)]
pub struct FollowUpSnoozeArgs {
    /// The follow-up's id
    #[arg(allow_negative_numbers = true, value_parser = follow_up_id)]
    pub id: i64,
    /// The new due time
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = when)]
    pub until: When,
}

#[derive(Debug, Args)]
pub struct FollowUpDeleteArgs {
    /// The follow-up's id
    #[arg(allow_negative_numbers = true, value_parser = follow_up_id)]
    pub id: i64,
}
