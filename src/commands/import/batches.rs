//! `leads import --list` and `leads import --undo BATCH [--dry-run] [--force]`.
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::super::{confirm, Ctx};
use crate::cli::Format;
use crate::cli::SummaryFormat;
use crate::error::Failure;
use crate::output::{write_records, Column};
use crate::store::{Undo, UndoPlan};

/// The batches, oldest first: a table, or JSON (`id`, `at`, `file`, `imported`,
/// `updated`, `undone_at`).
pub fn list(format: SummaryFormat, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let records: Vec<Value> = store
        .import_batches()?
        .into_iter()
        .map(|batch| {
            json!({
                "id": batch.id,
                "at": batch.at,
                "file": batch.file,
                "imported": batch.imported,
                "updated": batch.updated,
                "undone_at": batch.undone_at,
            })
        })
        .collect();
    let mut out = ctx.stdout();
    if records.is_empty() && format != SummaryFormat::Json {
        ctx.say("no imports yet");
        return Ok(());
    }
    // Upper-case headers and JSON one record a line, as every other listing.
    let columns = [
        Column::number("id", "BATCH"),
        Column::date("at", "AT"),
        Column::text("file", "FILE"),
        Column::number("imported", "IMPORTED"),
        Column::number("updated", "UPDATED"),
        Column::date("undone_at", "UNDONE"),
    ];
    let format = if format == SummaryFormat::Json {
        Format::Json
    } else {
        Format::Table
    };
    write_records(&mut out, format, &columns, &records)?;
    out.flush()?;
    Ok(())
}

/// Remove what a batch created. `dry_run` says what would go; leads worked on since
/// the import need a yes on a terminal, or `force`.
pub fn undo(
    batch: i64,
    dry_run: bool,
    force: bool,
    format: SummaryFormat,
    ctx: &Ctx,
) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let plan = store.undo_plan(batch)?;
    if let Some(at) = &plan.undone_at {
        print_json(format, ctx, json!({"batch": batch, "removed": 0}))?;
        ctx.say(already_undone(batch, at));
        return Ok(());
    }
    if dry_run {
        return report_dry_run(batch, &plan, format, ctx);
    }
    if !plan.worked_on.is_empty() && !force && !consented(batch, &plan, ctx)? {
        ctx.say("nothing was removed");
        return Ok(());
    }
    let outcome = store.write(|store| store.undo_batch(batch, ctx.now))?;
    let removed = match &outcome {
        Undo::Removed(count) => *count,
        Undo::AlreadyUndone(_) => 0,
    };
    print_json(format, ctx, json!({"batch": batch, "removed": removed}))?;
    match outcome {
        Undo::Removed(count) => ctx.say(format!(
            "removed {} created by import batch {batch}",
            leads(count)
        )),
        Undo::AlreadyUndone(at) => ctx.say(already_undone(batch, &at)),
    }
    Ok(())
}

/// What `--undo --dry-run` says: how many leads would go, and which of them were worked on.
fn report_dry_run(batch: i64, plan: &UndoPlan, format: SummaryFormat, ctx: &Ctx) -> Result<()> {
    print_json(
        format,
        ctx,
        json!({"batch": batch, "removed": 0, "would_remove": plan.leads, "worked_on": plan.worked_on}),
    )?;
    let mut line = format!(
        "would remove {} created by import batch {batch}",
        leads(plan.leads)
    );
    if !plan.worked_on.is_empty() {
        line.push_str(&format!("; {}", worked_on(plan)));
    }
    line.push_str(" (dry run: nothing was removed)");
    ctx.say(line);
    Ok(())
}

/// Work done on imported leads is only thrown away with a yes from a person at a
/// terminal; a script gets a conflict (exit 4) and must say --force.
fn consented(batch: i64, plan: &UndoPlan, ctx: &Ctx) -> Result<bool> {
    if !ctx.interactive() {
        return Err(Failure::Conflict(format!(
            "import batch {batch} has {} {}; nothing was removed (--force removes them anyway)",
            leads(plan.worked_on.len() as u64),
            worked_on_since(plan)
        ))
        .into());
    }
    let question = format!(
        "remove {} created by import batch {batch}, {}?",
        leads(plan.leads),
        worked_on(plan)
    );
    confirm(ctx, &question)
}

fn already_undone(batch: i64, at: &str) -> String {
    let at = crate::output::local_time(at);
    format!("import batch {batch} was already undone on {at}; nothing to remove")
}

/// "1 lead", "3 leads".
fn leads(count: u64) -> String {
    format!("{count} {}", if count == 1 { "lead" } else { "leads" })
}

/// "2 of them worked on since the import (...: 4, 7)".
fn worked_on(plan: &UndoPlan) -> String {
    format!("{} of them {}", plan.worked_on.len(), worked_on_since(plan))
}

/// Which of a batch's leads were worked on since the import (the first ten ids).
fn worked_on_since(plan: &UndoPlan) -> String {
    let ids: Vec<String> = plan.worked_on.iter().take(10).map(i64::to_string).collect();
    let more = if plan.worked_on.len() > 10 {
        ", ..."
    } else {
        ""
    };
    format!(
        "worked on since the import (activities, follow-ups, answers, status moves or \
         edits: {}{more})",
        ids.join(", ")
    )
}

fn print_json(format: SummaryFormat, ctx: &Ctx, value: Value) -> Result<()> {
    if format == SummaryFormat::Json {
        let mut out = ctx.stdout();
        writeln!(out, "{value}")?;
        out.flush()?;
    }
    Ok(())
}
