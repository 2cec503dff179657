//! `leads import`: read a lead list (`io::reader`), save it as one batch in one
//! transaction (`store::Importer`), report every rejected row and the summary.
//! Also `leads import --undo BATCH`.
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{mark_scored_if_new, score_lead, Ctx};
use crate::cli::{ImportArgs, InputFormat, OnDuplicate, SummaryFormat};
use crate::error::{bad_input, Failure};
use crate::io::encoding::encoding_for;
use crate::io::mapping::parse_override;
use crate::io::reader::{InputShape, LeadReader, ReadOptions};
use crate::model::{Answer, Lead};
use crate::scoring;
use crate::store::{Importer, Undo};

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Default)]
struct Summary {
    batch: Option<i64>,
    imported: u64,
    updated: u64,
    skipped: u64,
    rejected: u64,
    warnings: u64,
}

/// Individual warnings shown before they are only counted.
const SHOWN_WARNINGS: u64 = 20;

pub fn run(args: ImportArgs, ctx: &Ctx) -> Result<()> {
    if let Some(batch) = args.undo {
        return undo(batch, args.format, ctx);
    }
    let overrides = args
        .maps
        .iter()
        .map(|text| parse_override(text))
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad_input)?;
    let encoding = args
        .encoding
        .as_deref()
        .map(encoding_for)
        .transpose()
        .map_err(|err| bad_input(format!("--encoding: {err}")))?;
    let file = args.file.as_deref().unwrap_or("-");
    let (input, source_name, size): (Box<dyn Read>, String, Option<u64>) = if file == "-" {
        (Box::new(io::stdin().lock()), "stdin".into(), None)
    } else {
        let opened = File::open(file)
            .map_err(|err| Failure::InputMissing(format!("cannot read {file}: {err}")))?;
        let size = opened.metadata().ok().map(|m| m.len());
        (Box::new(opened), file.to_string(), size)
    };
    let shape = match args.from {
        InputFormat::Csv => InputShape::Csv,
        InputFormat::Json => InputShape::Json,
        InputFormat::Ndjson => InputShape::Ndjson,
    };
    let options = ReadOptions {
        encoding,
        overrides,
        date_format: args.date_format.clone(),
    };
    let mut reader = LeadReader::new(input, shape, options)?;
    let mut rejects = args
        .rejects
        .as_deref()
        .map(|path| reader.rejects_file(path))
        .transpose()?;

    let store = ctx.open_store()?;
    let profile = store.profile()?;
    let mut progress = Progress::new(ctx, size);
    let now = ctx.now;
    let summary = store.import(&source_name, now, |importer| {
        let mut summary = Summary::default();
        let word = reader.position_word();
        let mut reject = |summary: &mut Summary,
                          reader: &LeadReader<'_>,
                          line: u64,
                          reason: &str|
         -> Result<()> {
            summary.rejected += 1;
            ctx.say(format!("{word} {line}: rejected: {reason}"));
            if let Some(rejects) = rejects.as_mut() {
                reader.reject_current(rejects, reason)?;
            }
            Ok(())
        };
        let warn = |summary: &mut Summary, line: u64, warning: &str| {
            summary.warnings += 1;
            if summary.warnings <= SHOWN_WARNINGS {
                ctx.warn(format!("{word} {line}: {warning}"));
            }
        };
        let mut rows = 0_u64;
        while let Some(record) = reader.next_record()? {
            rows += 1;
            progress.tick(reader.bytes_read(), rows);
            let line = record.line;
            let converted = match record.lead {
                Ok(None) => continue,
                Ok(Some(converted)) => converted,
                Err(reason) => {
                    reject(&mut summary, &reader, line, &reason)?;
                    continue;
                }
            };
            for warning in &converted.warnings {
                warn(&mut summary, line, warning);
            }
            let lead = converted.lead;
            if let (Some(email), false) = (lead.email.as_deref(), args.allow_forgotten) {
                if importer.is_forgotten(email) {
                    summary.skipped += 1;
                    warn(
                        &mut summary,
                        line,
                        &format!(
                            "{email} asked to be forgotten: skipped \
                             (--allow-forgotten if they came back of their own accord)"
                        ),
                    );
                    continue;
                }
            }
            match (importer.duplicate_of(&lead)?, args.on_duplicate) {
                (None, _) => {
                    create(importer, lead, &profile, now)?;
                    summary.imported += 1;
                }
                (Some(_), OnDuplicate::Skip) => summary.skipped += 1,
                (Some(existing), OnDuplicate::Error) => {
                    let reason =
                        format!("duplicate of lead {existing} (same email or external id)");
                    reject(&mut summary, &reader, line, &reason)?;
                }
                (Some(existing), OnDuplicate::Update) => {
                    update(importer, existing, lead, &profile, now)?;
                    summary.updated += 1;
                }
            }
        }
        progress.finish();
        if summary.warnings > SHOWN_WARNINGS {
            ctx.warn(format!(
                "{} more warnings not shown",
                summary.warnings - SHOWN_WARNINGS
            ));
        }
        let keep = !(args.dry_run || (args.strict && summary.rejected > 0));
        if keep {
            mark_scored_if_new(importer.store(), &profile, now)?;
            summary.batch = Some(importer.batch());
        } else if !args.dry_run {
            summary.imported = 0;
            summary.updated = 0;
        }
        Ok((summary, keep))
    })?;
    if let Some(rejects) = rejects {
        rejects.finish()?;
    }
    report(&summary, &args, ctx)?;
    if summary.rejected > 0 {
        let what = if args.strict && !args.dry_run {
            "nothing was imported (--strict)"
        } else {
            "the other rows were imported"
        };
        let what = if args.dry_run { "dry run" } else { what };
        return Err(bad_input(format!(
            "{} {} rejected; {what}",
            summary.rejected,
            if summary.rejected == 1 { "row" } else { "rows" }
        )));
    }
    Ok(())
}

/// A new lead: dated, scored, saved in the batch.
fn create(
    importer: &mut Importer<'_>,
    mut lead: Lead,
    profile: &scoring::Profile,
    now: DateTime<Utc>,
) -> Result<()> {
    lead.created_at.get_or_insert(now);
    lead.updated_at.get_or_insert(now);
    // A new lead has no activities: scoring needs no query.
    lead.scores = scoring::score(&lead, &[], profile, now).stored();
    importer.create(&lead)?;
    Ok(())
}

/// `--on-duplicate update`: the row's non-empty values over the existing lead's.
fn update(
    importer: &mut Importer<'_>,
    id: i64,
    row: Lead,
    profile: &scoring::Profile,
    now: DateTime<Utc>,
) -> Result<()> {
    let store = importer.store();
    let mut lead = store.lead(id)?;
    let was = lead.status();
    merge(&mut lead, row);
    lead.updated_at = Some(now);
    lead.scores = score_lead(store, &lead, profile, now)?.stored();
    importer.update(&lead, was, now)
}

/// Copy what a row says onto a lead. Empty cells change nothing; tags and attributes are
/// added to; an opt-out is never cleared by an import, only set.
fn merge(lead: &mut Lead, row: Lead) {
    let fields = [
        (&mut lead.first_name, row.first_name),
        (&mut lead.last_name, row.last_name),
        (&mut lead.email, row.email),
        (&mut lead.phone, row.phone),
        (&mut lead.company, row.company),
        (&mut lead.title, row.title),
        (&mut lead.industry, row.industry),
        (&mut lead.country, row.country),
        (&mut lead.website, row.website),
        (&mut lead.source, row.source),
        (&mut lead.source_detail, row.source_detail),
        (&mut lead.notes, row.notes),
        (&mut lead.external_id, row.external_id),
        (&mut lead.need, row.need),
    ];
    for (slot, value) in fields {
        if value.is_some() {
            *slot = value;
        }
    }
    if row.company_size.is_some() {
        lead.company_size = row.company_size;
    }
    if row.status.is_some() {
        lead.status = row.status;
    }
    if row.timeline.is_some() {
        lead.timeline = row.timeline;
    }
    for tag in row.tags {
        if !lead.tags.contains(&tag) {
            lead.tags.push(tag);
        }
    }
    lead.attributes.extend(row.attributes);
    lead.incentivized |= row.incentivized;
    lead.aware |= row.aware;
    lead.do_not_contact |= row.do_not_contact;
    if row.budget != Answer::Unknown {
        lead.budget = row.budget;
    }
    if row.authority != Answer::Unknown {
        lead.authority = row.authority;
    }
}

fn report(summary: &Summary, args: &ImportArgs, ctx: &Ctx) -> Result<()> {
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
        None => line.push_str(" (nothing was written)"),
    }
    ctx.say(line);
    Ok(())
}

fn undo(batch: i64, format: SummaryFormat, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let outcome = store.write(|store| store.undo_batch(batch, ctx.now))?;
    let removed = match &outcome {
        Undo::Removed(count) => *count,
        Undo::AlreadyUndone(_) => 0,
    };
    if format == SummaryFormat::Json {
        let mut out = ctx.stdout();
        writeln!(out, "{}", json!({"batch": batch, "removed": removed}))?;
        out.flush()?;
    }
    match outcome {
        Undo::Removed(count) => ctx.say(format!(
            "removed {count} {} created by import batch {batch}",
            if count == 1 { "lead" } else { "leads" }
        )),
        Undo::AlreadyUndone(at) => ctx.say(format!(
            "import batch {batch} was already undone ({at}); nothing to remove"
        )),
    }
    Ok(())
}

/// A progress line on stderr while a long import runs, only when stderr is a terminal.
struct Progress {
    enabled: bool,
    size: Option<u64>,
    last: Instant,
    shown: bool,
}

impl Progress {
    fn new(ctx: &Ctx, size: Option<u64>) -> Progress {
        Progress {
            enabled: ctx.stderr_terminal && !ctx.quiet && io::stderr().is_terminal(),
            size,
            last: Instant::now(),
            shown: false,
        }
    }

    fn tick(&mut self, bytes: u64, rows: u64) {
        if !self.enabled || rows % 1024 != 0 || self.last.elapsed() < Duration::from_millis(200) {
            return;
        }
        self.last = Instant::now();
        self.shown = true;
        let line = match self.size.filter(|size| *size > 0) {
            Some(size) => {
                let percent = (bytes.min(size) * 100) / size;
                let filled = (percent / 5) as usize;
                format!(
                    "importing [{}{}] {percent:>3}%  {rows} rows",
                    "#".repeat(filled),
                    " ".repeat(20 - filled)
                )
            }
            None => format!("importing... {rows} rows"),
        };
        eprint!("\r{line}\x1b[K");
    }

    fn finish(&mut self) {
        if self.shown {
            eprint!("\r\x1b[K");
            self.shown = false;
        }
    }
}
