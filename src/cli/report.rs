//! The arguments of the commands that look back: `learn`, `report` and `spend`.
use clap::{Args, Subcommand, ValueEnum};

use super::values::{past_when, spend_id, when, When};
use super::Format;
use crate::model::{parse_amount, Amount};

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
#[command(defer = true)]
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
    /// What it cost: a number of at least 0, e.g. 5000, 1250.50 or €18.000
    #[arg(allow_hyphen_values = true, value_parser = parse_amount)]
    pub amount: Amount,
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
    #[arg(allow_negative_numbers = true, value_parser = spend_id)]
    pub id: i64,
}
