//! The arguments of `import`.
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::values::batch_id;

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
    #[arg(allow_negative_numbers = true, long, value_name = "BATCH", conflicts_with_all = ["file", "list"], value_parser = batch_id)]
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
