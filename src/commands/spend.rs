//! `leads spend`: what a source or campaign cost, for the report's return on investment.
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{Format, SpendAddArgs, SpendCommand, SpendListArgs};
use crate::error::bad_input;
use crate::model::{checked_source, did_you_mean, rfc3339};
use crate::output::{money, write_records, Column};
use crate::store::Spend;

const COLUMNS: [Column; 6] = [
    Column::number("id", "ID"),
    Column::date("on", "ON"),
    Column::text("source", "SOURCE"),
    Column::text("detail", "DETAIL"),
    Column::amount("amount", "AMOUNT"),
    Column::text("note", "NOTE"),
];

pub fn run(command: SpendCommand, ctx: &Ctx) -> Result<()> {
    match command {
        SpendCommand::Add(args) => add(args, ctx),
        SpendCommand::List(args) => list(args, ctx),
        SpendCommand::Delete(args) => {
            let store = ctx.open_store_to_read()?;
            store.write(|store| store.delete_spend(args.id))?;
            ctx.say(format!("deleted spend {}", args.id));
            Ok(())
        }
    }
}

fn add(args: SpendAddArgs, ctx: &Ctx) -> Result<()> {
    let reading =
        checked_source(&args.source, "").map_err(|err| bad_input(format!("SOURCE: {err}")))?;
    let source = reading.source;
    let mut detail = args
        .detail
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    // A synonym ("LinkedIn" -> social) keeps the word it was given as the detail.
    if detail.is_none() {
        detail = reading.detail;
    }
    if let Some(warning) = reading.warning {
        ctx.warn(format!("SOURCE: {warning}"));
    }
    let on = match &args.on {
        Some(text) => ctx.when_past("--on", text)?,
        None => ctx.now,
    };
    let note = args.note.clone().filter(|n| !n.trim().is_empty());
    // `4.500` is read by the currency set (`leads config currency`), and a refused
    // amount creates no database.
    let currency = ctx.open_store_for_dry_run()?.currency()?;
    let amount = args
        .amount
        .in_currency(currency.as_deref())
        .map_err(|err| bad_input(format!("AMOUNT: {err}")))?;
    let spend = Spend {
        id: 0,
        source,
        detail,
        amount,
        on,
        note,
    };
    let store = ctx.open_store()?;
    let (id, in_use) = store.write(|store| {
        let in_use = store.sources_in_use()?;
        Ok((store.add_spend(&spend, ctx.now)?, in_use))
    })?;
    if let Some(warning) = unfamiliar_source(&spend.source, &in_use) {
        ctx.warn(warning);
    }
    let mut out = ctx.stdout();
    writeln!(out, "{id}")?;
    out.flush()?;
    ctx.say(format!(
        "recorded spend {id}: {} {}{} on {}",
        money(amount),
        spend.source,
        spend
            .detail
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default(),
        crate::output::local(on)
    ));
    Ok(())
}

/// A warning for a source that is neither known nor used by any lead or spend, with the
/// near one it may have meant: such spend would stand alone in the report.
fn unfamiliar_source(source: &str, in_use: &[String]) -> Option<String> {
    if crate::model::is_known_source(source) || in_use.iter().any(|s| s == source) {
        return None;
    }
    let mut names: Vec<&str> = crate::model::KNOWN_SOURCES.to_vec();
    names.extend(in_use.iter().map(String::as_str));
    Some(format!(
        "no lead has the source '{source}'{}",
        did_you_mean(source, &names)
    ))
}

fn list(args: SpendListArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let spends = store.spends()?;
    let records: Vec<Value> = spends
        .iter()
        .map(|spend| {
            json!({
                "id": spend.id,
                "on": rfc3339(spend.on),
                "source": spend.source,
                "detail": spend.detail,
                "amount": spend.amount,
                "note": spend.note,
            })
        })
        .collect();
    let mut out = ctx.stdout();
    write_records(&mut out, args.format, &COLUMNS, &records)?;
    if let (Format::Table, Some(currency), false) =
        (args.format, store.currency()?, records.is_empty())
    {
        writeln!(out, "amounts in {currency}")?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unfamiliar_source_is_pointed_at_the_near_one() {
        let in_use = vec!["expo_stand".to_string()];
        assert_eq!(unfamiliar_source("trade_show", &in_use), None);
        assert_eq!(unfamiliar_source("expo_stand", &in_use), None);
        assert_eq!(
            unfamiliar_source("expo_stnd", &in_use).as_deref(),
            Some("no lead has the source 'expo_stnd' (did you mean 'expo_stand'?)")
        );
        assert_eq!(
            unfamiliar_source("webinr", &in_use).as_deref(),
            Some("no lead has the source 'webinr' (did you mean 'webinar'?)")
        );
    }
}
