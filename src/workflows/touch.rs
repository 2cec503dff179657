//! Recording what happened with a lead: every command that logs an activity (`log`,
//! `follow-up done`, a cadence step, mail) comes through here, so the rules of a touch
//! hold whoever logs it: the first touch (Domain: an answer or an attempt) moves a `new`
//! lead to `contacted`, recorded in its history; its `last_touch_at` follows (the store
//! keeps it in step); an answer ends its cadence (the schema's trigger); it is rescored.
//!
//! `record` does it all for one activity. A batch (mail import) calls `log` for each
//! activity, the same rules, and `rescore` once for each lead it touched.
use anyhow::Result;

use chrono::{DateTime, Utc};

use crate::cadence::EndReason;
use crate::model::{Activity, ActivityKind, Lead, Status, StoredScores, Touch};
use crate::rescoring::score_lead;
use crate::scoring::{Clock, Profile};
use crate::store::{NewActivity, NewFollowUp, Store};

/// What recording an activity did to its lead.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The activity's id.
    pub id: i64,
    /// The lead as it is now (status and scores updated).
    pub lead: Lead,
    /// Its scores before.
    pub before: StoredScores,
    /// The first touch moved it from `new` to `contacted`.
    pub now_contacted: bool,
}

/// Record `activity` with `lead` (already checked writable), as of `clock`, and rescore
/// the lead. Call inside `write`.
pub fn record(
    store: &Store,
    lead: &Lead,
    activity: &NewActivity<'_>,
    profile: &Profile,
    clock: Clock,
) -> Result<Recorded> {
    let logged = log(store, activity, clock)?;
    let (lead_now, _) = rescore(store, lead.id, profile, clock)?;
    Ok(Recorded {
        id: logged.id,
        before: lead.scores,
        lead: lead_now,
        now_contacted: logged.now_contacted,
    })
}

/// What `log` did.
#[derive(Debug, Clone, Copy)]
pub struct Logged {
    pub id: i64,
    pub now_contacted: bool,
}

/// Record `activity` and apply the rules of a touch, without rescoring (the caller
/// rescores the lead before its transaction ends). Call inside `write`.
pub fn log(store: &Store, activity: &NewActivity<'_>, clock: Clock) -> Result<Logged> {
    let id = store.add_activity(activity)?;
    let is_touch = activity.kind.touch(activity.outcome).is_some();
    // The status as stored now: an earlier activity of the same batch may have moved it.
    let now_contacted = is_touch && store.status_of(activity.lead_id)? == Status::New;
    if now_contacted {
        // The move is recorded when it is made (an activity logged `--at` yesterday does
        // not date the lead's last change back).
        store.change_status(
            activity.lead_id,
            Some(Status::New),
            Status::Contacted,
            clock.now,
            None,
        )?;
    }
    Ok(Logged { id, now_contacted })
}

/// The next step the seller plans with a touch (`--next`, `--next-note`, `--next-kind`).
#[derive(Debug, Clone, Copy)]
pub struct Next<'a> {
    pub due: DateTime<Utc>,
    pub note: Option<&'a str>,
    /// The touch it will be; else the one just logged when a seller can plan it, else a
    /// call (`ActivityKind::next_touch`).
    pub kind: Option<ActivityKind>,
}

/// Schedule the lead's next follow-up after a touch of `logged` kind (None: nothing was
/// logged); returns its id. Call inside `write`.
pub fn plan_next(
    store: &Store,
    lead_id: i64,
    logged: Option<ActivityKind>,
    next: &Next<'_>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let kind = next
        .kind
        .unwrap_or_else(|| logged.map_or(ActivityKind::Call, ActivityKind::next_touch));
    let follow_up = NewFollowUp {
        note: next.note,
        ..NewFollowUp::new(lead_id, next.due, kind)
    };
    store.insert_follow_up(&follow_up, now)
}

/// Correct a logged activity (`activity edit`): the rules of a touch hold for what it is
/// now. A touch moves a `new` lead to `contacted`; an answer it was not before ends the
/// lead's cadence, as a logged answer does; the lead's last touch follows; it is rescored.
/// Call inside `write`.
pub fn correct(
    store: &Store,
    before: &Activity,
    after: &Activity,
    profile: &Profile,
    clock: Clock,
) -> Result<(Lead, StoredScores)> {
    store.update_activity(after)?;
    if after.touch().is_some() && store.status_of(after.lead_id)? == Status::New {
        store.change_status(
            after.lead_id,
            Some(Status::New),
            Status::Contacted,
            clock.now,
            None,
        )?;
    }
    let now_an_answer =
        after.touch() == Some(Touch::Answer) && before.touch() != Some(Touch::Answer);
    if now_an_answer {
        if let Some(enrollment) = store.active_enrollment(after.lead_id)? {
            if enrollment.started_at <= after.at {
                let reason = match after.kind {
                    ActivityKind::EmailReplied => EndReason::Replied,
                    ActivityKind::Meeting => EndReason::Meeting,
                    ActivityKind::Demo => EndReason::Demo,
                    _ => EndReason::Call,
                };
                store.end_enrollment(enrollment.id, reason, None, after.at)?;
            }
        }
    }
    rescore(store, after.lead_id, profile, clock)
}

/// Rescore one lead from what is stored now and save its scores; returns the lead as
/// stored and its scores.
pub fn rescore(
    store: &Store,
    lead_id: i64,
    profile: &Profile,
    clock: Clock,
) -> Result<(Lead, StoredScores)> {
    let mut lead = store.lead(lead_id)?;
    lead.scores = score_lead(store, &lead, profile, clock)?.stored();
    store.save_scores(lead.id, &lead.scores)?;
    let scores = lead.scores;
    Ok((lead, scores))
}
