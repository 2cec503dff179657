//! The arguments of `config` (settings and scoring rules) and `completions`.
use clap::{Args, Subcommand, ValueEnum};

use super::values::{points, rule_id};
use super::Format;
use crate::scoring::Part;

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
    /// The new value (a list as comma-separated values; `default` restores the default);
    /// several words are one value, joined by a space
    // Negative numbers only, for their clear error (`weights.fit -3`): any word starting
    // with a hyphen swallowed the flags after the value (`fit.industries a --add b`
    // stored the industry "a --add b").
    #[arg(allow_negative_numbers = true, value_name = "VALUE")]
    pub value: Vec<String>,
    /// Add to a list setting (fit.industries, fit.countries, fit.senior_titles,
    /// fit.manager_titles, fit.non_buyer_titles) without retyping it: `leads config
    /// fit.senior_titles --add "head of sales"`; several as comma-separated values; one
    /// already there is kept once
    #[arg(
        long,
        value_name = "VALUE",
        num_args = 1..,
        requires = "key",
        conflicts_with_all = ["value", "remove"]
    )]
    pub add: Vec<String>,
    /// Remove from a list setting; a value not in the list is an error (exit 65) that
    /// names the list's values, and nothing is removed
    #[arg(
        long,
        value_name = "VALUE",
        num_args = 1..,
        requires = "key",
        conflicts_with = "value"
    )]
    pub remove: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ConfigFormat::Text)]
    pub format: ConfigFormat,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ConfigCommand {
    /// Scoring rules: points on fit, engagement or readiness when a field or attribute matches
    #[command(subcommand)]
    Rule(RuleCommand),
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum RuleCommand {
    /// Add a rule, e.g. `rule add '"Total Time Spent on Website" >= 600' --axis engagement --points 15`
    Add(RuleAddArgs),
    /// List the rules with their numbers
    List(RuleListArgs),
    /// Delete rules by their numbers (all or none: an unknown number deletes nothing)
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
    #[arg(long, value_enum, default_value_t = Part::Fit)]
    pub axis: Part,
    /// Points the rule adds when it matches (negative to take them away), -100 to 100
    #[arg(long, allow_hyphen_values = true, value_name = "POINTS", value_parser = points)]
    pub points: f64,
}

#[derive(Debug, Args)]
pub struct RuleListArgs {
    /// Output format, as every listing (`text` is taken as `table`)
    #[arg(long, value_enum, default_value_t = Format::Table, value_parser = rule_list_format)]
    pub format: Format,
}

/// `rule list --format`: the listings' formats, and `text` (its first release's name for
/// the table) kept working for scripts that say it.
fn rule_list_format(text: &str) -> Result<Format, String> {
    if text.eq_ignore_ascii_case("text") {
        return Ok(Format::Table);
    }
    Format::from_str(text, true).map_err(|_| {
        format!("'{text}' is not a format (expected one of: table, tsv, csv, json, ndjson)")
    })
}

#[derive(Debug, Args)]
pub struct RuleDeleteArgs {
    /// The rules' numbers (see `leads config rule list`)
    #[arg(value_name = "ID", required = true, allow_negative_numbers = true, value_parser = rule_id)]
    pub ids: Vec<i64>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
