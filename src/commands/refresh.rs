//! The day's refresh of the stored scores (decaying activities, approaching timelines):
//! done before a read, or, when it is long, started in the background by `today`, so that
//! cron's agenda, the first read of the day, does not wait for it. `leads --quiet
//! --db=PATH refresh-scores` is that background run (read apart from clap, see
//! `cli::REFRESH_SCORES`: no person types it).
use std::process::{Command, Stdio};

use anyhow::Result;

use super::Ctx;
use crate::rescoring::{due, refresh_scores, refresh_scores_waiting, Due};
use crate::store::Store;

/// From how many activities logged the day's refresh goes to the background: it takes
/// about 13 µs a lead with activities (1.3 s for 100,000 on the benchmark's database), so
/// below this it is a moment's work, done in place as ever.
const BACKGROUND_FROM: u64 = 2_000;

/// The background run (`leads --quiet --db=PATH refresh-scores`): the refresh, now,
/// after any other `leads` that is writing (a read skips it then; this run is in no one's
/// way, so it waits its turn).
pub fn run(ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    refresh_scores_waiting(&store, &store.profile()?, ctx.clock())
}

/// The day's refresh started for later: the thread starting its process, if any.
#[must_use = "finish what was started"]
pub struct Later(Option<std::thread::JoinHandle<Result<()>>>);

impl Later {
    /// Once the agenda is out: the refresh's process started (or, when it could not be,
    /// the refresh done here after all, the store's way).
    pub fn finish(self, store: &Store, ctx: &Ctx) -> Result<()> {
        let Some(starting) = self.0 else {
            return Ok(());
        };
        let started = starting
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the refresh's starter stopped")));
        if started.is_err() {
            refresh_scores(store, &store.profile()?, ctx.clock())?;
        }
        Ok(())
    }
}

/// Before the agenda: the scores made current, or, when only the day's refresh is due and
/// it is long, that refresh started in a process of its own (from a thread: starting a
/// process waits for the new program to load, which the agenda need not wait for). The
/// agenda then orders by the scores of the last refresh, and the reads after this one
/// find them current once it is done. A changed profile is rescored in place: the seller
/// just changed what the scores mean.
pub fn before_agenda(store: &Store, ctx: &Ctx) -> Result<Later> {
    let profile = store.profile()?;
    match due(store, &profile, ctx.clock())? {
        Due::Nothing => return Ok(Later(None)), // most reads: asked once
        Due::Day if !store.is_read_only() && store.day_refresh_is_long(background_from())? => {
            // A path the line cannot carry (not UTF-8, a server's URL) is refreshed in
            // place.
            if let Ok(command) = refresh_command(ctx) {
                return Ok(Later(Some(std::thread::spawn(move || {
                    in_background(command)
                }))));
            }
        }
        Due::Day | Due::Profile => {}
    }
    refresh_scores(store, &profile, ctx.clock())?;
    Ok(Later(None))
}

/// `BACKGROUND_FROM`, or `LEADS_BACKGROUND_REFRESH_FROM` (for tests, which make a long
/// refresh of a few leads).
fn background_from() -> u64 {
    std::env::var("LEADS_BACKGROUND_REFRESH_FROM")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(BACKGROUND_FROM)
}

/// `leads --quiet --db=PATH refresh-scores` on this database, detached: no input or
/// output (cron collects what a job prints until every process holding it ends), a
/// process group of its own on Unix (a Ctrl-C at the terminal stops this command, not the
/// refresh). The database's files are opened close-on-exec and are not passed on; a
/// descriptor `leads` itself was given without it (a lock from `flock FILE leads today`)
/// is held by the refresh too until it ends (`flock -o` closes it for the command).
fn refresh_command(ctx: &Ctx) -> Result<Command> {
    let mut command = Command::new(std::env::current_exe()?);
    // `--db=PATH` as one word: a path that starts with `-` stays a path. A PostgreSQL
    // URL is not put on a command line, which every user of the machine can read (`ps`):
    // it may hold a password.
    let path = match ctx.database()? {
        crate::store::Location::File(path) => path,
        crate::store::Location::Server(_) => anyhow::bail!("a server's URL"),
    };
    let path = path
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("a database path that is not UTF-8"))?;
    command
        .arg("--quiet")
        .arg(format!("--db={path}"))
        .arg(crate::cli::REFRESH_SCORES)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    Ok(command)
}

/// Start the refresh's process. Not waited for: it outlives this command, and the system
/// reaps it.
fn in_background(mut command: Command) -> Result<()> {
    #[allow(clippy::zombie_processes)] // outlives this command by design (see above)
    command.spawn()?;
    Ok(())
}
