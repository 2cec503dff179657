//! `leads today`: the agenda. One line a lead that needs the seller today (its most urgent
//! reason), with why and how to reach them; nothing at all when nothing does, because cron
//! mails whatever a job prints. A read: scores are refreshed when the day or the profile
//! changed (skipped while another `leads` writes; the day's refresh of a large database
//! started in the background, see `refresh`), nothing else is written.
use std::io::Write;

use anyhow::Result;
use serde_json::Value;

use super::Ctx;
use crate::cli::{Format, TodayArgs};
use crate::output::{write_records, Column};
use crate::workflows::agenda::{agenda, Agenda, Today};

/// What the agenda shows in a table, TSV or CSV. On a terminal too narrow for them all,
/// company, then last touch, then score are left out; WHY and PHONE stay (PHONE whole:
/// a number cut short is no number).
const COLUMNS: [Column; 7] = [
    Column::number("lead_id", "ID"),
    Column::text("name", "NAME").marked("marker"),
    Column::text("company", "COMPANY").dropped(3),
    Column::text("phone", "PHONE").whole(),
    Column::text("why", "WHY").whole(),
    Column::text("last_touch", "LAST TOUCH").dropped(2),
    Column::number("score", "SCORE").dropped(1),
];

/// What CSV and TSV carry: the table's columns and what a script needs to act on a line
/// (the reason's name, the follow-up to close, when it was due).
const LINE_COLUMNS: [Column; 13] = [
    Column::number("lead_id", "ID"),
    Column::text("name", "NAME"),
    Column::text("company", "COMPANY"),
    Column::text("phone", "PHONE"),
    Column::text("email", "EMAIL"),
    Column::text("reason", "REASON"),
    Column::text("why", "WHY"),
    Column::number("follow_up_id", "FOLLOW-UP"),
    Column::date("due_at", "DUE"),
    Column::date("last_touch_at", "LAST TOUCH"),
    Column::text("last_touch_kind", "LAST TOUCH KIND"),
    Column::number("score", "SCORE"),
    Column::text("grade", "GRADE"),
];

pub fn run(args: TodayArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let today = Today::new(
        &store,
        ctx.clock(),
        (
            ctx.when("today", "today")?,
            ctx.when("tomorrow", "tomorrow")?,
        ),
        args.limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
    )?;
    let later = super::refresh::before_agenda(&store, ctx)?;
    let shown = store
        .snapshot(|store| agenda(store, &today))
        .and_then(|agenda| show(&agenda, &today, &args, ctx));
    // Finished whatever the agenda met (a closed pipe, `today | head -1`, is no error).
    let finished = later.finish(&store, ctx);
    shown.and(finished)
}

/// Print the agenda as `args` asks: nothing at all when it is empty (JSON `[]`).
fn show(agenda: &Agenda, today: &Today, args: &TodayArgs, ctx: &Ctx) -> Result<()> {
    let mut out = ctx.stdout();
    if agenda.entries.is_empty() {
        // Nothing to do: nothing on stdout (JSON `[]`, a document), nothing on stderr.
        if args.format == Format::Json {
            writeln!(out, "[]")?;
            out.flush()?;
        }
        return Ok(());
    }
    let columns: &[Column] = match args.format {
        Format::Csv | Format::Tsv => &LINE_COLUMNS,
        _ => &COLUMNS,
    };
    let records: Vec<Value> = agenda
        .entries
        .iter()
        .map(|entry| {
            let mut record = if args.format.is_columns() {
                entry.to_json_of(today.clock, |key| {
                    key == "marker" || columns.iter().any(|c| c.key == key)
                })
            } else {
                entry.to_json(today.clock)
            };
            if let (Format::Table, Some(id)) = (args.format, entry.follow_up.as_ref().map(|f| f.id))
            {
                // A person closes it with `follow-up done FID`: the table names it.
                let why = format!("{} (follow-up {id})", entry.why);
                record["why"] = Value::String(why);
            }
            if args.format != Format::Table {
                // The table's words for a person; the data formats carry the fields.
                if let Some(object) = record.as_object_mut() {
                    // (shift_remove: the fields keep the contract's order)
                    object.shift_remove("marker");
                    if args.format == Format::Json || args.format == Format::Ndjson {
                        object.shift_remove("last_touch");
                    }
                }
            }
            record
        })
        .collect();
    write_records(&mut out, args.format, columns, &records)?;
    out.flush()?;
    if agenda.by_model && args.format == Format::Table {
        ctx.say(
            "ordered by the learned win probability (it ranked your closed leads better \
             than the score did)",
        );
    }
    Ok(())
}
