//! `leads forget`.
use anyhow::Result;

use super::{not_yet, Ctx};
use crate::cli::ForgetArgs;

pub fn run(_args: ForgetArgs, _ctx: &Ctx) -> Result<()> {
    Err(not_yet("leads forget"))
}
