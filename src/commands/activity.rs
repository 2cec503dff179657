//! `leads activity edit|delete`: correct or remove a logged activity. The lead's last touch
//! follows (the store keeps it in step) and the lead is rescored.
use anyhow::{bail, Result};

use super::{confirm, Ctx};
use crate::cli::{ActivityCommand, ActivityDeleteArgs, ActivityEditArgs};
use crate::error::bad_input;
use crate::model::{Activity, CallOutcome};
use crate::output;
use crate::workflows::touch::{self, rescore};

pub fn run(command: ActivityCommand, ctx: &Ctx) -> Result<()> {
    match command {
        ActivityCommand::Edit(args) => edit(args, ctx),
        ActivityCommand::Delete(args) => delete(args, ctx),
    }
}

fn edit(args: ActivityEditArgs, ctx: &Ctx) -> Result<()> {
    if args.kind.is_none() && args.outcome.is_none() && args.at.is_none() && args.note.is_none() {
        return Err(bad_input(
            "nothing to change: give --kind, --outcome, --at or --note",
        ));
    }
    let at = match &args.at {
        Some(text) => {
            let at = ctx.when_past("--at", text)?;
            if at > ctx.now {
                return Err(bad_input(format!(
                    "--at: '{}' is in the future; an activity is what already happened",
                    &**text
                )));
            }
            Some(at)
        }
        None => None,
    };
    let store = ctx.open_store_to_read()?;
    let (activity, lead) = store.write(|store| {
        let before = store.activity(args.id)?;
        let mut activity = before.clone();
        let lead = super::writable_lead(store, activity.lead_id)?;
        if let Some(kind) = args.kind {
            activity.kind = kind;
        }
        activity.outcome = match (args.outcome, activity.kind.takes_outcome()) {
            (Some(outcome), true) => Some(outcome),
            (Some(outcome), false) => {
                return Err(bad_input(format!(
                    "--outcome {outcome}: an outcome is for calls only, and activity {} is \
                     {}",
                    activity.id, activity.kind
                )))
            }
            // A call keeps its outcome (or is connected); another kind has none.
            (None, true) => activity.outcome.or(Some(CallOutcome::Connected)),
            (None, false) => None,
        };
        if let Some(at) = at {
            activity.at = at;
        }
        if let Some(note) = &args.note {
            activity.note = super::trimmed(Some(note)).map(String::from);
        }
        let (lead_now, _) =
            touch::correct(store, &before, &activity, &store.profile()?, ctx.clock())?;
        Ok((activity, (lead, lead_now)))
    })?;
    let (before, after) = lead;
    ctx.say(format!(
        "activity {} of lead {} ({}) is now {} on {} (score {} -> {})",
        activity.id,
        after.id,
        after.name(),
        activity.describe(),
        output::local(activity.at),
        before.scores.score,
        after.scores.score
    ));
    Ok(())
}

fn delete(args: ActivityDeleteArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let mut ids = args.ids.clone();
    ids.sort_unstable();
    ids.dedup();
    // Every id must exist before anything is asked or removed.
    let activities = ids
        .iter()
        .map(|id| store.activity(*id))
        .collect::<Result<Vec<Activity>>>()?;
    let named = activities
        .iter()
        .map(|a| {
            format!(
                "{} ({} on {}, lead {})",
                a.id,
                a.describe(),
                output::local(a.at),
                a.lead_id
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let plural = if activities.len() == 1 {
        "activity"
    } else {
        "activities"
    };
    if !args.force {
        if !ctx.interactive() {
            bail!(
                "deleting {plural} {named} removes {} for good: pass --force to confirm \
                 (there is no terminal to ask on)",
                if activities.len() == 1 { "it" } else { "them" }
            );
        }
        if !confirm(ctx, &format!("Delete {plural} {named}?"))? {
            bail!("nothing was deleted (not confirmed)");
        }
    }
    store.write(|store| {
        let profile = store.profile()?;
        let mut leads: Vec<i64> = Vec::new();
        for asked in &activities {
            // Read again under the write lock: what was confirmed must still be so (another
            // process may have deleted it, or a merge moved it to another lead).
            let activity = store.activity(asked.id)?;
            if activity != *asked {
                return Err(crate::error::Failure::Conflict(format!(
                    "activity {} changed while you were asked; nothing was deleted (run the \
                     command again)",
                    asked.id
                ))
                .into());
            }
            super::writable_lead(store, activity.lead_id)?;
            store.delete_activity(&activity)?;
            leads.push(activity.lead_id);
        }
        leads.sort_unstable();
        leads.dedup();
        for lead in leads {
            rescore(store, lead, &profile, ctx.clock())?;
        }
        Ok(())
    })?;
    ctx.say(format!("deleted {plural} {named}"));
    Ok(())
}
