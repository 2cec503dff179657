//! The last word of an import: what it did, as a line or a JSON object.
use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::super::Ctx;
use crate::cli::{ImportArgs, SummaryFormat};

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Default)]
pub struct Summary {
    pub batch: Option<i64>,
    pub imported: u64,
    pub updated: u64,
    pub skipped: u64,
    pub rejected: u64,
    pub warnings: u64,
    /// Leads created that look like leads already there (same phone, same name at the
    /// same company): said after the summary, pointing at `leads duplicates`.
    pub lookalikes: u64,
}

/// The summary: one line on stderr, or a JSON object on stdout (`--format json`).
pub fn report(summary: &Summary, args: &ImportArgs, ctx: &Ctx) -> Result<()> {
    summary_line(summary, args, ctx)?;
    if summary.lookalikes > 0 {
        let rows = match summary.lookalikes {
            1 => "1 row looks".to_string(),
            n => format!("{n} rows look"),
        };
        ctx.say(format!(
            "{rows} like existing leads (same phone, or same name at the same company): \
             `leads duplicates`"
        ));
    }
    Ok(())
}

fn summary_line(summary: &Summary, args: &ImportArgs, ctx: &Ctx) -> Result<()> {
    if args.format == SummaryFormat::Json {
        let mut out = ctx.stdout();
        serde_json::to_writer(
            &mut out,
            &json!({
                "batch": summary.batch,
                "imported": summary.imported,
                "updated": summary.updated,
                "skipped": summary.skipped,
                "rejected": summary.rejected,
                "warnings": summary.warnings,
            }),
        )?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    let mut line = format!(
        "imported {}, updated {}, skipped {} duplicates, rejected {}",
        summary.imported, summary.updated, summary.skipped, summary.rejected
    );
    if summary.warnings > 0 {
        let plural = if summary.warnings == 1 { "" } else { "s" };
        line.push_str(&format!(", {} warning{plural}", summary.warnings));
    }
    match summary.batch {
        Some(batch) => line.push_str(&format!(
            " (batch {batch}; undo with: leads import --undo {batch})"
        )),
        None if args.dry_run => line.push_str(" (dry run: nothing was written)"),
        None if args.strict && summary.rejected > 0 => line.push_str(" (nothing was written)"),
        None => line.push_str(" (nothing new: no batch to undo)"),
    }
    ctx.say(line);
    Ok(())
}
