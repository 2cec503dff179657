//! `leads import`: read a lead list (`io::reader`), save it as one batch in one
//! transaction (`store::Importer`), report every rejected row and the summary.
//! Also `leads import --undo BATCH`.
use std::fs::File;
use std::io::{self, Read, Write};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{local_clock, mark_scored_if_new, score_lead, Ctx};
use crate::cli::{ImportArgs, InputFormat, OnDuplicate, SummaryFormat};
use crate::dates;
use crate::error::{bad_input, Failure};
use crate::io::encoding::encoding_for;
use crate::io::leads_in::Converted;
use crate::io::mapping::parse_override;
use crate::io::reader::{InputShape, LeadReader, Original, ReadOptions};
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
    if let Some(pattern) = &args.date_format {
        dates::check_date_format(pattern)
            .map_err(|err| bad_input(format!("--date-format: {err}")))?;
    }
    let encoding = args
        .encoding
        .as_deref()
        .map(encoding_for)
        .transpose()
        .map_err(|err| bad_input(format!("--encoding: {err}")))?;
    let file =
        match args.file.as_deref() {
            Some(file) => file,
            None if !ctx.stdin_terminal => "-",
            None => return Err(Failure::Usage(
                "give the FILE to import, or - to read standard input (see leads import --help)"
                    .into(),
            )
            .into()),
        };
    let (input, source_name, size): (Box<dyn Read + Send>, String, Option<u64>) = if file == "-" {
        (Box::new(io::stdin()), "stdin".into(), None)
    } else {
        let opened = File::open(file)
            .map_err(|err| Failure::InputMissing(format!("cannot read {file}: {err}")))?;
        if opened.metadata().is_ok_and(|meta| meta.is_dir()) {
            return Err(Failure::InputMissing(format!(
                "cannot read {file}: it is a folder, not a file"
            ))
            .into());
        }
        let size = opened.metadata().ok().map(|m| m.len());
        (Box::new(opened), file.to_string(), size)
    };
    let shape = args.from.map(|from| match from {
        InputFormat::Csv => InputShape::Csv,
        InputFormat::Json => InputShape::Json,
        InputFormat::Ndjson => InputShape::Ndjson,
    });
    let options = ReadOptions {
        encoding,
        overrides,
        date_format: args.date_format.clone(),
    };
    let rejects_out = args
        .rejects
        .as_deref()
        .map(|path| {
            let input = (file != "-").then(|| std::path::Path::new(file));
            ctx.output_file("--rejects", path, input, "the rejects file")
        })
        .transpose()?;
    let reader = LeadReader::new(input, shape, options)?;
    let mut rejects = rejects_out
        .map(|out| reader.rejects_file(out))
        .transpose()?;
    let word = reader.position_word();
    let bytes_read = reader.bytes_read();

    let store = ctx.open_store()?;
    let profile = store.profile()?;
    let mut progress = Progress::new(ctx, size);
    let now = ctx.now;
    // A duplicate may be rejected (--on-duplicate error): then every row keeps its
    // original for the rejects file, not only the unreadable ones.
    let keep_originals = args.on_duplicate == OnDuplicate::Error;
    let summary = store.import(&source_name, now, |importer| {
        std::thread::scope(|scope| {
            // Reading, parsing and scoring on one thread, saving on this one: the two
            // halves of the work take about as long, and the machine has two cores.
            let (sender, receiver) = mpsc::sync_channel(4);
            // Used batches go back to be dropped where they were allocated: freeing
            // another thread's memory makes the two threads fight over the allocator.
            let (used_sender, used) = mpsc::channel::<Vec<Row>>();
            let profile_ref = &profile;
            let reading = scope
                .spawn(move || read_rows(reader, &sender, &used, keep_originals, profile_ref, now));
            let mut summary = Summary::default();
            let mut rows = 0_u64;
            let mut reject = |summary: &mut Summary, item: &Row, reason: &str| -> Result<()> {
                summary.rejected += 1;
                ctx.say(format!("{word} {}: rejected: {reason}", item.line));
                if let (Some(rejects), Some(original)) = (rejects.as_mut(), &item.original) {
                    rejects.write(original, reason)?;
                }
                Ok(())
            };
            let warn = |summary: &mut Summary, line: u64, warning: &str| {
                summary.warnings += 1;
                if summary.warnings <= SHOWN_WARNINGS {
                    ctx.warn(format!("{word} {line}: {warning}"));
                }
            };
            let saving = (|| -> Result<()> {
                for batch in receiver {
                    let batch = batch?;
                    for item in &batch {
                        rows += 1;
                        progress.tick(bytes_read.load(Ordering::Relaxed), rows);
                        let converted = match &item.lead {
                            Ok(None) => continue,
                            Ok(Some(converted)) => converted,
                            Err(reason) => {
                                reject(&mut summary, item, reason)?;
                                continue;
                            }
                        };
                        for warning in &converted.warnings {
                            warn(&mut summary, item.line, warning);
                        }
                        let lead = &converted.lead;
                        if let (Some(email), false) = (lead.email.as_deref(), args.allow_forgotten)
                        {
                            if importer.is_forgotten(email) {
                                summary.skipped += 1;
                                warn(
                                    &mut summary,
                                    item.line,
                                    &format!(
                                        "{email} asked to be forgotten: skipped \
                                         (--allow-forgotten if they came back of their own accord)"
                                    ),
                                );
                                continue;
                            }
                        }
                        match (importer.duplicate_of(lead)?, args.on_duplicate) {
                            (None, _) => {
                                importer.create(lead)?;
                                summary.imported += 1;
                            }
                            (Some(_), OnDuplicate::Skip) => summary.skipped += 1,
                            (Some(existing), OnDuplicate::Error) => {
                                let reason = format!(
                                    "duplicate of lead {existing} (same email or external id)"
                                );
                                reject(&mut summary, item, &reason)?;
                            }
                            (Some(existing), OnDuplicate::Update) => {
                                update(importer, existing, lead.clone(), &profile, now)?;
                                summary.updated += 1;
                            }
                        }
                    }
                    let _ = used_sender.send(batch);
                }
                Ok(())
            })();
            // Stop the reader if saving failed (it finds the channel closed), then wait.
            let read = reading.join();
            saving?;
            match read {
                Ok(result) => result?,
                Err(_) => anyhow::bail!("reading the input failed unexpectedly"),
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
                mark_scored_if_new(importer.store(), &profile, local_clock(now))?;
                summary.batch = Some(importer.batch());
            } else if !args.dry_run {
                summary.imported = 0;
                summary.updated = 0;
            }
            Ok((summary, keep))
        })
    })?;
    if let Some(rejects) = rejects {
        rejects.finish()?;
    }
    report(&summary, &args, ctx)?;
    if summary.rejected > 0 {
        let what = if args.strict && !args.dry_run {
            "nothing was imported (--strict)"
        } else if summary.imported + summary.updated == 0 {
            "nothing was imported"
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

/// One record as the reading thread hands it over.
struct Row {
    line: u64,
    lead: Result<Option<Converted>, String>,
    /// The record as it came, when it may go to the rejects file.
    original: Option<Original>,
}

/// Records travel between the threads in batches: one handover per row would cost
/// more than reading it.
const ROWS_PER_BATCH: usize = 4096;

/// The reading thread: records -> leads ready to save (dated and scored as new leads;
/// a new lead has no activities, so scoring needs no query).
fn read_rows(
    mut reader: LeadReader<'_>,
    sender: &mpsc::SyncSender<Result<Vec<Row>>>,
    used: &mpsc::Receiver<Vec<Row>>,
    keep_originals: bool,
    profile: &scoring::Profile,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
    loop {
        let record = match reader.next_record() {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(err) => {
                // Rows read so far are reported, then the error stops the import.
                let _ = sender.send(Ok(batch));
                let _ = sender.send(Err(err));
                return Ok(());
            }
        };
        let original = (keep_originals || record.lead.is_err()).then(|| reader.original());
        let mut lead = record.lead;
        if let Ok(Some(converted)) = &mut lead {
            let lead = &mut converted.lead;
            lead.created_at.get_or_insert(now);
            lead.updated_at.get_or_insert(now);
            lead.scores = scoring::score_numbers(lead, &[], profile, local_clock(now));
        }
        batch.push(Row {
            line: record.line,
            lead,
            original,
        });
        if batch.len() == ROWS_PER_BATCH {
            // Drop what the saving thread is done with, here where it was allocated.
            while let Ok(done) = used.try_recv() {
                drop(done);
            }
            let full = std::mem::replace(&mut batch, Vec::with_capacity(ROWS_PER_BATCH));
            if sender.send(Ok(full)).is_err() {
                // The saving side stopped (an error): nothing more to do.
                return Ok(());
            }
        }
    }
    let _ = sender.send(Ok(batch));
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
    lead.scores = score_lead(store, &lead, profile, local_clock(now))?.stored();
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
            enabled: ctx.stderr_terminal && !ctx.quiet,
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
