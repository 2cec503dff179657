//! The few failures a caller (or a script) branches on, and how each maps to an exit code.
//!
//! Everything else is an `anyhow::Error` with context and exits 1.
use std::io;
use std::process::ExitCode;

/// A failure with a documented exit code. Carried inside `anyhow::Error`.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// No lead, follow-up or batch with that id (exit 3).
    #[error("{0}")]
    NotFound(String),
    /// The thing already exists, e.g. a duplicate email (exit 4).
    #[error("{0}")]
    Conflict(String),
    /// A value the user gave, or a row of input data, cannot be used (exit 65).
    #[error("{0}")]
    BadInput(String),
    /// The input file is missing or unreadable (exit 66).
    #[error("{0}")]
    InputMissing(String),
    /// The command line is incomplete in a way clap cannot see (exit 2, as clap's own).
    #[error("{0}")]
    Usage(String),
    /// Another `leads` held the database longer than the busy timeout (exit 75).
    #[error("{0}")]
    Busy(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::NotFound(_) => 3,
            Failure::Conflict(_) => 4,
            Failure::BadInput(_) => 65,
            Failure::InputMissing(_) => 66,
            Failure::Busy(_) => 75,
            Failure::Usage(_) => 2,
        }
    }
}

/// Shorthand for `Err(Failure::BadInput(..))` in an `anyhow` context.
pub fn bad_input(msg: impl Into<String>) -> anyhow::Error {
    Failure::BadInput(msg.into()).into()
}

/// Shorthand for `Err(Failure::NotFound(..))` in an `anyhow` context.
pub fn not_found(msg: impl Into<String>) -> anyhow::Error {
    Failure::NotFound(msg.into()).into()
}

/// The exit code an error deserves, looking through its whole chain of causes.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    match err.chain().find_map(failure_or_busy) {
        Some(Ok(failure)) => failure.exit_code(),
        Some(Err(Busy)) => 75,
        None => 1,
    }
}

/// The database stayed busy (SQLite's busy error, which PostgreSQL's lock timeouts are
/// given as): the one exit 75 whose message does not say why.
struct Busy;

/// The first cause that decides the exit code: a `Failure`, or the database busy.
fn failure_or_busy<'e>(
    cause: &'e (dyn std::error::Error + 'static),
) -> Option<Result<&'e Failure, Busy>> {
    if let Some(failure) = cause.downcast_ref::<Failure>() {
        return Some(Ok(failure));
    }
    let code = cause
        .downcast_ref::<rusqlite::Error>()?
        .sqlite_error_code()?;
    matches!(
        code,
        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
    )
    .then_some(Err(Busy))
}

/// True when the error is only the reader of our output going away (`leads list | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(is_pipe_closed)
}

/// Writers wrap the I/O error they met (csv turns it into an `io::Error` of kind Other
/// around a `csv::Error`; serde_json keeps its own type), so look inside them too.
fn is_pipe_closed(cause: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(io_error) = cause.downcast_ref::<io::Error>() {
        if io_error.kind() == io::ErrorKind::BrokenPipe {
            return true;
        }
        if let Some(inner) = io_error.get_ref() {
            return is_pipe_closed(inner);
        }
    }
    if let Some(csv_error) = cause.downcast_ref::<csv::Error>() {
        if let csv::ErrorKind::Io(io_error) = csv_error.kind() {
            return io_error.kind() == io::ErrorKind::BrokenPipe;
        }
    }
    if let Some(json_error) = cause.downcast_ref::<serde_json::Error>() {
        return json_error.io_error_kind() == Some(io::ErrorKind::BrokenPipe);
    }
    false
}

/// The exit code of a command line clap refused: a value that cannot be used is bad input
/// (65), as when a command finds it; a malformed command line (an unknown flag, a missing
/// argument) is usage (2); `--help` and `--version` are successes.
pub fn parse_exit_code(err: &clap::Error) -> u8 {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    // clap calls a flag given without its value an invalid (empty) value: that is a
    // missing argument.
    let missing = matches!(
        err.get(ContextKind::InvalidValue),
        Some(ContextValue::String(value)) if value.is_empty()
    );
    match err.kind() {
        ErrorKind::InvalidValue if missing => 2,
        ErrorKind::InvalidValue | ErrorKind::ValueValidation | ErrorKind::InvalidUtf8 => 65,
        _ => u8::try_from(err.exit_code()).unwrap_or(2),
    }
}

/// Print clap's message (help on stdout, errors on stderr) and return its exit code.
/// Errors start with `leads:`, as every other message does, where clap writes `error:`.
pub fn parse_failure(err: &clap::Error) -> ExitCode {
    use crate::model::escape_controls;
    use clap::error::{ContextKind, ContextValue};
    let code = parse_exit_code(err);
    // clap quotes the value it refused as it came: never raw to the terminal. A value
    // with control characters gets the message written here, escaped.
    let hostile = match err.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(value)) => escape_controls(value) != value.as_str(),
        _ => false,
    };
    if hostile {
        let value = match err.get(ContextKind::InvalidValue) {
            Some(ContextValue::String(value)) => escape_controls(value).into_owned(),
            _ => String::new(),
        };
        let arg = match err.get(ContextKind::InvalidArg) {
            Some(ContextValue::String(arg)) => format!(" for '{arg}'"),
            _ => String::new(),
        };
        let why = std::error::Error::source(err)
            .map(|why| format!(": {}", escape_controls(&why.to_string())))
            .unwrap_or_default();
        eprintln!("leads: invalid value '{value}'{arg}{why}");
    } else {
        // A closed stdout while printing help is no failure.
        let _ = with_our_prefix(err).map_or_else(|| err.print(), |ours| ours.print());
    }
    ExitCode::from(code)
}

/// clap's error message with `leads:` where clap writes `error:` (its style kept: red on a
/// terminal), as an error clap prints itself, so that the colour follows clap's own choice
/// (the terminal, `NO_COLOR`). None for help and the version, which are no errors.
fn with_our_prefix(err: &clap::Error) -> Option<clap::error::Error<Prerendered>> {
    use clap::error::{ContextKind, ContextValue};
    let rendered = err.render();
    if !rendered.to_string().starts_with("error:") {
        return None;
    }
    // In the styled text the prefix comes first, wrapped in its style's escape codes.
    let styled = rendered.ansi().to_string().replacen("error:", "leads:", 1);
    let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut ours = clap::error::Error::<Prerendered>::new(err.kind()).with_cmd(&cmd);
    ours.insert(
        ContextKind::Custom,
        ContextValue::StyledStr(clap::builder::StyledStr::from(styled)),
    );
    Some(ours)
}

/// The formatter of an error whose message is written already (its `Custom` context).
struct Prerendered;

impl clap::error::ErrorFormatter for Prerendered {
    fn format_error(error: &clap::error::Error<Self>) -> clap::builder::StyledStr {
        use clap::error::{ContextKind, ContextValue};
        match error.get(ContextKind::Custom) {
            Some(ContextValue::StyledStr(message)) => message.clone(),
            _ => clap::builder::StyledStr::new(),
        }
    }
}

/// Print the error on stderr (one line, causes joined; "leads:" in red on a terminal, as
/// in clap's own errors) and return its exit code.
pub fn report(err: &anyhow::Error, color: crate::cli::ColorChoice) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    let code = exit_code(err);
    let mut message = format!("leads: {err}");
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
    }
    // A server that does not answer says so itself (`Failure::Busy`); the database's
    // busy error needs the reason told.
    if matches!(err.chain().find_map(failure_or_busy), Some(Err(Busy))) {
        message.push_str(" (another leads process is using the database; try again)");
    }
    // Errors quote values from the data and the command line: never raw to the terminal.
    let message = crate::model::escape_controls(&message);
    let paint = match color {
        crate::cli::ColorChoice::Always => true,
        crate::cli::ColorChoice::Never => false,
        crate::cli::ColorChoice::Auto => {
            io::IsTerminal::is_terminal(&io::stderr())
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    match message.strip_prefix("leads:") {
        Some(rest) if paint => eprintln!("\x1b[1;31mleads:\x1b[0m{rest}"),
        _ => eprintln!("{message}"),
    }
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_found_inside_writer_errors() {
        let pipe = || io::Error::from(io::ErrorKind::BrokenPipe);
        assert!(is_broken_pipe(&anyhow::Error::from(pipe())));
        let csv_error = csv::Error::from(pipe());
        assert!(is_broken_pipe(&anyhow::Error::from(io::Error::from(
            csv_error
        ))));
        let json_error = serde_json::Error::io(pipe());
        assert!(is_broken_pipe(&anyhow::Error::from(json_error)));
        assert!(!is_broken_pipe(&anyhow::anyhow!("Broken pipe")));
        assert!(!is_broken_pipe(&anyhow::Error::from(io::Error::other(
            "disk full"
        ))));
    }
}
