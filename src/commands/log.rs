//! `leads log ID... KIND`: record an activity with one lead or several (a mailing), and
//! with `--next` the lead's next follow-up, in one command: one command per touch.
use anyhow::Result;

use super::Ctx;
use crate::cli::LogArgs;
use crate::error::bad_input;
use crate::model::CallOutcome;
use crate::store::NewActivity;
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
    let next = ctx.next(&args.next)?;
    let note = super::trimmed(args.note.as_deref());
    let store = ctx.open_store_to_read()?;
    let logged = store.write(|store| {
        let profile = store.profile()?;
        let mut logged = Vec::new();
        // Each lead once: `log 3 3 email_sent` is one email.
        let mut seen = std::collections::HashSet::new();
        for &id in args.ids.iter().filter(|id| seen.insert(**id)) {
            let lead = super::writable_lead(store, id)?;
            let activity = NewActivity {
                outcome: args.outcome,
                note,
                by: ctx.user.as_deref(),
                ..NewActivity::new(lead.id, kind, at)
            };
            let recorded = touch::record(store, &lead, &activity, &profile, ctx.clock())?;
            let next = match &next {
                Some(next) => Some((
                    touch::plan_next(store, lead.id, Some(kind), next, ctx.now)?,
                    next.due,
                )),
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
        ctx.warn_do_not_contact(lead);
        if next.is_some() {
            ctx.warn_unlisted(lead);
        }
    }
    Ok(())
}
