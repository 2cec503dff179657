//! `leads report`.
use anyhow::Result;

use super::{not_yet, Ctx};
use crate::cli::ReportArgs;

pub fn run(_args: ReportArgs, _ctx: &Ctx) -> Result<()> {
    Err(not_yet("leads report"))
}
