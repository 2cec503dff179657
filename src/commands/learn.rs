//! `leads learn`.
use anyhow::Result;

use super::{not_yet, Ctx};
use crate::cli::LearnArgs;

pub fn run(_args: LearnArgs, _ctx: &Ctx) -> Result<()> {
    Err(not_yet("leads learn"))
}
