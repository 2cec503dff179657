//! Questions on the terminal: a free answer, or yes/no.
use std::io::{self, Write};

use anyhow::Result;

use super::Ctx;
use crate::model::{normalize_key, read_yes_no};
use crate::output::escape_controls;

impl Ctx {
    /// Ask a question on the terminal; None when the person just pressed Enter.
    /// End of input (Ctrl-D) is not an answer: it stops the command before anything
    /// is written, as Ctrl-C does.
    pub fn ask(&self, question: &str) -> Result<Option<String>> {
        eprint!("{}", escape_controls(question));
        io::stderr().flush()?;
        let mut answer = String::new();
        if io::stdin().read_line(&mut answer)? == 0 {
            eprintln!();
            anyhow::bail!("stopped at end of input; nothing was changed");
        }
        let answer = answer.trim();
        Ok((!answer.is_empty()).then(|| answer.to_string()))
    }
}

/// A yes/no question on the terminal; anything but yes (`model::read_yes_no`; "y." and
/// "Yes!" too) is no.
pub fn confirm(ctx: &Ctx, question: &str) -> Result<bool> {
    let answer = ctx.ask(&format!("{question} [y/N] "))?;
    Ok(answer
        .as_deref()
        .map(normalize_key)
        .and_then(|word| read_yes_no(&word))
        == Some(true))
}
