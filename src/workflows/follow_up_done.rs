//! `follow-up done`: one command per touch. Closing a follow-up logs the touch it was (the
//! seller's note and a call's outcome on that activity), and schedules what comes next: a
//! cadence's next step, a recurrence's next date, or the next follow-up the seller names.
use anyhow::{anyhow, Result};
use chrono::{DateTime, Local, Utc};

use super::touch::{self, Next, Recorded};
use crate::cadence::{EndReason, StepOf};
use crate::error::bad_input;
use crate::model::{Activity, ActivityKind, CallOutcome, FollowUp};
use crate::scoring::{Clock, Profile};
use crate::store::{NewActivity, NewFollowUp, Store};

/// What the seller says about the touch a follow-up was.
#[derive(Debug, Clone, Copy, Default)]
pub struct Said<'a> {
    /// What happened (goes on the activity).
    pub note: Option<&'a str>,
    /// How a call went.
    pub outcome: Option<CallOutcome>,
    /// The touch it was, when not the one planned.
    pub kind: Option<ActivityKind>,
    /// The lead's next follow-up, if the seller plans one.
    pub next: Option<Next<'a>>,
    /// Who is logging it.
    pub by: Option<&'a str>,
}

/// What closing a follow-up did.
pub enum Closed {
    /// It was done already (when), and nothing changed.
    Already(FollowUp, DateTime<Utc>),
    Done(Box<Done>),
}

pub struct Done {
    pub follow_up: FollowUp,
    /// The activity it logged (None: a follow-up without a kind, and none given).
    pub logged: Option<Activity>,
    /// The lead's scores and status after it.
    pub recorded: Option<Recorded>,
    pub then: Then,
}

/// What comes after the follow-up.
pub enum Then {
    Nothing,
    /// A recurring follow-up's next date.
    Recurring {
        id: i64,
        due: DateTime<Utc>,
    },
    /// The recurrence would go beyond the calendar: it ends.
    RecurrenceEnds,
    /// A cadence step: the next step scheduled, or the cadence completed.
    Step(StepDone),
    /// The next follow-up the seller asked for (`--next`).
    Next {
        id: i64,
        due: DateTime<Utc>,
    },
}

/// What doing a cadence step did.
pub struct StepDone {
    pub cadence: String,
    /// The activity the step logged.
    pub logged: ActivityKind,
    /// The next step, or None when that was the last one (the enrollment is completed).
    pub next: Option<NextStep>,
}

/// The step scheduled after the one done.
pub struct NextStep {
    pub step: u32,
    pub steps: usize,
    pub follow_up: i64,
    pub due: DateTime<Utc>,
    pub task: String,
}

/// Close follow-up `id` as the seller said. Call inside `write`.
pub fn close(
    store: &Store,
    id: i64,
    said: &Said<'_>,
    profile: &Profile,
    clock: Clock,
) -> Result<Closed> {
    let follow_up = store.follow_up(id)?;
    if let Some(done_at) = follow_up.done_at {
        return Ok(Closed::Already(follow_up, done_at));
    }
    let lead = store.lead(follow_up.lead_id)?;
    lead.check_writable().map_err(bad_input)?;
    let step = match &follow_up.step_of {
        Some(step_of) => Some(cadence_step(store, step_of)?),
        None => None,
    };
    let planned = step.as_ref().map(|(_, step)| step.kind).or(follow_up.kind);
    let kind = said.kind.or(planned);
    check_said(&follow_up, kind, said)?;

    store.finish_follow_up(follow_up.id, clock.now)?;
    let (logged, recorded) = match kind {
        Some(kind) => {
            let step_note = step.as_ref().and_then(|(_, step)| step.note.as_deref());
            // The step's own touch never ends its enrollment; another (`--kind
            // email_replied`: she answered instead) is an answer like any other.
            let as_planned = step.as_ref().is_some_and(|(_, step)| step.kind == kind);
            let activity = NewActivity {
                outcome: said.outcome,
                note: said.note.or(step_note),
                by: said.by,
                step_follow_up: as_planned.then_some(follow_up.id),
                ..NewActivity::new(lead.id, kind, clock.now)
            };
            let recorded = touch::record(store, &lead, &activity, profile, clock)?;
            (Some(store.activity(recorded.id)?), Some(recorded))
        }
        None => (None, None),
    };
    let then = if let Some((cadence, step_of)) = step {
        Then::Step(next_step(
            store,
            &follow_up,
            &cadence,
            kind.unwrap_or(step_of.kind),
            clock,
        )?)
    } else if let Some(every) = follow_up.every {
        let wall = follow_up.local_time;
        match every.next_after(follow_up.due_at, clock.now, &Local, wall) {
            Some(due) => {
                let next = NewFollowUp {
                    note: follow_up.note.as_deref(),
                    every: Some(every),
                    local_time: wall,
                    kind: follow_up.kind,
                    ..NewFollowUp::new(lead.id, due, ActivityKind::Call)
                };
                Then::Recurring {
                    id: store.insert_follow_up(&next, clock.now)?,
                    due,
                }
            }
            None => Then::RecurrenceEnds,
        }
    } else if let Some(next) = &said.next {
        Then::Next {
            id: touch::plan_next(store, lead.id, kind, next, clock.now)?,
            due: next.due,
        }
    } else {
        Then::Nothing
    };
    Ok(Closed::Done(Box::new(Done {
        follow_up,
        logged,
        recorded,
        then,
    })))
}

/// Refuse what cannot be done with this follow-up before anything changes (exit 65).
fn check_said(follow_up: &FollowUp, kind: Option<ActivityKind>, said: &Said<'_>) -> Result<()> {
    if let Some(outcome) = said.outcome {
        if kind != Some(ActivityKind::Call) {
            let what = kind.map_or("has no kind of touch".to_string(), |k| {
                format!("is for {k}")
            });
            return Err(bad_input(format!(
                "--outcome {outcome}: an outcome is for calls only, and follow-up {} {what} \
                 (say --kind call if it was a call)",
                follow_up.id
            )));
        }
    }
    if said.next.is_some() {
        let schedules_its_own = if follow_up.step_of.is_some() {
            Some("is a cadence step, which schedules the next step itself")
        } else if follow_up.every.is_some() {
            Some("repeats, and schedules its next date itself")
        } else {
            None
        };
        if let Some(why) = schedules_its_own {
            return Err(bad_input(format!(
                "--next: follow-up {} {why}; to plan something else too, use \
                 leads follow-up add {} --due WHEN",
                follow_up.id, follow_up.lead_id
            )));
        }
    }
    Ok(())
}

/// The cadence a step follow-up belongs to, and the step.
fn cadence_step(
    store: &Store,
    step_of: &StepOf,
) -> Result<(crate::cadence::Cadence, crate::cadence::Step)> {
    let enrollment = store.enrollment(step_of.enrollment_id)?;
    let cadence = store.cadence(&enrollment.cadence)?;
    let step = cadence.step(step_of.step).cloned().ok_or_else(|| {
        anyhow!(
            "cadence '{}' has no step {} any more",
            cadence.name,
            step_of.step
        )
    })?;
    Ok((cadence, step))
}

/// After a cadence step: schedule the next one its delay after now, or complete the
/// enrollment.
fn next_step(
    store: &Store,
    follow_up: &FollowUp,
    cadence: &crate::cadence::Cadence,
    logged: ActivityKind,
    clock: Clock,
) -> Result<StepDone> {
    let step_of = follow_up
        .step_of
        .as_ref()
        .ok_or_else(|| anyhow!("follow-up {} is no cadence step", follow_up.id))?;
    let enrollment = store.enrollment(step_of.enrollment_id)?;
    let number = step_of.step + 1;
    let next = match cadence.step(number) {
        None => {
            store.end_enrollment(enrollment.id, EndReason::Completed, None, clock.now)?;
            None
        }
        Some(next) if enrollment.is_active() => {
            let due = next
                .delay
                .shift(clock.now, 1, &Local)
                .ok_or_else(|| bad_input("the next step would be due beyond the calendar"))?;
            let id = store.advance_enrollment(&enrollment, number, next, due, clock.now)?;
            Some(NextStep {
                step: number,
                steps: cadence.steps.len(),
                follow_up: id,
                due,
                task: next.task(),
            })
        }
        // The touch itself ended the enrollment (a lead-side answer logged by hand
        // between steps is the trigger's business; a step's own activity never ends it).
        Some(_) => None,
    };
    Ok(StepDone {
        logged,
        cadence: cadence.name.clone(),
        next,
    })
}
