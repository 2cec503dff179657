//! `leads import`: read a lead list (`io::reader`), save it as one batch in one
//! transaction (`store::Importer`), each row as `decide::action` says; report every
//! rejected and skipped row and the summary. `batches`: `--list` and `--undo BATCH`.
mod batches;
mod decide;
mod progress;

use std::fs::File;
use std::io::{self, Read, Write};
use std::sync::atomic::Ordering;
use std::sync::mpsc;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde_json::json;

use self::decide::{action, Action};
use self::progress::Progress;
use super::{local_clock, Ctx};
use crate::cli::{ImportArgs, InputFormat, OnDuplicate, SummaryFormat};
use crate::dates;
use crate::error::{bad_input, Failure};
use crate::io::encoding::encoding_for;
use crate::io::leads_in::{Converted, UnreadDate};
use crate::io::mapping::parse_override;
use crate::io::reader::{InputShape, LeadReader, Original, ReadOptions, Rejects};
use crate::model::{parse_source, Answer, Lead};
use crate::rescoring::{mark_scored_if_new, score_lead};
use crate::scoring;
use crate::store::Importer;

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
    if args.list {
        return batches::list(args.format, ctx);
    }
    if let Some(batch) = args.undo {
        return batches::undo(batch, args.dry_run, args.force, args.format, ctx);
    }
    import(args, ctx)
}

/// How to read the file, from the flags.
fn read_options(args: &ImportArgs) -> Result<ReadOptions> {
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
    Ok(ReadOptions {
        encoding,
        overrides,
        date_format: args.date_format.clone(),
        strict: args.strict,
    })
}

/// The input: the file (or stdin), its name for the batch, and its size when known.
fn open_input(args: &ImportArgs, ctx: &Ctx) -> Result<(Box<dyn Read + Send>, String, Option<u64>)> {
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
    if file == "-" {
        return Ok((Box::new(io::stdin()), "stdin".into(), None));
    }
    let opened = File::open(file)
        .map_err(|err| Failure::InputMissing(format!("cannot read {file}: {err}")))?;
    if opened.metadata().is_ok_and(|meta| meta.is_dir()) {
        return Err(Failure::InputMissing(format!(
            "cannot read {file}: it is a folder, not a file"
        ))
        .into());
    }
    let size = opened.metadata().ok().map(|m| m.len());
    Ok((Box::new(opened), file.to_string(), size))
}

/// Values for every row of a file that has no such column (`--source`, `--source-detail`,
/// `--tag`).
#[derive(Debug, Default)]
struct Defaults {
    source: Option<String>,
    source_detail: Option<String>,
    tags: Vec<String>,
}

impl Defaults {
    fn apply(&self, lead: &mut Lead) {
        if lead.source.is_none() {
            lead.source.clone_from(&self.source);
        }
        if lead.source_detail.is_none() {
            lead.source_detail.clone_from(&self.source_detail);
        }
        for tag in &self.tags {
            if !lead.tags.contains(tag) {
                lead.tags.push(tag.clone());
            }
        }
    }
}

fn import(args: ImportArgs, ctx: &Ctx) -> Result<()> {
    let options = read_options(&args)?;
    // `--source` reads as `add --source` does: a near miss is said, a synonym's word is the
    // detail unless `--source-detail` gives one.
    let source = args.source.as_deref().map(parse_source);
    if let Some(warning) = source
        .as_ref()
        .and_then(|reading| reading.warning.as_deref())
    {
        ctx.warn(warning);
    }
    let defaults = Defaults {
        source_detail: args
            .source_detail
            .clone()
            .or_else(|| source.as_ref().and_then(|reading| reading.detail.clone())),
        source: source.map(|reading| reading.source),
        tags: args
            .tags
            .iter()
            .map(|tag| tag.trim().to_lowercase())
            .collect(),
    };
    let (input, source_name, size) = open_input(&args, ctx)?;
    let shape = args.from.map(|from| match from {
        InputFormat::Csv => InputShape::Csv,
        InputFormat::Json => InputShape::Json,
        InputFormat::Ndjson => InputShape::Ndjson,
        InputFormat::Vcard => InputShape::Vcard,
    });
    let rejects_out = args
        .rejects
        .as_deref()
        .map(|path| {
            let input = (source_name != "stdin").then(|| std::path::Path::new(&source_name));
            ctx.output_file("--rejects", path, input, "the rejects file")
        })
        .transpose()?;
    let reader = LeadReader::new(input, shape, options)?;
    if args.dry_run {
        let mapping = reader.column_mapping();
        if !mapping.is_empty() {
            ctx.say("columns:");
            for (header, field) in mapping {
                ctx.say(format!("  {header} -> {field}"));
            }
        }
    }
    let rejects = rejects_out
        .map(|out| reader.rejects_file(out))
        .transpose()?;
    // A dry run never creates the database (an empty one in memory stands in for it).
    let store = if args.dry_run {
        ctx.open_store_for_dry_run()?
    } else {
        ctx.open_store()?
    };
    let profile = store.profile()?;
    let now = ctx.now;
    let mut saver = Saver {
        args: &args,
        ctx,
        word: reader.position_word(),
        rejects,
        summary: Summary::default(),
        unread_dates: Vec::new(),
        profile: &profile,
    };
    let bytes_read = reader.bytes_read();
    let mut progress = Progress::new(ctx.stderr_terminal && !ctx.quiet, size);
    // A duplicate may be rejected (--on-duplicate error): then every row keeps its
    // original for the rejects file, not only the unreadable ones.
    let keep_originals = args.on_duplicate == OnDuplicate::Error;
    store.import(&source_name, now, |importer| {
        std::thread::scope(|scope| {
            // Reading, parsing and scoring on one thread, saving on this one: the two
            // halves of the work take about as long, and the machine has two cores.
            let (sender, receiver) = mpsc::sync_channel(4);
            // Used batches go back to be dropped where they were allocated: freeing
            // another thread's memory makes the two threads fight over the allocator.
            let (used_sender, used) = mpsc::channel::<Vec<Row>>();
            let (profile_ref, defaults) = (&profile, &defaults);
            let reading = scope.spawn(move || {
                read_rows(
                    reader,
                    &sender,
                    &used,
                    keep_originals,
                    profile_ref,
                    defaults,
                    now,
                )
            });
            let mut rows = 0_u64;
            let saving = (|| -> Result<()> {
                for batch in receiver {
                    let batch = batch?;
                    for item in &batch {
                        rows += 1;
                        progress.tick(bytes_read.load(Ordering::Relaxed), rows);
                        saver.save(importer, item, now)?;
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
            let keep = !(args.dry_run || (args.strict && saver.summary.rejected > 0));
            if keep {
                mark_scored_if_new(importer.store(), &profile, local_clock(now))?;
                saver.summary.batch = Some(importer.batch());
            } else if !args.dry_run {
                saver.summary.imported = 0;
                saver.summary.updated = 0;
            }
            Ok(((), keep))
        })
    })?;
    saver.finish()
}

/// The saving side of an import: one row at a time, with what the summary needs.
struct Saver<'a> {
    args: &'a ImportArgs,
    ctx: &'a Ctx,
    word: &'static str,
    rejects: Option<Rejects>,
    summary: Summary,
    /// Per column with unreadable dates: how many.
    unread_dates: Vec<(String, u64)>,
    profile: &'a scoring::Profile,
}

impl Saver<'_> {
    fn save(&mut self, importer: &mut Importer<'_>, item: &Row, now: DateTime<Utc>) -> Result<()> {
        let (kind, converted) = match &item.lead {
            Ok(None) => (decide::Row::Empty, None),
            Err(_) => (decide::Row::Unreadable, None),
            Ok(Some(converted)) => {
                let forgotten = converted
                    .lead
                    .email
                    .as_deref()
                    .is_some_and(|email| importer.is_forgotten(email));
                let kind = if forgotten {
                    decide::Row::Forgotten
                } else {
                    decide::Row::Lead
                };
                (kind, Some(converted))
            }
        };
        if let Some(converted) = converted {
            for warning in &converted.warnings {
                self.warn(item.line, warning);
            }
            for unread in &converted.unread_dates {
                self.unread_date(item.line, unread);
            }
        }
        let needs_duplicate = matches!(kind, decide::Row::Lead)
            || (kind == decide::Row::Forgotten && self.args.allow_forgotten);
        let duplicate = match converted {
            Some(converted) if needs_duplicate => importer.duplicate_of(&converted.lead)?,
            _ => None,
        };
        let action = action(
            kind,
            duplicate,
            self.args.on_duplicate,
            self.args.allow_forgotten,
        );
        self.apply(importer, action, item, converted, now)
    }

    /// Carry out the decision about a row.
    fn apply(
        &mut self,
        importer: &mut Importer<'_>,
        action: Action,
        item: &Row,
        converted: Option<&Converted>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        match action {
            Action::Nothing => {}
            Action::Reject => {
                let reason = item.lead.as_ref().err().map_or("", String::as_str);
                self.reject(item, reason)?;
            }
            Action::SkipForgotten => {
                self.summary.skipped += 1;
                let email = converted
                    .and_then(|c| c.lead.email.as_deref())
                    .unwrap_or_default();
                self.warn(
                    item.line,
                    &format!(
                        "{email} asked to be forgotten: skipped \
                         (--allow-forgotten if they came back of their own accord)"
                    ),
                );
            }
            Action::Create => {
                if let Some(converted) = converted {
                    importer.create(&converted.lead)?;
                    self.summary.imported += 1;
                }
            }
            Action::Skip(id, same) => {
                self.summary.skipped += 1;
                if self.summary.skipped <= SHOWN_WARNINGS {
                    self.ctx.say(format!(
                        "{} {}: skipped: duplicate of lead {id} ({})",
                        self.word,
                        item.line,
                        same.describe()
                    ));
                }
            }
            Action::RejectDuplicate(id, same) => {
                let reason = format!("duplicate of lead {id} ({})", same.describe());
                self.reject(item, &reason)?;
            }
            Action::Update(id) => {
                if let Some(converted) = converted {
                    update(importer, id, converted.lead.clone(), self.profile, now)?;
                    self.summary.updated += 1;
                }
            }
        }
        Ok(())
    }

    fn reject(&mut self, item: &Row, reason: &str) -> Result<()> {
        self.summary.rejected += 1;
        self.ctx
            .say(format!("{} {}: rejected: {reason}", self.word, item.line));
        if let (Some(rejects), Some(original)) = (self.rejects.as_mut(), &item.original) {
            rejects.write(original, reason)?;
        }
        Ok(())
    }

    fn warn(&mut self, line: u64, warning: &str) {
        self.summary.warnings += 1;
        if self.summary.warnings <= SHOWN_WARNINGS {
            self.ctx.warn(format!("{} {line}: {warning}", self.word));
        }
    }

    /// An unreadable date: said once per column (with the format that would read it),
    /// then counted.
    fn unread_date(&mut self, line: u64, unread: &UnreadDate) {
        self.summary.warnings += 1;
        match self
            .unread_dates
            .iter_mut()
            .find(|(column, _)| *column == unread.column)
        {
            Some((_, count)) => *count += 1,
            None => {
                self.unread_dates.push((unread.column.clone(), 1));
                self.ctx.warn(format!(
                    "{} {line}: {}: {}; the value is kept in attributes",
                    self.word, unread.column, unread.message
                ));
            }
        }
    }

    /// The end: the rejects file closed, what was not shown counted, the summary.
    fn finish(self) -> Result<()> {
        let Saver {
            args,
            ctx,
            rejects,
            summary,
            unread_dates,
            ..
        } = self;
        if let Some(rejects) = rejects {
            rejects.finish()?;
        }
        for (column, count) in unread_dates.iter().filter(|(_, count)| *count > 1) {
            ctx.warn(format!(
                "{column}: {} more dates like it could not be read (kept in attributes)",
                count - 1
            ));
        }
        let shown_warnings = summary.warnings - unread_dates.iter().map(|(_, n)| n).sum::<u64>();
        if shown_warnings > SHOWN_WARNINGS {
            ctx.warn(format!(
                "{} more warnings not shown",
                shown_warnings - SHOWN_WARNINGS
            ));
        }
        if summary.skipped > SHOWN_WARNINGS {
            ctx.say(format!(
                "{} more skipped duplicates not shown",
                summary.skipped - SHOWN_WARNINGS
            ));
        }
        report(&summary, args, ctx)?;
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
    defaults: &Defaults,
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
            defaults.apply(lead);
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
