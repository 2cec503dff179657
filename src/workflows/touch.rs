//! Recording what happened with a lead: every command that logs an activity (`log`,
//! `follow-up done`, a cadence step, mail) comes through here, so the rules of a touch
//! hold whoever logs it: the first touch (Domain: an answer or an attempt) moves a `new`
//! lead to `contacted`, recorded in its history; its `last_touch_at` follows (the store
//! keeps it in step); an answer ends its cadence (the schema's trigger); it is rescored.
//!
//! `record` does it all for one activity. A batch (mail import) calls `log` for each
//! activity, the same rules, and `rescore` once for each lead it touched.
use anyhow::Result;

use crate::model::{Lead, Status, StoredScores};
use crate::rescoring::score_lead;
use crate::scoring::{Clock, Profile};
use crate::store::{NewActivity, Store};

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
