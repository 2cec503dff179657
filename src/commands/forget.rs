//! `leads forget`: erase a person's data for good, keeping an anonymous row for reports.
use anyhow::{bail, Result};

use super::{confirm, Ctx};
use crate::cli::ForgetArgs;
use crate::store::Forgetting;

pub fn run(args: ForgetArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let lead = store.lead(args.id)?;
    if !lead.forgotten && !args.force {
        if !ctx.interactive() {
            bail!(
                "forgetting lead {} erases their data for good: pass --force to confirm \
                 (there is no terminal to ask on)",
                lead.id
            );
        }
        let question = format!(
            "Erase the name, email, phone, notes and history notes of lead {} ({}) for good?",
            lead.id,
            lead.name()
        );
        if !confirm(ctx, &question)? {
            bail!("lead {} was not forgotten (not confirmed)", lead.id);
        }
    }
    let outcome = store.write(|store| store.forget_lead(lead.id, ctx.now))?;
    // Run even when already forgotten: an earlier purge may have been blocked by a reader.
    let purged = store.purge_erased()?;
    match outcome {
        Forgetting::Erased => ctx.say(format!(
            "forgot lead {}: personal data erased, an anonymous row kept for reports; \
             adding the same email again will be flagged",
            lead.id
        )),
        Forgetting::AlreadyForgotten(at) => ctx.say(format!(
            "lead {} was already forgotten on {}: nothing left to erase",
            lead.id,
            crate::output::local(at)
        )),
    }
    if !purged {
        // The erased pages wait in the log, the old ones stay in the database file (and in
        // older frames of the log) until the log is copied back: both files are named.
        let db = ctx.database()?;
        ctx.warn(match db {
            crate::store::Location::File(_) => format!(
                "another leads process is reading the database: old copies of the erased \
                 data stay in the database file and its write-ahead log ({db}, {db}-wal) \
                 until the next checkpoint; run `leads forget {}` again when it is done",
                lead.id
            ),
            crate::store::Location::Server(_) => format!(
                "the erased rows' old copies stay in the table files of {db} until they are \
                 rewritten: leads could not (the tables' owner may, with VACUUM FULL, or \
                 `leads forget {}` again when no one else is using them)",
                lead.id
            ),
        });
    }
    Ok(())
}
