//! `leads nurture ID... --cadence NAME`, `nurture list`, `nurture stop`: leads in
//! cadences; and what `follow-up done` does when the follow-up is a cadence step.
use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Local, Utc};
use serde_json::{json, Value};

use super::Ctx;
use crate::cadence::{Cadence, EndReason};
use crate::cli::{
    Format, NurtureArgs, NurtureCommand, NurtureEnrollArgs, NurtureListArgs, NurtureStopArgs,
};
use crate::error::{bad_input, Failure};
use crate::model::{contact_marker, FollowUp, Lead, Status};
use crate::output::{self, write_records, Column};
use crate::store::Store;
use crate::workflows::follow_up_done::StepDone;

/// On a terminal too narrow for them all, the columns with a rank are left out, the
/// highest first: started, ended, of, step, why ended, cadence.
const LIST_COLUMNS: [Column; 9] = [
    Column::number("lead_id", "LEAD"),
    Column::text("name", "NAME").marked("marker"),
    Column::text("cadence", "CADENCE").dropped(1),
    Column::number("step", "STEP").dropped(3),
    Column::number("steps", "OF").dropped(4),
    Column::date("next_due", "NEXT DUE"),
    Column::date("started_at", "STARTED").dropped(6),
    Column::date("ended_at", "ENDED").dropped(5),
    Column::text("end_reason", "WHY ENDED").dropped(2),
];

pub fn run(args: NurtureArgs, ctx: &Ctx) -> Result<()> {
    match args.command {
        Some(NurtureCommand::List(args)) => list(args, ctx),
        Some(NurtureCommand::Stop(args)) => stop(args, ctx),
        None => enroll(args.enroll, ctx),
    }
}

/// What enrolling one lead did.
enum Enrolled {
    New { lead: Lead, due: DateTime<Utc> },
    Already(Lead),
}

fn enroll(args: NurtureEnrollArgs, ctx: &Ctx) -> Result<()> {
    let start = match &args.start {
        Some(text) => ctx.when("--start", text)?,
        None => ctx.now,
    };
    let name = args.cadence.as_deref().unwrap_or_default();
    let store = ctx.open_store_to_read()?;
    // All or nothing: one lead that cannot be enrolled leaves every lead as it was.
    let (cadence, enrolled) = store.write(|store| {
        let cadence = store.cadence(name)?;
        let first = cadence
            .step(1)
            .ok_or_else(|| anyhow::anyhow!("the cadence '{}' has no steps", cadence.name))?;
        let due = first.delay.shift(start, 1, &Local).ok_or_else(|| {
            bad_input(format!(
                "--start: the first step would be due beyond the calendar ({} after {})",
                first.delay,
                output::local(start)
            ))
        })?;
        let mut enrolled = Vec::new();
        for id in &args.ids {
            enrolled.push(enroll_one(store, *id, &cadence, start, due, ctx)?);
        }
        Ok((cadence, enrolled))
    })?;
    // A start in the past is a cadence begun by hand earlier: accepted, as a past
    // `follow-up add --due`, with the overdue step said once.
    let first_due = enrolled.iter().find_map(|outcome| match outcome {
        Enrolled::New { due, .. } => Some(*due),
        Enrolled::Already(_) => None,
    });
    for outcome in enrolled {
        match outcome {
            Enrolled::New { lead, due } => ctx.say(format!(
                "lead {} {} is in cadence '{}': step 1 of {} due {}",
                lead.id,
                lead.name(),
                cadence.name,
                cadence.steps.len(),
                output::local(due)
            )),
            Enrolled::Already(lead) => ctx.say(format!(
                "lead {} {} is already in cadence '{}'; left as it is",
                lead.id,
                lead.name(),
                cadence.name
            )),
        }
    }
    if let Some(due) = first_due.filter(|due| *due < ctx.now) {
        ctx.warn(format!(
            "--start {} is in the past: step 1, due {}, is overdue already",
            output::local(start),
            output::local(due)
        ));
    }
    Ok(())
}

/// Enroll one lead, or say why it cannot be. Call inside `write`.
fn enroll_one(
    store: &Store,
    id: i64,
    cadence: &Cadence,
    start: DateTime<Utc>,
    due: DateTime<Utc>,
    ctx: &Ctx,
) -> Result<Enrolled> {
    let lead = store.lead(id)?;
    if lead.forgotten {
        return Err(bad_input(format!(
            "lead {id} was forgotten: nobody nurtures a person who asked to be forgotten"
        )));
    }
    let refuse = |why: String| -> Result<Enrolled> {
        Err(Failure::Conflict(format!(
            "lead {id} {} {why}; nobody was enrolled",
            lead.name()
        ))
        .into())
    };
    if lead.do_not_contact {
        return refuse("is marked do-not-contact".into());
    }
    let status = lead.status();
    if !matches!(status, Status::New | Status::Contacted | Status::Nurturing) {
        return refuse(format!(
            "is {status}, and a cadence nurtures leads not yet qualified"
        ));
    }
    if let Some(current) = store.active_enrollment(id)? {
        if current.cadence == cadence.name {
            return Ok(Enrolled::Already(lead));
        }
        return refuse(format!(
            "is already in cadence '{}' (one at a time: leads nurture stop {id} first)",
            current.cadence
        ));
    }
    store.enroll(id, cadence, start, due, ctx.now)?;
    if matches!(status, Status::New | Status::Contacted) {
        let reason = format!("cadence {}", cadence.name);
        store.change_status(id, Some(status), Status::Nurturing, ctx.now, Some(&reason))?;
    }
    Ok(Enrolled::New { lead, due })
}

fn list(args: NurtureListArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let cadence = match &args.cadence {
        Some(name) => Some(store.cadence(name)?.id),
        None => None,
    };
    let records: Vec<Value> = store
        .enrollments(cadence)?
        .iter()
        .map(|enrollment| {
            let mut record = enrollment.to_json();
            // Flag who must not be contacted, as `list` does.
            let mark = contact_marker(
                &enrollment.name,
                enrollment.do_not_contact,
                enrollment.forgotten,
            );
            if let (Format::Table, Some(mark)) = (args.format, mark) {
                record["marker"] = json!(mark);
            }
            // A table also shows what was said when the lead was taken out by hand.
            if let (Format::Table, Some(note)) = (args.format, &enrollment.end_note) {
                record["end_reason"] = json!(format!(
                    "{} ({note})",
                    output::plain_text(record.get("end_reason"))
                ));
            }
            record
        })
        .collect();
    if records.is_empty() && args.format != Format::Json {
        ctx.say("nobody is in a cadence: leads nurture ID... --cadence NAME");
        return Ok(());
    }
    let mut out = ctx.stdout();
    write_records(&mut out, args.format, &LIST_COLUMNS, &records)?;
    out.flush()?;
    Ok(())
}

fn stop(args: NurtureStopArgs, ctx: &Ctx) -> Result<()> {
    let note = args
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let store = ctx.open_store_to_read()?;
    let (lead, stopped) = store.write(|store| {
        let lead = store.lead(args.id)?;
        let Some(enrollment) = store.active_enrollment(lead.id)? else {
            return Ok((lead, None));
        };
        store.end_enrollment(enrollment.id, EndReason::Stopped, note, ctx.now)?;
        Ok((lead, Some(enrollment)))
    })?;
    match stopped {
        Some(enrollment) => ctx.say(format!(
            "lead {} {} left cadence '{}' at step {} of {}",
            lead.id,
            lead.name(),
            enrollment.cadence,
            enrollment.step,
            enrollment.steps
        )),
        None => ctx.say(format!(
            "lead {} {} is in no cadence; nothing changed",
            lead.id,
            lead.name()
        )),
    }
    Ok(())
}

/// "follow-up 4 with Ada Lovelace done: step 1 of cadence 'e-book', email_sent logged;
/// next: step 2 of 3, call: ask how it went, follow-up 5 due 2026-03-04 09:00"
pub fn step_done_message(follow_up: &FollowUp, done: &StepDone) -> String {
    let head = format!(
        "follow-up {} with {} done: step {} of cadence '{}', {} logged",
        follow_up.id,
        follow_up.name,
        follow_up.step_of.as_ref().map_or(0, |s| s.step),
        done.cadence,
        done.logged
    );
    match &done.next {
        Some(next) => format!(
            "{head}; next: step {} of {}, {}, follow-up {} due {}",
            next.step,
            next.steps,
            next.task,
            next.follow_up,
            output::local(next.due)
        ),
        None => format!("{head}; that was the last step: the cadence is completed"),
    }
}
