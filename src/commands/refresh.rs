//! The day's refresh of the stored scores (decaying activities, approaching timelines):
//! done before a read, or, when it is long, started in the background by `today`, so that
//! cron's agenda, the first read of the day, does not wait for it. `leads refresh-scores`
//! (hidden) is that background run.
use std::process::{Command, Stdio};

use anyhow::Result;

use super::Ctx;
use crate::rescoring::{due, refresh_scores, refresh_scores_waiting, Due};
use crate::store::Store;

/// From how many rows to read (activities, leads with a timeline) the day's refresh goes
/// to the background: it takes about 12 µs a lead with activities (1.25 s for 100,000 on
/// the benchmark's database), so below this it is a moment's work, done in place as ever.
const BACKGROUND_FROM: u64 = 2_000;

/// `leads refresh-scores`: the refresh, now, after any other `leads` that is writing (a
/// read skips it then; this run is in no one's way, so it waits its turn).
pub fn run(ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    refresh_scores_waiting(&store, &store.profile()?, ctx.clock())
}

/// Before the agenda: the scores made current, or, when only the day's refresh is due and
/// it is long, that refresh started in a process of its own. The agenda then orders by the
/// scores stored yesterday (one day of decay apart) and the next read finds them current.
/// A changed profile is rescored in place: the seller just changed what the scores mean.
pub fn before_agenda(store: &Store, ctx: &Ctx) -> Result<()> {
    let profile = store.profile()?;
    let from = background_from();
    if due(store, &profile, ctx.clock())? == Due::Day
        && !store.is_read_only()
        && store.day_refresh_rows_up_to(from)? >= from
        && in_background(ctx).is_ok()
    {
        return Ok(());
    }
    refresh_scores(store, &profile, ctx.clock())
}

/// `BACKGROUND_FROM`, or `LEADS_BACKGROUND_REFRESH_FROM` (for tests, which make a long
/// refresh of a few leads).
fn background_from() -> u64 {
    std::env::var("LEADS_BACKGROUND_REFRESH_FROM")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(BACKGROUND_FROM)
}

/// Start `leads refresh-scores` on this database, detached: no input or output (cron
/// collects what a job prints until every process holding it ends), a process group of
/// its own (a Ctrl-C at the terminal stops this command, not the refresh). Not waited
/// for: it outlives this command, and the system reaps it.
fn in_background(ctx: &Ctx) -> Result<()> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg("--quiet")
        .arg("--db")
        .arg(ctx.db_path()?)
        .arg("refresh-scores")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    #[allow(clippy::zombie_processes)] // outlives this command by design (see above)
    command.spawn()?;
    Ok(())
}
