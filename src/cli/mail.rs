//! The arguments of `mail`.
use clap::{Args, Subcommand};

use super::SummaryFormat;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum MailCommand {
    /// Log your email exchanges with leads from your own mail, offline: a Maildir (with its
    /// Maildir++ subfolders, or a folder of Maildirs), an mbox file, .eml files, or `-` for
    /// one message on standard input (a mail filter's hook)
    ///
    /// A message you sent logs email_sent for each lead in its To and Cc; one from a lead
    /// logs email_replied; a delivery failure report logs email_bounced for the lead whose
    /// address failed. Mail with no lead in it, mailing lists and bulk mail (List-Id,
    /// Precedence, Auto-Submitted), the addresses and domains of `leads config mail.ignore`
    /// and mail among your own addresses are never logged. Stored: the time, the kind and
    /// the subject; never a body, never the address of someone who is not a lead. Each
    /// message is logged once, however often it is imported. Needs your addresses:
    /// `leads config mail.me "you@example.com, alias@example.com"`.
    Import(MailImportArgs),
}

#[derive(Debug, Args)]
pub struct MailImportArgs {
    /// Maildir folders, mbox files, .eml files, or `-` for one message on standard input
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,
    /// Say what would be logged, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Make a lead (source inbound_email) of a person who writes to you directly, then log
    /// the reply
    #[arg(long)]
    pub add_unknown: bool,
    /// Store no subject as the note of the activities logged
    #[arg(long)]
    pub no_subject: bool,
    /// The summary as a line on stderr, or a JSON object on stdout
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}
