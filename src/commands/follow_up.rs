//! `leads follow-up add|list|done|snooze`.
use anyhow::Result;

use super::{not_yet, Ctx};
use crate::cli::FollowUpCommand;

pub fn run(_command: FollowUpCommand, _ctx: &Ctx) -> Result<()> {
    Err(not_yet("leads follow-up"))
}
