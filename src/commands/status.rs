//! `leads status`: move a lead in the pipeline, with an optional reason.
use anyhow::Result;

use super::Ctx;
use crate::cli::StatusArgs;

pub fn run(args: StatusArgs, ctx: &Ctx) -> Result<()> {
    let status = args.status;
    let store = ctx.open_store()?;
    let lead = store.lead(args.id)?;
    let from = lead.status();
    if from == status {
        ctx.say(format!("lead {} is already {status}", lead.id));
        return Ok(());
    }
    let mut reason = args.reason.clone().filter(|r| !r.trim().is_empty());
    if reason.is_none() && status.is_closed() && ctx.interactive() {
        reason = ctx.ask(&format!("Why {status}? (optional, Enter to skip) "))?;
    }
    store.write(|store| {
        store.change_status(lead.id, Some(from), status, ctx.now, reason.as_deref())
    })?;
    ctx.say(format!(
        "lead {}: {} {from} -> {status}",
        lead.id,
        lead.name()
    ));
    Ok(())
}
