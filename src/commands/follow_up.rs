//! `leads follow-up add|list|done|snooze|delete`: what must happen next, and the cron entry point.
//!
//! `list` is built for cron: it only reads (no rescoring, no write lock), so it runs while
//! another `leads` writes, and with `--overdue` it prints nothing at all when nothing is
//! overdue, because cron mails whatever a job prints.
use std::io::Write;

use anyhow::Result;
use std::collections::HashSet;

use chrono::Local;
use serde_json::Value;

use super::{nurture, Ctx};
use crate::cli::{
    FollowUpAddArgs, FollowUpCommand, FollowUpDeleteArgs, FollowUpDoneArgs, FollowUpFormat,
    FollowUpListArgs, FollowUpSnoozeArgs, Format,
};
use crate::error::{bad_input, Failure};
use crate::io::ics;
use crate::output::{self, write_records, Column};
use crate::store::NewFollowUp;
use crate::workflows::follow_up_done::{self, Closed, Done, Said, Then};

/// What a follow-up list shows in a table, TSV or CSV. JSON carries every field. On a
/// terminal too narrow for them all, step, cadence, every and lead are left out in turn.
const COLUMNS: [Column; 8] = [
    Column::number("id", "ID"),
    Column::date("due_at", "DUE"),
    Column::number("lead_id", "LEAD").dropped(1),
    Column::text("name", "NAME"),
    Column::text("note", "NOTE"),
    Column::text("every", "EVERY").dropped(2),
    Column::text("cadence", "CADENCE").dropped(3),
    Column::number("step", "STEP").dropped(4),
];

pub fn run(command: FollowUpCommand, ctx: &Ctx) -> Result<()> {
    match command {
        FollowUpCommand::Add(args) => add(args, ctx),
        FollowUpCommand::List(args) => list(args, ctx),
        FollowUpCommand::Done(args) => done(args, ctx),
        FollowUpCommand::Snooze(args) => snooze(args, ctx),
        FollowUpCommand::Delete(args) => delete(args, ctx),
    }
}

/// Schedule a follow-up; prints its id.
fn add(args: FollowUpAddArgs, ctx: &Ctx) -> Result<()> {
    let due_at = ctx.when("--due", &args.due)?;
    let every = args.every;
    let note = args
        .note
        .as_deref()
        .map(str::trim)
        .filter(|note| !note.is_empty());

    let store = ctx.open_store_to_read()?;
    let (lead, id) = store.write(|store| {
        let lead = super::writable_lead(store, args.id)?;
        let follow_up = NewFollowUp {
            note,
            every,
            // The time of day asked for, which each next occurrence keeps (days, weeks and
            // months are calendar steps; hours are exact lengths).
            local_time: every
                .filter(|every| every.is_calendar())
                .map(|_| due_at.with_timezone(&chrono::Local).time()),
            ..NewFollowUp::new(lead.id, due_at, args.kind)
        };
        let id = store.insert_follow_up(&follow_up, ctx.now)?;
        Ok((lead, id))
    })?;
    let mut out = ctx.stdout();
    writeln!(out, "{id}")?;
    out.flush()?;

    let cadence = every.map_or(String::new(), |every| format!(", every {every}"));
    let in_the_past = ctx.in_the_past(due_at)?;
    let overdue = if due_at <= ctx.now && !in_the_past {
        " (already overdue)"
    } else {
        ""
    };
    ctx.say(format!(
        "follow-up {id} with {} (lead {}) due {}{cadence}{overdue}",
        lead.name(),
        lead.id,
        output::local(due_at),
    ));
    if in_the_past {
        ctx.warn_past_due(due_at, id);
    }
    ctx.warn_unlisted(&lead);
    Ok(())
}

/// Open follow-ups, most overdue first. Empty: nothing on stdout (JSON `[]`, and an empty
/// calendar for ICS, which are documents); with `--overdue`, nothing on stderr either.
fn list(args: FollowUpListArgs, ctx: &Ctx) -> Result<()> {
    let due_by = if args.overdue {
        Some(ctx.now)
    } else if let Some(within) = args.due_within {
        Some(
            within
                .shift(ctx.now, 1, &Local)
                .ok_or_else(|| bad_input(format!("--due-within: '{within}' is too far ahead")))?,
        )
    } else {
        None
    };
    let store = ctx.open_store_to_read()?;
    let follow_ups = match args.lead {
        Some(lead_id) => {
            // An unknown lead is a mistake to say, not an empty list.
            store.lead(lead_id)?;
            store.open_follow_ups_of_lead(lead_id, due_by)?
        }
        None => store.open_follow_ups(due_by)?,
    };

    let mut out = ctx.stdout();
    let format = match args.format {
        FollowUpFormat::Ics => {
            out.write_all(ics::calendar(&follow_ups, ctx.now).as_bytes())?;
            out.flush()?;
            return Ok(());
        }
        FollowUpFormat::Table => Format::Table,
        FollowUpFormat::Tsv => Format::Tsv,
        FollowUpFormat::Csv => Format::Csv,
        FollowUpFormat::Json => Format::Json,
        FollowUpFormat::Ndjson => Format::Ndjson,
    };
    if follow_ups.is_empty() && format != Format::Json {
        if !args.overdue {
            ctx.say("no follow-ups due");
        }
        return Ok(());
    }
    let records: Vec<Value> = follow_ups
        .iter()
        .map(|follow_up| {
            // A table, CSV or TSV shows some of the keys: only those are built.
            let mut record = if format.is_columns() {
                follow_up.to_json_of(|key| COLUMNS.iter().any(|column| column.key == key))
            } else {
                follow_up.to_json()
            };
            // Painted red in a table on a terminal (never a field of the data).
            if format == Format::Table && follow_up.due_at <= ctx.now {
                record["overdue"] = Value::Bool(true);
            }
            record
        })
        .collect();
    // A table shows the cadence columns when some follow-up is a cadence step; the line
    // formats always carry them, so a script sees the same columns every time.
    let any_step = follow_ups.iter().any(|f| f.step_of.is_some());
    let columns = if format == Format::Table && !any_step {
        &COLUMNS[..6]
    } else {
        &COLUMNS[..]
    };
    write_records(&mut out, format, columns, &records)?;
    out.flush()?;
    Ok(())
}

/// Close follow-ups: each logs the touch it was (with the note and outcome given) and
/// schedules what comes next (a cadence's next step, a recurrence, `--next`). All in one
/// transaction: an id that is wrong changes nothing.
fn done(args: FollowUpDoneArgs, ctx: &Ctx) -> Result<()> {
    let next = ctx.next(&args.next)?;
    if let (Some(outcome), Some(kind)) = (args.outcome, args.kind) {
        if !kind.takes_outcome() {
            return Err(bad_input(format!(
                "--outcome {outcome}: an outcome is for calls only, not {kind}"
            )));
        }
    }
    let said = Said {
        note: super::trimmed(args.note.as_deref()),
        outcome: args.outcome,
        kind: args.kind,
        next,
        by: ctx.user.as_deref(),
    };
    let store = ctx.open_store_to_read()?;
    let closed = store.write(|store| {
        let profile = store.profile()?;
        // Each follow-up once, and one next step a lead (two follow-ups of one lead done
        // together plan one next step, not two).
        let mut seen = HashSet::new();
        let mut planned = HashSet::new();
        let mut closed = Vec::new();
        for &id in args.ids.iter().filter(|id| seen.insert(**id)) {
            let lead = store.follow_up(id)?.lead_id;
            let said = Said {
                next: said.next.filter(|_| planned.insert(lead)),
                ..said
            };
            let done = follow_up_done::close(store, id, &said, &profile, ctx.clock())?;
            let lead_now = store.lead(lead)?;
            closed.push((done, lead_now));
        }
        Ok(closed)
    })?;
    for (closed, lead) in closed {
        match closed {
            Closed::Already(follow_up, done_at) => ctx.say(format!(
                "follow-up {} was already done on {}; nothing changed",
                follow_up.id,
                output::local(done_at)
            )),
            Closed::Done(done) => {
                say_done(ctx, &done);
                if done.logged.is_some() {
                    ctx.warn_do_not_contact(&lead);
                }
                if matches!(done.then, Then::Next { .. }) {
                    ctx.warn_unlisted(&lead);
                }
            }
        }
    }
    Ok(())
}

/// "follow-up 3 with Ada Lovelace done: call logged (engagement 12 -> 30); next: ..."
fn say_done(ctx: &Ctx, done: &Done) {
    let follow_up = &done.follow_up;
    if let Then::Step(step) = &done.then {
        ctx.say(nurture::step_done_message(follow_up, step));
        return;
    }
    let mut message = format!("follow-up {} with {} done", follow_up.id, follow_up.name);
    if let (Some(activity), Some(recorded)) = (&done.logged, &done.recorded) {
        message.push_str(&format!(
            ": {} logged (engagement {} -> {}, score {} -> {})",
            activity.describe(),
            recorded.before.engagement,
            recorded.lead.scores.engagement,
            recorded.before.score,
            recorded.lead.scores.score
        ));
        if recorded.now_contacted {
            message.push_str("; now contacted");
        }
    }
    match &done.then {
        Then::Recurring { id, due } => {
            message.push_str(&format!(
                "; next: follow-up {id} due {}",
                output::local(*due)
            ));
        }
        Then::Next { id, due } => {
            message.push_str(&format!(
                "; next: follow-up {id} due {}",
                output::local(*due)
            ));
            ctx.say(&message);
            if ctx.in_the_past(*due).unwrap_or(false) {
                ctx.warn_past_due(*due, *id);
            }
            return;
        }
        Then::RecurrenceEnds => {
            ctx.say(&message);
            ctx.warn(format!(
                "follow-up {} done, and its recurrence '{}' ends: the next date would lie \
                 outside the years 1900 to 2199 (or the interval cannot be read); \
                 add the next one with leads follow-up add {} --due WHEN --every INTERVAL",
                follow_up.id,
                follow_up.every.map(|e| e.to_string()).unwrap_or_default(),
                follow_up.lead_id
            ));
            return;
        }
        Then::Nothing | Then::Step(_) => {}
    }
    if done.logged.is_none() {
        message.push_str(
            " (nothing logged: it was planned before follow-ups had kinds; \
             say --kind to log one)",
        );
    }
    ctx.say(message);
}

/// Push an open follow-up to a new due time.
fn snooze(args: FollowUpSnoozeArgs, ctx: &Ctx) -> Result<()> {
    let until = ctx.when("--until", &args.until)?;
    let store = ctx.open_store_to_read()?;
    let follow_up = store.write(|store| {
        let follow_up = store.follow_up(args.id)?;
        if let Some(done_at) = follow_up.done_at {
            return Err(Failure::Conflict(format!(
                "follow-up {} was done on {}: schedule a new one with \
                 leads follow-up add {} --due WHEN",
                follow_up.id,
                output::local(done_at),
                follow_up.lead_id
            ))
            .into());
        }
        store.reschedule_follow_up(follow_up.id, until)?;
        Ok(follow_up)
    })?;
    ctx.say(format!(
        "follow-up {} with {} snoozed until {}",
        follow_up.id,
        follow_up.name,
        output::local(until)
    ));
    if until <= ctx.now {
        ctx.warn(format!(
            "{} is not in the future: follow-up {} is still overdue",
            output::local(until),
            follow_up.id
        ));
    }
    Ok(())
}

/// Remove a follow-up scheduled by mistake (done or not).
fn delete(args: FollowUpDeleteArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let follow_up = store.write(|store| {
        let follow_up = store.follow_up(args.id)?;
        store.delete_follow_up(follow_up.id)?;
        Ok(follow_up)
    })?;
    ctx.say(format!(
        "deleted follow-up {} with {} (lead {}), due {}",
        follow_up.id,
        follow_up.name,
        follow_up.lead_id,
        output::local(follow_up.due_at)
    ));
    Ok(())
}
