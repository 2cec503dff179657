//! `leads import --list` and `leads import --undo BATCH [--dry-run] [--force]`: the leads a
//! batch created are removed, those it updated get their fields back.
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
/// `updated`, `undone_at`, `by`).
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
                "by": batch.by,
            })
        })
        .collect();
    let mut out = ctx.stdout();
    if records.is_empty() && format != SummaryFormat::Json {
        ctx.say("no imports yet");
        return Ok(());
    }
    // Upper-case headers and JSON one record a line, as every other listing.
    let mut columns = vec![
        Column::number("id", "BATCH"),
        Column::date("at", "AT"),
        Column::text("file", "FILE"),
        Column::number("imported", "IMPORTED"),
        Column::number("updated", "UPDATED"),
        Column::date("undone_at", "UNDONE"),
    ];
    if crate::output::done_by_another(&records, ctx.user.as_deref()) {
        columns.push(Column::text("by", "BY"));
    }
    let format = if format == SummaryFormat::Json {
        Format::Json
    } else {
        Format::Table
    };
    write_records(&mut out, format, &columns, &records)?;
    out.flush()?;
    Ok(())
}

/// Remove what a batch created and restore what it updated. `dry_run` says what would
/// change; leads worked on or edited since the import need a yes on a terminal, or `force`.
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
        print_json(
            format,
            ctx,
            json!({"batch": batch, "removed": 0, "restored": 0}),
        )?;
        ctx.say(already_undone(batch, at));
        return Ok(());
    }
    if dry_run {
        return report_dry_run(batch, &plan, format, ctx);
    }
    let conflicts = !plan.worked_on.is_empty() || !plan.edited.is_empty();
    if conflicts && !force && !consented(batch, &plan, ctx)? {
        ctx.say("nothing was removed or restored");
        return Ok(());
    }
    let outcome = store.write(|store| store.undo_batch(batch, ctx.now))?;
    let (removed, restored) = match &outcome {
        Undo::Undone { removed, restored } => (*removed, *restored),
        Undo::AlreadyUndone(_) => (0, 0),
    };
    print_json(
        format,
        ctx,
        json!({"batch": batch, "removed": removed, "restored": restored}),
    )?;
    match outcome {
        Undo::Undone { removed, restored } => {
            ctx.say(what_undo_does(batch, removed, restored, Tense::Done))
        }
        Undo::AlreadyUndone(at) => ctx.say(already_undone(batch, &at)),
    }
    Ok(())
}

/// Whether a sentence says what was done or what would be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tense {
    Done,
    Would,
}

/// "removed 2 leads created by import batch 3 and restored 1 lead it updated", "would
/// restore 1 lead updated by import batch 3".
fn what_undo_does(batch: i64, removed: u64, restored: u64, tense: Tense) -> String {
    let (remove, restore) = match tense {
        Tense::Done => ("removed", "restored"),
        Tense::Would => ("would remove", "would restore"),
    };
    match (removed, restored) {
        (_, 0) => format!(
            "{remove} {} created by import batch {batch}",
            leads(removed)
        ),
        (0, _) => format!(
            "{restore} {} updated by import batch {batch}",
            leads(restored)
        ),
        _ => format!(
            "{remove} {} created by import batch {batch} and {} {} it updated",
            leads(removed),
            restore.trim_start_matches("would "),
            leads(restored)
        ),
    }
}

/// What `--undo --dry-run` says: how many leads would go and be restored, and which of
/// them were worked on or edited since.
fn report_dry_run(batch: i64, plan: &UndoPlan, format: SummaryFormat, ctx: &Ctx) -> Result<()> {
    print_json(
        format,
        ctx,
        json!({
            "batch": batch,
            "removed": 0,
            "restored": 0,
            "would_remove": plan.leads,
            "worked_on": plan.worked_on,
            "would_restore": plan.restores,
            "edited": plan.edited,
        }),
    )?;
    let mut line = what_undo_does(batch, plan.leads, plan.restores, Tense::Would);
    if !plan.worked_on.is_empty() {
        line.push_str(&format!("; {}", worked_on(plan)));
    }
    if !plan.edited.is_empty() {
        line.push_str(&format!("; {}", edited(plan)));
    }
    line.push_str(" (dry run: nothing was removed)");
    ctx.say(line);
    Ok(())
}

/// Work done on imported leads, and edits made since to the leads the import updated, are
/// only thrown away with a yes from a person at a terminal; a script gets a conflict
/// (exit 4) and must say --force.
fn consented(batch: i64, plan: &UndoPlan, ctx: &Ctx) -> Result<bool> {
    if !ctx.interactive() {
        let mut conflicts = Vec::new();
        let mut nothing = Vec::new();
        if !plan.worked_on.is_empty() {
            conflicts.push(format!(
                "{} {}",
                leads(plan.worked_on.len() as u64),
                worked_on_since(plan)
            ));
            nothing.push("nothing was removed (--force removes them anyway)");
        }
        if !plan.edited.is_empty() {
            conflicts.push(format!(
                "{} {}",
                leads(plan.edited.len() as u64),
                edited_since(plan)
            ));
            nothing.push("nothing was restored (--force restores them anyway)");
        }
        return Err(Failure::Conflict(format!(
            "import batch {batch} has {}; {}",
            conflicts.join(" and "),
            nothing.join("; ")
        ))
        .into());
    }
    let mut question = what_undo_does(batch, plan.leads, plan.restores, Tense::Would)
        .trim_start_matches("would ")
        .to_string();
    if !plan.worked_on.is_empty() {
        question.push_str(&format!(", {}", worked_on(plan)));
    }
    if !plan.edited.is_empty() {
        question.push_str(&format!(", {}", edited(plan)));
    }
    question.push('?');
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

/// "1 of them edited since the import (4)"; "of those updated" when the batch created
/// leads too.
fn edited(plan: &UndoPlan) -> String {
    let whom = if plan.leads > 0 {
        "of those updated"
    } else {
        "of them"
    };
    format!("{} {whom} {}", plan.edited.len(), edited_since(plan))
}

/// Which of the leads a batch updated were edited since (the first ten ids).
fn edited_since(plan: &UndoPlan) -> String {
    let ids: Vec<String> = plan.edited.iter().take(10).map(i64::to_string).collect();
    let more = if plan.edited.len() > 10 { ", ..." } else { "" };
    format!("edited since the import ({}{more})", ids.join(", "))
}

fn print_json(format: SummaryFormat, ctx: &Ctx, value: Value) -> Result<()> {
    if format == SummaryFormat::Json {
        let mut out = ctx.stdout();
        writeln!(out, "{value}")?;
        out.flush()?;
    }
    Ok(())
}
