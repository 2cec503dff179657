//! `leads qualify`.
use anyhow::Result;

use super::{not_yet, Ctx};
use crate::cli::QualifyArgs;

pub fn run(_args: QualifyArgs, _ctx: &Ctx) -> Result<()> {
    Err(not_yet("leads qualify"))
}
