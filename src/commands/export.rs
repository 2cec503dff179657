//! `leads export`.
use anyhow::Result;

use super::{not_yet, Ctx};
use crate::cli::ExportArgs;

pub fn run(_args: ExportArgs, _ctx: &Ctx) -> Result<()> {
    Err(not_yet("leads export"))
}
