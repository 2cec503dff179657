//! The last word of an import: what it did, as a line or a JSON object.
use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::super::Ctx;
use crate::cli::{ImportArgs, SummaryFormat};
use crate::learning::MIN_EACH;

/// An import of at least this many new leads whose scores...
const BLIND_AMONG: u64 = 20;
/// ...take fewer than this many values, or spread over at most `BLIND_SPREAD` points, is
/// one the score cannot rank: it says so.
const BLIND_DISTINCT: usize = 3;
const BLIND_SPREAD: i64 = 2;

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
    /// The new leads' scores: whether the score tells them apart.
    pub scores: Spread,
}

/// The lowest and highest score of the new leads, and their first few distinct values.
#[derive(Debug, Default)]
pub struct Spread {
    range: Option<(i64, i64)>,
    distinct: Vec<i64>,
}

impl Spread {
    pub fn add(&mut self, score: i64) {
        self.range = Some(match self.range {
            Some((low, high)) => (low.min(score), high.max(score)),
            None => (score, score),
        });
        if self.distinct.len() < BLIND_DISTINCT && !self.distinct.contains(&score) {
            self.distinct.push(score);
        }
    }
}

impl Summary {
    /// Whether the score is blind to the new leads: enough of them, and their scores all
    /// equal or nearly (the profile reads none of the file's columns that tell them apart).
    fn blind(&self) -> bool {
        let Some((low, high)) = self.scores.range else {
            return false;
        };
        self.imported >= BLIND_AMONG
            && (self.scores.distinct.len() < BLIND_DISTINCT || high - low <= BLIND_SPREAD)
    }
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
        let mut object = json!({
            "batch": summary.batch,
            "imported": summary.imported,
            "updated": summary.updated,
            "skipped": summary.skipped,
            "rejected": summary.rejected,
            "warnings": summary.warnings,
        });
        // Only when it is so: the summary's keys stay what scripts read.
        if summary.blind() {
            object["blind"] = true.into();
        }
        serde_json::to_writer(&mut out, &object)?;
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
    if summary.blind() {
        let (low, high) = summary.scores.range.unwrap_or_default();
        let scores = if low == high {
            format!("all score {low}")
        } else {
            format!("score {low} to {high}")
        };
        ctx.say(format!(
            "the {} new leads {scores}: the score cannot tell them apart; give it what \
             matters to you with `leads config rule add` (e.g. a rule on a column of the \
             file), and once {MIN_EACH} are won and {MIN_EACH} lost, `leads learn`",
            summary.imported
        ));
    }
    Ok(())
}
