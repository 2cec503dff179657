//! The arguments of `activity edit|delete`: correcting what was logged.
use clap::{Args, Subcommand};

use super::values::{activity_id, past_when, Named, When};
use crate::model::{ActivityKind, CallOutcome};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ActivityCommand {
    /// Correct a logged activity (ids are shown by `leads show`)
    Edit(ActivityEditArgs),
    /// Remove activities logged by mistake
    Delete(ActivityDeleteArgs),
}

#[derive(Debug, Args)]
pub struct ActivityEditArgs {
    /// The activity's id
    #[arg(allow_negative_numbers = true, value_name = "AID", value_parser = activity_id)]
    pub id: i64,
    /// What it was instead
    #[arg(long, value_name = "KIND", value_parser = Named::<ActivityKind>::new())]
    pub kind: Option<ActivityKind>,
    /// How the call went
    #[arg(long, value_name = "OUTCOME", value_parser = Named::<CallOutcome>::new())]
    pub outcome: Option<CallOutcome>,
    /// When it happened
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = past_when)]
    pub at: Option<When>,
    /// Its note (empty to clear it)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct ActivityDeleteArgs {
    /// The activities' ids
    #[arg(
        allow_negative_numbers = true,
        value_name = "AID",
        required = true,
        value_parser = activity_id
    )]
    pub ids: Vec<i64>,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long)]
    pub force: bool,
}
