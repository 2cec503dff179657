//! `leads merge KEEP OTHER...`: fold duplicate leads into one (the rules are
//! `workflows::merge`'s); `--dry-run` shows the merged lead as `show` would, writing nothing.
use anyhow::{bail, Result};

use super::show::write_lead;
use super::{confirm, Ctx};
use crate::cli::{Format, MergeArgs};
use crate::model::Lead;
use crate::workflows::merge::{self, Merged};

pub fn run(args: MergeArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let profile = store.profile()?;
    let clock = ctx.clock();
    // Every id must exist, and every lead be mergeable, before anything is asked.
    let checked = merge::check(&store, args.keep, &args.others)?;
    let others = named(&checked.others);
    let keep = named(std::slice::from_ref(&checked.keep));
    let plural = if checked.others.len() == 1 {
        "lead"
    } else {
        "leads"
    };
    if args.dry_run {
        return store.write_then_discard(|store| {
            let merged = merge::merge(store, args.keep, &args.others, &profile, clock)?;
            let format = args.format.unwrap_or(Format::Table);
            write_lead(store, &merged.lead, &profile, format, ctx)?;
            ctx.say(format!(
                "would merge {plural} {others} into lead {keep}: {} (dry run: nothing was \
                 written)",
                moved(&merged)
            ));
            Ok(())
        });
    }
    if !args.force {
        if !ctx.interactive() {
            bail!(
                "merging {plural} {others} into lead {keep} deletes {} once their history \
                 has moved: pass --force to confirm (there is no terminal to ask on)",
                if checked.others.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            );
        }
        let question = format!(
            "Merge {plural} {others} into lead {keep}? Their history moves over, then they \
             are deleted."
        );
        if !confirm(ctx, &question)? {
            bail!("nothing was merged (not confirmed)");
        }
    }
    let merged =
        store.write(|store| merge::merge(store, args.keep, &args.others, &profile, clock))?;
    ctx.say(format!(
        "merged {plural} {others} into lead {keep}: {}",
        moved(&merged)
    ));
    if let Some(format) = args.format {
        write_lead(&store, &merged.lead, &profile, format, ctx)?;
    }
    Ok(())
}

/// "12 (Ada Lovelace), 14 (Ada L.)".
fn named(leads: &[Lead]) -> String {
    leads
        .iter()
        .map(|lead| format!("{} ({})", lead.id, lead.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "moved 3 activities, 1 follow-up, 2 status changes; lead 12 left cadence e-book".
fn moved(merged: &Merged) -> String {
    let moved = &merged.moved;
    let counts = [
        (moved.activities, "activity", "activities"),
        (moved.follow_ups, "follow-up", "follow-ups"),
        (moved.status_changes, "status change", "status changes"),
        (moved.qualifications, "set of answers", "sets of answers"),
    ];
    let counted: Vec<String> = counts
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
    let mut text = if counted.is_empty() {
        "no history to move".to_string()
    } else {
        format!("moved {}", counted.join(", "))
    };
    for (lead, cadence) in &merged.ended_cadences {
        text.push_str(&format!(
            "; lead {lead} left cadence {cadence} (one cadence at a time)"
        ));
    }
    text
}
