//! `leads list`: leads, best first, in any output format.
use std::io::Write;

use anyhow::Result;
use serde_json::Value;

use super::{lead_query, Ctx};
use crate::cli::{Format, ListArgs};
use crate::output::{percent, write_records, Column};
use crate::rescoring::refresh_scores;
use crate::store::LeadOrder;

/// What a list shows in a table, TSV or CSV. JSON carries every field.
/// On a terminal too narrow for them all, the columns with a rank are left out, the
/// highest first: source, email, company, status, grade, follow-up (win: see `run`).
const COLUMNS: [Column; 10] = [
    Column::number("id", "ID"),
    Column::text("name", "NAME").marked("marker"),
    Column::text("company", "COMPANY").dropped(5),
    Column::text("email", "EMAIL").dropped(6),
    Column::text("status", "STATUS").dropped(4),
    Column::number("score", "SCORE"),
    Column::text("grade", "GRADE").dropped(2),
    Column::text("source", "SOURCE").dropped(7),
    Column::date("next_follow_up", "FOLLOW-UP").dropped(1),
    Column::date("last_touch_at", "LAST TOUCH").dropped(1),
];

pub fn run(args: ListArgs, ctx: &Ctx) -> Result<()> {
    let mut query = lead_query(&args.filter, ctx)?;
    query.limit = args.limit;
    // A won deal at the top of "best first" is noise: closed leads on request only.
    query.open_only = !args.all && query.statuses.is_empty();

    let store = ctx.open_store_to_read()?;
    // Best first: by the learned win probability when it ranked the closed leads better
    // than the score did (as `today` does), else by the score.
    let by_model = args.sort.is_none() && store.model_ranks_better()?;
    query.order = match args.sort {
        Some(order) => order,
        None if by_model => LeadOrder::Win,
        None => LeadOrder::Score,
    };
    refresh_scores(&store, &store.profile()?, ctx.clock())?;
    let leads = store.leads(&query)?;
    let model = store.win_model_summary()?;
    if query.order == LeadOrder::Win && model.is_none() {
        ctx.warn("--sort win: no win probabilities yet (run leads learn once enough leads are closed); sorted by score");
    }
    let mut out = ctx.stdout();
    let mut columns = COLUMNS.to_vec();
    // A table shows the last touch when some lead has one (a list of fresh imports keeps
    // its width for what they have); the line formats always carry it.
    if args.format == Format::Table && leads.iter().all(|lead| lead.last_touch_at.is_none()) {
        columns.retain(|column| column.key != "last_touch_at");
    }
    if model.is_some() {
        // A person reads a percentage; a spreadsheet gets the probability itself.
        let win = if args.format == Format::Table {
            Column::number("win", "WIN").dropped(3)
        } else {
            Column::number("win_probability", "WIN")
        };
        columns.insert(7, win);
    }
    let records: Vec<Value> = leads
        .iter()
        .map(|lead| {
            let mut record = if args.format.is_columns() {
                lead.to_json_of(|name| {
                    name == "win_probability" || columns.iter().any(|c| c.key == name)
                })
            } else {
                lead.to_json()
            };
            if let (Format::Table, Some(p)) = (args.format, record["win_probability"].as_f64()) {
                record["win"] = Value::String(percent(p));
            }
            // Painted red in a table on a terminal (never a field of the data).
            if args.format == Format::Table && lead.next_follow_up.is_some_and(|at| at <= ctx.now) {
                record["overdue"] = Value::Bool(true);
            }
            // A table is read by a person: flag who must not be contacted (kept whole
            // when the name is cut to fit the terminal).
            if let (Format::Table, Some(mark)) = (args.format, lead.contact_marker()) {
                record["marker"] = Value::String(mark.to_string());
            }
            record
        })
        .collect();
    write_records(&mut out, args.format, &columns, &records)?;
    out.flush()?;
    if records.is_empty() && args.format == Format::Table {
        ctx.say("no leads match");
    } else if let (Some(saved), Format::Table) = (&model, args.format) {
        ctx.say(crate::output::model_note(
            saved,
            store.count_closed_leads()?,
        ));
        if by_model {
            ctx.say(
                "ordered by the learned win probability (it ranked your closed leads better \
                 than the score did; --sort score for the score)",
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list's columns are lead fields by their contract names (`model::FIELDS`): a field
    /// renamed there and not here would show an empty column.
    #[test]
    fn every_column_is_a_lead_field() {
        for column in COLUMNS {
            assert!(
                crate::model::Field::named(column.key).is_some(),
                "{}",
                column.key
            );
        }
    }
}
