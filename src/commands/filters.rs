//! `list` and `export` filters (typed by the command line) as a store query.
use anyhow::Result;
use chrono::Local;

use super::Ctx;
use crate::cli::FilterArgs;
use crate::error::bad_input;
use crate::store::LeadQuery;

/// Turn `list`/`export` filters (already typed by the command line) into a query.
pub fn lead_query(filter: &FilterArgs, ctx: &Ctx) -> Result<LeadQuery> {
    let query = LeadQuery {
        statuses: filter.statuses.clone(),
        grades: filter.grades.clone(),
        min_score: filter.min_score,
        since: filter
            .since
            .as_ref()
            .map(|since| ctx.when_past("--since", since))
            .transpose()?,
        overdue_at: filter.overdue.then_some(ctx.now),
        untouched_since: filter
            .stale
            .map(|stale| {
                stale
                    .shift(ctx.now, -1, &Local)
                    .ok_or_else(|| bad_input(format!("--stale: '{stale}' is too far back")))
            })
            .transpose()?,
        no_next_step: filter.no_next_step,
        owner: owner(filter, ctx)?,
        ..LeadQuery::default()
    };
    Ok(query
        .with_sources(&filter.sources)
        .with_tags(&filter.tags)
        .with_search(filter.search.as_deref()))
}

/// The owner `--owner` names, or the user for `--mine`; a blank name is refused rather
/// than listing nobody.
fn owner(filter: &FilterArgs, ctx: &Ctx) -> Result<Option<String>> {
    if filter.mine {
        return match &ctx.user {
            Some(user) => Ok(Some(user.clone())),
            None => Err(bad_input(
                "--mine: who you are is not known: set LEADS_USER (or USER) to your name",
            )),
        };
    }
    match filter.owner.as_deref().map(str::trim) {
        Some("") => Err(bad_input(
            "--owner: the name is empty (give a seller's name, e.g. --owner alice)",
        )),
        owner => Ok(owner.map(str::to_string)),
    }
}
