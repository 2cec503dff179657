//! `leads log`: record an activity and rescore the lead.
use anyhow::Result;

use super::{writable_lead, Ctx};
use crate::cli::LogArgs;
use crate::error::bad_input;
use crate::rescoring::score_lead;

pub fn run(args: LogArgs, ctx: &Ctx) -> Result<()> {
    let kind = args.kind;
    let at = match &args.at {
        Some(text) => ctx.when_past("--at", text)?,
        None => ctx.now,
    };
    // An activity is what already happened; a planned call is a follow-up. Counting a
    // future meeting would inflate engagement until long after it.
    if at > ctx.now {
        return Err(bad_input(format!(
            "--at: '{}' is in the future; log what already happened, and plan the rest with \
             `leads follow-up add {} --due WHEN`",
            args.at.as_deref().unwrap_or_default(),
            args.id
        )));
    }
    let note = args
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let store = ctx.open_store_to_read()?;
    let (lead, before) = store.write(|store| {
        let mut lead = writable_lead(store, args.id)?;
        let before = lead.scores;
        store.add_activity(lead.id, kind, at, note)?;
        let profile = store.profile()?;
        lead.scores = score_lead(store, &lead, &profile, ctx.clock())?.stored();
        store.save_scores(lead.id, &lead.scores)?;
        Ok((lead, before))
    })?;
    ctx.say(format!(
        "logged {kind} with lead {}: {} (engagement {} -> {}, score {} -> {})",
        lead.id,
        lead.name(),
        before.engagement,
        lead.scores.engagement,
        before.score,
        lead.scores.score
    ));
    Ok(())
}
