//! The arguments of `cadence` and `nurture`.
use clap::{Args, Subcommand};

use super::values::lead_id;
use super::Format;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
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
    #[arg(value_name = "STEP", required = true, allow_hyphen_values = true)]
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

// `leads nurture ID... --cadence NAME`, or one of its subcommands.
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
    #[arg(allow_negative_numbers = true, value_name = "ID", required = true, value_parser = lead_id)]
    pub ids: Vec<i64>,
    /// The cadence to enroll them in
    #[arg(long, value_name = "NAME", required = true)]
    pub cadence: Option<String>,
    /// When the cadence starts (the first step is due its delay after) [default: now]
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub start: Option<String>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
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
    #[arg(allow_negative_numbers = true, value_parser = lead_id)]
    pub id: i64,
    /// Why (kept with the enrollment)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}
