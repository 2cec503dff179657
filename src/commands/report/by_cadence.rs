//! `leads report --by cadence`: which nurturing cadences move leads. Apart from the
//! source report, which it shares only the flags and the percentages with.
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::percent;
use crate::cli::{Format, ReportArgs};
use crate::commands::Ctx;
use crate::output::{write_json, write_records, Column};
use crate::store::{CadenceTally, Period, Store};

const COLUMNS: [Column; 11] = [
    Column::text("cadence", "CADENCE").whole(),
    Column::number("enrolled", "ENROLLED"),
    Column::number("active", "ACTIVE"),
    Column::number("completed", "COMPLETED"),
    Column::number("completed_pct", "%"),
    Column::number("answered", "ANSWERED"),
    Column::number("answered_pct", "%"),
    Column::number("qualified", "QUALIFIED"),
    Column::number("qualified_pct", "%"),
    Column::number("won", "WON"),
    Column::number("won_pct", "%"),
];

/// The report of the leads enrolled in the period (`--since`, `--until`); percentages
/// are of the leads enrolled.
pub fn run(args: &ReportArgs, store: &Store, period: Period, ctx: &Ctx) -> Result<()> {
    let groups: Vec<Value> = store
        .cadence_tallies(period.since, period.until)?
        .iter()
        .map(record)
        .collect();
    let mut out = ctx.stdout();
    match args.format {
        Format::Json => write_json(
            &mut out,
            &json!({"by": "cadence", "groups": groups}),
            Format::Json,
        )?,
        Format::Table if groups.is_empty() => ctx.say("no cadences to report"),
        format => write_records(&mut out, format, &COLUMNS, &groups)?,
    }
    out.flush()?;
    Ok(())
}

fn record(tally: &CadenceTally) -> Value {
    let share = |part| percent(part, tally.enrolled);
    json!({
        "cadence": tally.cadence,
        "enrolled": tally.enrolled,
        "active": tally.active,
        "completed": tally.completed,
        "completed_pct": share(tally.completed),
        "answered": tally.answered,
        "answered_pct": share(tally.answered),
        "qualified": tally.qualified,
        "qualified_pct": share(tally.qualified),
        "won": tally.won,
        "won_pct": share(tally.won),
    })
}
