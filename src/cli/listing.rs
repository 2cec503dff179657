//! The arguments of the commands that select many leads: `list` and `export`, with the
//! filter they share.
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::values::{limit, past_when, score, Named, SourceParser, When};
use super::Format;
use crate::dates::{self, Interval};
use crate::model::LeadOrder;
use crate::model::{Grade, Status};

// Filters shared by `list` and `export`.
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
    #[arg(allow_negative_numbers = true, long, value_name = "SCORE", value_parser = score)]
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
    /// Only leads untouched for this long (never touched: added that long ago), e.g. 14d, 3w
    #[arg(long, value_name = "INTERVAL", value_parser = dates::parse_interval, allow_hyphen_values = true)]
    pub stale: Option<Interval>,
    /// Only leads with no open follow-up
    #[arg(long)]
    pub no_next_step: bool,
    /// Only the leads this seller owns (any case)
    #[arg(long, value_name = "NAME", conflicts_with = "mine")]
    pub owner: Option<String>,
    /// Only your leads: those LEADS_USER (else the login name) owns
    #[arg(long)]
    pub mine: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Closed leads too (won, lost, disqualified); `--status` also selects them
    #[arg(long)]
    pub all: bool,
    /// The order [default: score, or win when `learn` found the model ranks closed leads
    /// better]
    #[arg(long, value_enum)]
    pub sort: Option<LeadOrder>,
    /// At most this many leads
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = limit)]
    pub limit: Option<u64>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
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
