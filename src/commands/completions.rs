//! `leads completions SHELL`: shell completion scripts from the clap definition.
//!
//! Needs no database; when one exists, the sources in use join the known ones offered
//! after `--source`, so a seller's own campaigns complete too.
use std::io::Write;

use anyhow::Result;
use clap::builder::PossibleValuesParser;
use clap::CommandFactory;

use super::Ctx;
use crate::cli::{Cli, CompletionsArgs};
use crate::model::KNOWN_SOURCES;

pub fn run(args: CompletionsArgs, ctx: &Ctx) -> Result<()> {
    let mut command = Cli::command();
    // The subcommands' arguments are built on demand (`defer` in `cli`): build them all
    // before looking for their `--source` flags.
    command.build();
    if let Some(in_use) = sources_in_use(ctx) {
        let mut sources: Vec<String> = KNOWN_SOURCES.iter().map(|s| s.to_string()).collect();
        sources.extend(
            in_use
                .into_iter()
                .filter(|s| is_completable(s) && !KNOWN_SOURCES.contains(&s.as_str())),
        );
        command = offer_sources(command, &sources);
    }
    // Generate into memory first: clap_complete panics on a write error, and a closed
    // pipe (`leads completions bash | head`) must stay a quiet success.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "leads", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}

/// The sources of an existing database; none (and no error) when there is no database or
/// it cannot be read: completions must work on a fresh machine.
fn sources_in_use(ctx: &Ctx) -> Option<Vec<String>> {
    // A server is not asked: a shell's start-up must not wait on the network.
    if !ctx.database().ok()?.file()?.exists() {
        return None;
    }
    ctx.open_store_to_read().ok()?.sources_in_use().ok()
}

/// A source the completion script may carry: the snake-case words leads stores (letters of
/// any alphabet, digits, `_`). The script
/// is run by a shell, so a value edited into the database by hand (quotes, `$(...)`,
/// control characters) is left out rather than trusted.
fn is_completable(source: &str) -> bool {
    !source.is_empty()
        && source
            .chars()
            .all(|c| (c.is_alphanumeric() && !c.is_uppercase()) || c == '_')
}

/// Every `--source` flag of every command offers `sources`.
fn offer_sources(command: clap::Command, sources: &[String]) -> clap::Command {
    let ids: Vec<String> = command
        .get_arguments()
        .filter(|arg| arg.get_long() == Some("source"))
        .map(|arg| arg.get_id().to_string())
        .collect();
    let mut command = command;
    for id in ids {
        let values = PossibleValuesParser::new(
            sources
                .iter()
                .map(|s| clap::builder::PossibleValue::new(s.clone())),
        );
        command = command.mut_arg(id, |arg| arg.value_parser(values));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, |sub| offer_sources(sub, sources));
    }
    command
}

#[cfg(test)]
mod tests {
    use super::is_completable;

    #[test]
    fn only_snake_case_sources_reach_the_completion_script() {
        let cases = [
            ("spring_expo", true),
            ("expo_2026", true),
            ("", false),
            ("$(touch x)", false),
            ("it's", false),
            ("a b", false),
            ("\u{1b}[2j", false),
            ("messe_münchen", true),
        ];
        for (source, expected) in cases {
            assert_eq!(is_completable(source), expected, "{source:?}");
        }
    }
}
