//! `leads delete`: remove leads entered by mistake, with everything recorded about them.
//!
//! Not the privacy tool: `forget` keeps an anonymous row for the statistics and the hash
//! of the email; a deleted lead leaves nothing, not even in reports.
use anyhow::{bail, Result};

use super::{confirm, Ctx};
use crate::cli::DeleteArgs;

pub fn run(args: DeleteArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let mut ids = args.ids.clone();
    ids.sort_unstable();
    ids.dedup();
    // Every id must exist before anything is asked or removed.
    let leads = ids
        .iter()
        .map(|id| store.lead(*id))
        .collect::<Result<Vec<_>>>()?;
    let named = leads
        .iter()
        .map(|lead| format!("{} ({})", lead.id, lead.name()))
        .collect::<Vec<_>>()
        .join(", ");
    let plural = if leads.len() == 1 { "lead" } else { "leads" };
    if !args.force {
        if !ctx.interactive() {
            bail!(
                "deleting {plural} {named} removes them and their history for good: pass \
                 --force to confirm (there is no terminal to ask on)"
            );
        }
        let question =
            format!("Delete {plural} {named} with their activities and follow-ups for good?");
        if !confirm(ctx, &question)? {
            bail!("nothing was deleted (not confirmed)");
        }
    }
    store.write(|store| {
        for lead in &leads {
            store.delete_lead(lead.id)?;
        }
        Ok(())
    })?;
    ctx.say(format!("deleted {plural} {named}"));
    Ok(())
}
