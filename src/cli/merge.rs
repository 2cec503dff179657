//! The arguments of `merge` and `duplicates`: folding two records of one person into one.
use clap::Args;

use super::values::lead_id;
use super::Format;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The lead to keep: its fields win, the others fill what it lacks
    #[arg(allow_negative_numbers = true, value_name = "KEEP", value_parser = lead_id)]
    pub keep: i64,
    /// The leads folded into KEEP (in this order), then deleted
    #[arg(
        allow_negative_numbers = true,
        value_name = "OTHER",
        required = true,
        num_args = 1..,
        value_parser = lead_id
    )]
    pub others: Vec<i64>,
    /// Show the merged lead without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long)]
    pub force: bool,
    /// Print the merged lead in this format, as `show` does (a dry run prints a table
    /// when not said)
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct DuplicatesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}
