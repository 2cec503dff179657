//! `leads log ID... KIND`: record an activity with one lead or several (a mailing), and
//! with `--next` the lead's next follow-up, in one command: one command per touch.
use anyhow::Result;

use super::Ctx;
use crate::cli::LogArgs;
use crate::error::bad_input;
use crate::model::CallOutcome;
use crate::store::{NewActivity, NewFollowUp};
use crate::workflows::touch;

pub fn run(args: LogArgs, ctx: &Ctx) -> Result<()> {
    let kind = args.kind;
    let at = match &args.at {
        Some(text) => ctx.when_past("--at", text)?,
        None => ctx.now,
    };
    let first = args.ids.first().copied().unwrap_or_default();
    // An activity is what already happened; a planned call is a follow-up. Counting a
    // future meeting would inflate engagement until long after it.
    if at > ctx.now {
        return Err(bad_input(format!(
            "--at: '{}' is in the future; log what already happened, and plan the rest with \
             `leads follow-up add {first} --due WHEN`",
            args.at.as_deref().unwrap_or_default(),
        )));
    }
    if let Some(outcome) = args.outcome.filter(|_| !kind.takes_outcome()) {
        return Err(bad_input(format!(
            "--outcome {outcome}: an outcome is for calls only, not {kind} (one of: {})",
            CallOutcome::ALL.map(|o| o.as_str()).join(", ")
        )));
    }
    let next = match &args.next.next {
        Some(text) => Some(ctx.when("--next", text)?),
        None => None,
    };
    let note = super::trimmed(args.note.as_deref());
    let next_note = super::trimmed(args.next.next_note.as_deref());
    let store = ctx.open_store_to_read()?;
    let logged = store.write(|store| {
        let profile = store.profile()?;
        let mut logged = Vec::new();
        for &id in &args.ids {
            let lead = super::writable_lead(store, id)?;
            let activity = NewActivity {
                outcome: args.outcome,
                note,
                by: ctx.user.as_deref(),
                ..NewActivity::new(lead.id, kind, at)
            };
            let recorded = touch::record(store, &lead, &activity, &profile, ctx.clock())?;
            let next = match next {
                Some(due) => {
                    let follow_up = NewFollowUp {
                        note: next_note,
                        ..NewFollowUp::new(
                            lead.id,
                            due,
                            args.next.next_kind.unwrap_or_else(|| kind.next_touch()),
                        )
                    };
                    Some((store.insert_follow_up(&follow_up, ctx.now)?, due))
                }
                None => None,
            };
            logged.push((recorded, next));
        }
        Ok(logged)
    })?;
    let what = match args.outcome {
        Some(outcome) if outcome != CallOutcome::Connected => {
            format!("{kind} ({})", outcome.words())
        }
        _ => kind.to_string(),
    };
    for (recorded, next) in logged {
        let lead = &recorded.lead;
        let mut message = format!(
            "logged {what} with lead {}: {} (engagement {} -> {}, score {} -> {})",
            lead.id,
            lead.name(),
            recorded.before.engagement,
            lead.scores.engagement,
            recorded.before.score,
            lead.scores.score
        );
        if recorded.now_contacted {
            message.push_str("; now contacted");
        }
        if let Some((id, due)) = next {
            message.push_str(&format!(
                "; next: follow-up {id} due {}",
                crate::output::local(due)
            ));
        }
        ctx.say(message);
        if let Some((id, due)) = next.filter(|(_, due)| ctx.in_the_past(*due).unwrap_or(false)) {
            ctx.warn_past_due(due, id);
        }
        if lead.do_not_contact && !lead.forgotten {
            ctx.warn(format!(
                "lead {} {} is marked do-not-contact: logged, as it happened (leads edit {} \
                 --do-not-contact false lifts the mark)",
                lead.id,
                lead.name(),
                lead.id
            ));
        }
    }
    Ok(())
}
