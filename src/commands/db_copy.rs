//! `leads db copy FROM TO`: a whole database into an empty one, SQLite to PostgreSQL or
//! back (DESIGN's "Beyond one machine"). The copy is one transaction in the target: a
//! failure leaves it as it was, and a file this command made is removed again.
use anyhow::Result;

use super::Ctx;
use crate::cli::{DbCommand, DbCopyArgs};
use crate::error::{bad_input, Failure};
use crate::store::{Copied, Location, Store};

pub fn run(command: DbCommand, ctx: &Ctx) -> Result<()> {
    match command {
        DbCommand::Copy(args) => copy(args, ctx),
    }
}

fn copy(args: DbCopyArgs, ctx: &Ctx) -> Result<()> {
    let from = Location::of("FROM", &args.from)?;
    let to = Location::of("TO", &args.to)?;
    if same_database(&from, &to) {
        return Err(bad_input(format!(
            "FROM and TO are the same database ({from}): copy into another one"
        )));
    }
    let source = match &from {
        Location::File(path) => Store::open_existing(path, ctx.busy_timeout())?,
        Location::Server(url) => Store::open_existing_server(url, ctx.busy_timeout())?,
    };
    let (target, made) = match &to {
        Location::File(path) => {
            ctx.check_database_path(path)?;
            Store::open_or_create(path, ctx.busy_timeout())?
        }
        Location::Server(url) => (Store::open_server(url, ctx.busy_timeout())?.0, false),
    };
    // Asked here to name it; asked again inside the copy's transaction.
    if !target.holds_nothing()? {
        return Err(Failure::Conflict(format!(
            "TO {to} already holds leads data: db copy writes only into an empty database \
             (a new file, or a PostgreSQL database without leads data)"
        ))
        .into());
    }
    let copied = source.copy_into(&target);
    drop(target);
    let copied = match (copied, &to) {
        (Ok(copied), _) => copied,
        (Err(err), Location::File(path)) if made => {
            for file in [
                path.clone(),
                side_file(path, "-wal"),
                side_file(path, "-shm"),
            ] {
                let _ = std::fs::remove_file(file);
            }
            return Err(err);
        }
        (Err(err), _) => return Err(err),
    };
    ctx.say(format!("copied {from} to {to}: {}", tally(&copied)));
    Ok(())
}

/// The same file however it is spelled, or the same URL.
fn same_database(from: &Location, to: &Location) -> bool {
    match (from, to) {
        (Location::File(a), Location::File(b)) => match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => a == b,
        },
        (Location::Server(a), Location::Server(b)) => a == b,
        _ => false,
    }
}

fn side_file(path: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// "30 leads, 12 activities, ..." in the seller's words: the leads (even none), then
/// every other table with rows.
fn tally(copied: &[Copied]) -> String {
    let words = |table: &str, n: u64| -> String {
        let (one, many) = match table {
            "leads" => ("lead", "leads"),
            "activities" => ("activity", "activities"),
            "status_changes" => ("status change", "status changes"),
            "follow_ups" => ("follow-up", "follow-ups"),
            "cadences" => ("cadence", "cadences"),
            "cadence_steps" => ("cadence step", "cadence steps"),
            "enrollments" => ("enrollment", "enrollments"),
            "qualifications" => ("qualification", "qualifications"),
            "spend" => ("spend", "spend"),
            "import_batches" => ("import batch", "import batches"),
            "import_updates" => ("field kept for an undo", "fields kept for undos"),
            "settings" => ("setting", "settings"),
            "forgotten" => ("forgotten person", "forgotten people"),
            "win_model" => ("learned model", "learned models"),
            "mail_messages" => ("mail message seen", "mail messages seen"),
            other => (other, other),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let leads = copied.iter().filter(|c| c.table == "leads");
    let rest = copied.iter().filter(|c| c.table != "leads" && c.rows > 0);
    let parts: Vec<String> = leads.chain(rest).map(|c| words(c.table, c.rows)).collect();
    parts.join(", ")
}
