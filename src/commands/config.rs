//! `leads config`.
use anyhow::Result;

use super::{not_yet, Ctx};
use crate::cli::ConfigArgs;

pub fn run(_args: ConfigArgs, _ctx: &Ctx) -> Result<()> {
    Err(not_yet("leads config"))
}
