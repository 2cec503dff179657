//! `leads duplicates`: likely pairs of duplicate leads, each with why, ready for `merge`.
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{DuplicatesArgs, Format};
use crate::output::{write_records, Column};
use crate::workflows::duplicates::{self, Pair, Why};

const COLUMNS: [Column; 5] = [
    Column::number("lead_id", "ID"),
    Column::number("other_id", "OTHER"),
    Column::text("why", "WHY"),
    Column::text("name", "NAME"),
    Column::text("other_name", "OTHER NAME"),
];

pub fn run(args: DuplicatesArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let pairs = duplicates::find(&store)?;
    let records: Vec<Value> = pairs.iter().map(record).collect();
    let mut out = ctx.stdout();
    write_records(&mut out, args.format, &COLUMNS, &records)?;
    out.flush()?;
    if let (Format::Table, Some(pair)) = (args.format, pairs.first()) {
        ctx.say(format!(
            "merge a pair with: leads merge {} {}",
            pair.lead, pair.other
        ));
    }
    Ok(())
}

/// A pair in its JSON shape.
fn record(pair: &Pair) -> Value {
    json!({
        "lead_id": pair.lead,
        "other_id": pair.other,
        "why": pair.why.iter().map(|why| Why::describe(*why)).collect::<Vec<_>>(),
        "name": pair.name,
        "other_name": pair.other_name,
    })
}
