//! `leads manpage`: the man page (roff) from the clap definition; no database needed.
//!
//! One page for the whole tool: `man leads` shows every command with its own flags, in a
//! section a command ("LEADS FOLLOW-UP ADD"), instead of pointing to a page per
//! command (`leads-add(1)`) that nothing installs.
use std::io::Write;

use anyhow::Result;
use clap::{Command, CommandFactory};
use clap_mangen::Man;

use crate::cli::Cli;

pub fn run() -> Result<()> {
    let mut page = Vec::new();
    render(&mut page)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(())
}

fn render(page: &mut Vec<u8>) -> std::io::Result<()> {
    let mut cli = Cli::command();
    // Gives every command its full name ("leads follow-up add") for the synopses.
    cli.build();
    let man = Man::new(cli.clone());
    man.render_title(page)?;
    man.render_name_section(page)?;
    man.render_synopsis_section(page)?;
    man.render_description_section(page)?;
    man.render_options_section(page)?;
    for command in commands(&cli) {
        render_command(page, command)?;
    }
    if cli.get_after_help().is_some() || cli.get_after_long_help().is_some() {
        man.render_extra_section(page)?;
    }
    page.extend_from_slice(ENVIRONMENT.as_bytes());
    man.render_version_section(page)
}

/// What the environment changes: a cron user learns `LEADS_DB` here.
const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
\fBLEADS_DB\fR
The database file, as \fB\-\-db\fR (which wins). Without either, leads.db in the platform's
data directory. Its folder must exist.
.TP
\fBLEADS_NOW\fR
An RFC 3339 date\-time that replaces the clock (tests, reproducible cron checks).
.TP
\fBTZ\fR
The time zone dates are read and shown in; an unknown zone is said on stderr.
.TP
\fBNO_COLOR\fR
No colour, as \fB\-\-color never\fR.
.TP
\fBCOLUMNS\fR
The width tables fit on a terminal.
"#;

/// A command's section: its full name as the heading, what it does, its synopsis and its
/// options; then its own commands (`follow-up add`, ...), each a section of its own.
fn render_command(page: &mut Vec<u8>, command: &Command) -> std::io::Result<()> {
    let name = command
        .get_bin_name()
        .unwrap_or_else(|| command.get_name())
        .to_uppercase();
    writeln!(page, ".SH \"{}\"", name.replace('-', "\\-"))?;
    let man = Man::new(command.clone());
    // The pieces clap_mangen renders as whole sections become parts of this one.
    let mut part = Vec::new();
    man.render_synopsis_section(&mut part)?;
    man.render_description_section(&mut part)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut part)?;
    }
    let text = String::from_utf8_lossy(&part);
    // The global options are the page's own section, once.
    let text = match text.find(".SH \"GLOBAL OPTIONS\"") {
        Some(at) => &text[..at],
        None => &text,
    };
    let text = text
        .replace(".SH SYNOPSIS\n", "")
        .replace(".SH DESCRIPTION\n", ".PP\n")
        .replace(".SH OPTIONS\n", ".SS Options\n");
    page.extend_from_slice(text.as_bytes());
    for sub in commands(command) {
        render_command(page, sub)?;
    }
    Ok(())
}

/// A command's own commands, without the `help` clap adds to each.
fn commands(command: &Command) -> impl Iterator<Item = &Command> {
    command
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
}
