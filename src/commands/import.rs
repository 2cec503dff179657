//! `leads import`.
use anyhow::Result;

use super::{not_yet, Ctx};
use crate::cli::ImportArgs;

pub fn run(_args: ImportArgs, _ctx: &Ctx) -> Result<()> {
    Err(not_yet("leads import"))
}
