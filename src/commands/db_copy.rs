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
    let source = Store::open_existing_at(&from, ctx.busy_timeout())?;
    if let Location::File(path) = &to {
        ctx.check_database_path(path)?;
    }
    let (target, made) = Store::open_or_create_at(&to, ctx.busy_timeout())?;
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
    let is_leads = |c: &&Copied| c.table.name == "leads";
    let leads = copied.iter().filter(is_leads);
    let rest = copied.iter().filter(|c| !is_leads(c) && c.rows > 0);
    let parts: Vec<String> = leads
        .chain(rest)
        .map(|c| {
            let noun = if c.rows == 1 {
                c.table.one
            } else {
                c.table.many
            };
            format!("{} {noun}", c.rows)
        })
        .collect();
    parts.join(", ")
}
