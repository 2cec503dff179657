//! `leads cadence add|list|show|delete`: named lists of nurturing steps.
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::{confirm, Ctx};
use crate::cadence::Step;
use crate::cli::{
    CadenceAddArgs, CadenceCommand, CadenceDeleteArgs, CadenceListArgs, CadenceShowArgs, Format,
};
use crate::error::{bad_input, Failure};
use crate::output::{write_json, write_records, Column};

const LIST_COLUMNS: [Column; 4] = [
    Column::text("name", "NAME"),
    Column::number("steps", "STEPS"),
    Column::number("enrolled", "ENROLLED"),
    Column::number("active", "ACTIVE"),
];

const STEP_COLUMNS: [Column; 4] = [
    Column::number("step", "STEP"),
    Column::text("delay", "DELAY"),
    Column::text("kind", "KIND"),
    Column::text("note", "NOTE"),
];

pub fn run(command: CadenceCommand, ctx: &Ctx) -> Result<()> {
    match command {
        CadenceCommand::Add(args) => add(args, ctx),
        CadenceCommand::List(args) => list(args, ctx),
        CadenceCommand::Show(args) => show(args, ctx),
        CadenceCommand::Delete(args) => delete(args, ctx),
    }
}

fn add(args: CadenceAddArgs, ctx: &Ctx) -> Result<()> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        // The error's text is escaped where every error is (`error::report`).
        return Err(bad_input(format!(
            "invalid cadence name '{}': give a name such as e-book",
            args.name
        )));
    }
    let steps = args
        .steps
        .iter()
        .enumerate()
        .map(|(index, text)| {
            text.parse::<Step>()
                .map_err(|err| bad_input(format!("step {}: {err}", index + 1)))
        })
        .collect::<Result<Vec<Step>>>()?;
    let store = ctx.open_store()?;
    store.write(|store| store.insert_cadence(name, &steps, ctx.now))?;
    ctx.say(format!(
        "added cadence '{name}' with {} step{}; enroll leads with: leads nurture ID... --cadence '{name}'",
        steps.len(),
        if steps.len() == 1 { "" } else { "s" }
    ));
    Ok(())
}

fn list(args: CadenceListArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let cadences = store.cadences()?;
    let records: Vec<Value> = cadences
        .iter()
        .map(|used| {
            let mut record = used.cadence.to_json();
            record["enrolled"] = json!(used.enrolled);
            record["active"] = json!(used.active);
            record
        })
        .collect();
    if records.is_empty() && args.format != Format::Json {
        ctx.say("no cadences yet: leads cadence add NAME STEP...");
        return Ok(());
    }
    let mut out = ctx.stdout();
    if matches!(args.format, Format::Table | Format::Csv | Format::Tsv) {
        // The steps as a count: a table cell holds no list.
        let rows: Vec<Value> = records
            .iter()
            .zip(&cadences)
            .map(|(record, used)| {
                let mut row = record.clone();
                row["steps"] = json!(used.cadence.steps.len());
                row
            })
            .collect();
        write_records(&mut out, args.format, &LIST_COLUMNS, &rows)?;
    } else {
        write_records(&mut out, args.format, &LIST_COLUMNS, &records)?;
    }
    out.flush()?;
    Ok(())
}

fn show(args: CadenceShowArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let cadence = store.cadence(&args.name)?;
    let mut out = ctx.stdout();
    match args.format {
        Format::Json | Format::Ndjson => write_json(&mut out, &cadence.to_json(), args.format)?,
        format => {
            let rows: Vec<Value> = cadence
                .steps
                .iter()
                .enumerate()
                .map(|(index, step)| {
                    let mut row = step.to_json();
                    row["step"] = json!(index + 1);
                    row
                })
                .collect();
            if format == Format::Table {
                writeln!(
                    out,
                    "{}: the first delay counts from the start, each next one from when the \
                     previous step was done",
                    ctx.style.bold(&cadence.name)
                )?;
            }
            write_records(&mut out, format, &STEP_COLUMNS, &rows)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn delete(args: CadenceDeleteArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let cadence = store.cadence(&args.name)?;
    let active = store.active_enrollments_in(cadence.id)?;
    if active > 0 && !args.force {
        let question = format!(
            "{active} lead{} in cadence '{}': delete it and end their enrollments?",
            if active == 1 { " is" } else { "s are" },
            cadence.name
        );
        if !ctx.interactive() {
            return Err(Failure::Conflict(format!(
                "{question} Give --force to do so (not asked: not on a terminal)"
            ))
            .into());
        }
        if !confirm(ctx, &question)? {
            ctx.say("nothing deleted");
            return Ok(());
        }
    }
    let ended = store.write(|store| {
        // Looked up again under the write lock: another `leads` may have changed it.
        let cadence = store.cadence(&args.name)?;
        store.delete_cadence(cadence.id, ctx.now)
    })?;
    ctx.say(format!(
        "deleted cadence '{}'{}",
        cadence.name,
        match ended {
            0 => String::new(),
            1 => "; 1 enrollment ended".to_string(),
            n => format!("; {n} enrollments ended"),
        }
    ));
    Ok(())
}
