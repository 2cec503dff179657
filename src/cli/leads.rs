//! The arguments of the commands that add, change and close single leads: `add`, `edit`,
//! `show`, `log`, `qualify`, `status`, `delete`, `forget`.
use clap::Args;

use super::values::{lead_id, limit, past_when, timeline, when, Named, SourceParser, When};
use super::Format;
use crate::model::{parse_amount, ActivityKind, Amount, Answer, CallOutcome, Status};

// The fields a salesperson can set on a lead (shared by `add` and `edit`).
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
    #[arg(long = "size", value_name = "EMPLOYEES", allow_hyphen_values = true)]
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
    /// The seller the lead belongs to (`add`: you, LEADS_USER or the login name, unless
    /// given)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
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

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The lead's id
    #[arg(allow_negative_numbers = true, value_parser = lead_id)]
    pub id: i64,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The lead's id
    #[arg(allow_negative_numbers = true, value_parser = lead_id)]
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
    /// The leads' ids (several: the same activity with each, e.g. a mailing)
    #[arg(
        allow_negative_numbers = true,
        value_name = "ID",
        required = true,
        num_args = 1..,
        value_parser = lead_id
    )]
    pub ids: Vec<i64>,
    /// What happened
    #[arg(value_parser = Named::<ActivityKind>::new())]
    pub kind: ActivityKind,
    /// How a call went (connected when not said)
    #[arg(long, value_name = "OUTCOME", value_parser = Named::<CallOutcome>::new())]
    pub outcome: Option<CallOutcome>,
    /// When it happened [default: now]
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = past_when)]
    pub at: Option<When>,
    /// A note about it
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub next: NextArgs,
}

// The next step, scheduled in the same command as a touch (`log`, `follow-up done`).
#[derive(Debug, Args, Default, Clone)]
pub struct NextArgs {
    /// Schedule the lead's next follow-up, e.g. friday, "tomorrow 10am"
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true, value_parser = when)]
    pub next: Option<When>,
    /// What the next follow-up is for
    #[arg(long, value_name = "TEXT", requires = "next")]
    pub next_note: Option<String>,
    /// The touch the next follow-up will be [default: the one just logged, when it is one
    /// you can plan (call, email_sent, meeting, demo); else call]
    #[arg(long, value_name = "KIND", requires = "next", value_parser = Named::<ActivityKind>::new())]
    pub next_kind: Option<ActivityKind>,
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// Show the first N leads only
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = limit)]
    pub limit: Option<u64>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct QualifyArgs {
    /// The leads to qualify
    #[arg(
        allow_negative_numbers = true,
        value_name = "ID",
        required_unless_present = "all",
        value_parser = lead_id
    )]
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
    /// When the lead means to buy (a date, `+3w`, `in 2 months`, a quarter `Q2` or a month
    /// `april`: its last day, the current one while inside it, else the next; `unknown` to
    /// clear)
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
    #[arg(allow_negative_numbers = true, value_parser = lead_id)]
    pub id: i64,
    /// The new place in the pipeline
    #[arg(value_parser = Named::<Status>::new())]
    pub status: Status,
    /// Why (worth giving when closing: won, lost, disqualified)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The amount the deal brought (with `won`), e.g. 12000, 1250.50 or €18.000
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true, value_parser = parse_amount)]
    pub value: Option<Amount>,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The leads' ids
    #[arg(allow_negative_numbers = true, value_name = "ID", required = true, value_parser = lead_id)]
    pub ids: Vec<i64>,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// The lead's id
    #[arg(allow_negative_numbers = true, value_parser = lead_id)]
    pub id: i64,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long)]
    pub force: bool,
}
