//! When stored scores are recomputed: once a local day for the scores that move with
//! the clock, for every open lead after the profile changed, and for one lead after it
//! changed. Commands call these; the arithmetic is `scoring`'s, the SQL `store`'s.
use anyhow::Result;

use crate::model::Lead;
use crate::scoring::{self, Clock, Profile, Scores};
use crate::store::Store;

/// Compute a stored lead's scores as of `clock` from its activities.
pub fn score_lead(store: &Store, lead: &Lead, profile: &Profile, clock: Clock) -> Result<Scores> {
    let activities = store.activities(lead.id)?;
    Ok(scoring::score(lead, &activities, profile, clock))
}

const SCORED_DAY: &str = "scores.day";
const SCORED_PROFILE: &str = "scores.profile";

/// What the stored scores need before a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Nothing: computed today, with this profile.
    Nothing,
    /// The day's refresh of the scores that move with the clock (decaying activities,
    /// approaching timelines).
    Day,
    /// Every open lead: the profile changed since they were computed.
    Profile,
}

/// What the stored scores need before a read as of `clock` (the user's local day).
pub fn due(store: &Store, profile: &Profile, clock: Clock) -> Result<Due> {
    let fingerprint = serde_json::to_string(profile)?;
    if store.setting(SCORED_PROFILE)?.as_deref() != Some(fingerprint.as_str()) {
        return Ok(Due::Profile);
    }
    let day = clock.today().to_string();
    if store.setting(SCORED_DAY)?.as_deref() != Some(day.as_str()) {
        return Ok(Due::Day);
    }
    Ok(Due::Nothing)
}

/// Keep stored scores current before reading them: once a day the scores that move with
/// the clock, and all open leads after the profile changed. Skipped (stored scores
/// shown) when another process is writing.
pub fn refresh_scores(store: &Store, profile: &Profile, clock: Clock) -> Result<()> {
    refresh(store, profile, clock, false)
}

/// `refresh_scores`, waiting for another writer rather than skipping (the background run
/// that `today` starts, which is in no one's way).
pub fn refresh_scores_waiting(store: &Store, profile: &Profile, clock: Clock) -> Result<()> {
    refresh(store, profile, clock, true)
}

/// Rescore what is `due`, asked first without a lock (most reads: nothing) and again
/// under it: the writer waited for may have been another refresh (several `today`s in a
/// row each start one; a `list` refreshes in place).
fn refresh(store: &Store, profile: &Profile, clock: Clock, wait: bool) -> Result<()> {
    if due(store, profile, clock)? == Due::Nothing {
        return Ok(());
    }
    let work = |store: &Store| match due(store, profile, clock)? {
        Due::Nothing => Ok(()),
        due => rescore(store, profile, clock, due == Due::Day).map(|_| ()),
    };
    if wait {
        store.write(work)
    } else {
        store.try_write(work).map(|_| ())
    }
}

/// How many open leads a rescoring computed, and how many of their scores changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rescored {
    pub scored: usize,
    pub changed: usize,
}

/// Rescore every open lead now, in one transaction (waiting for another writer).
pub fn rescore_all_open_leads(store: &Store, profile: &Profile, clock: Clock) -> Result<Rescored> {
    store.write(|store| rescore(store, profile, clock, false))
}

/// After writing freshly scored leads into a database never refreshed, record that its
/// scores are current, so the first `list` does not rescore everything for nothing.
pub fn mark_scored_if_new(store: &Store, profile: &Profile, clock: Clock) -> Result<()> {
    if store.setting(SCORED_PROFILE)?.is_none() {
        mark_scored(store, profile, clock)?;
    }
    Ok(())
}

/// Rescore the open leads (only those whose scores move with the clock, or all of them)
/// and record that the stored scores are current. Call inside a write transaction.
fn rescore(
    store: &Store,
    profile: &Profile,
    clock: Clock,
    time_dependent_only: bool,
) -> Result<Rescored> {
    let mut scored = 0;
    let changed = store.rescore_open_leads(time_dependent_only, |lead, activities| {
        scored += 1;
        scoring::score_numbers(lead, activities, profile, clock)
    })?;
    mark_scored(store, profile, clock)?;
    Ok(Rescored { scored, changed })
}

/// Record the day and the profile the stored scores were computed with.
fn mark_scored(store: &Store, profile: &Profile, clock: Clock) -> Result<()> {
    store.set_setting(SCORED_DAY, &clock.today().to_string())?;
    store.set_setting(SCORED_PROFILE, &serde_json::to_string(profile)?)
}
