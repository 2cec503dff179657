//! `leads import`: read a lead list (`io::reader`), save it as one batch in one
//! transaction (`store::Importer`), each row as `decide::action` says; report every
//! rejected and skipped row and the summary. The steps: `read` (the reading thread: rows
//! to leads ready to save), `save` (each row's decision carried out, what it said
//! counted), `summary` (the last line). `batches`: `--list` and `--undo BATCH`.
mod batches;
mod decide;
mod progress;
mod read;
mod save;
mod summary;

use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};

use anyhow::Result;
use chrono::{DateTime, Utc};

use self::progress::Progress;
use self::read::{read_rows, Defaults, Preparation, Row};
use self::save::Saver;
use super::{local_clock, Ctx};
use crate::cli::{ImportArgs, InputFormat, OnDuplicate};
use crate::dates;
use crate::error::{bad_input, Failure};
use crate::io::encoding::encoding_for;
use crate::io::mapping::parse_override;
use crate::io::output_file::OutputFile;
use crate::io::reader::{InputShape, LeadReader, ReadOptions};
use crate::rescoring::mark_scored_if_new;
use crate::store::Importer;
use crate::workflows::duplicates::lookalikes_in_batch;

pub fn run(args: ImportArgs, ctx: &Ctx) -> Result<()> {
    if args.list {
        return batches::list(args.format, ctx);
    }
    if let Some(batch) = args.undo {
        return batches::undo(batch, args.dry_run, args.force, args.format, ctx);
    }
    import(args, ctx)
}

fn import(args: ImportArgs, ctx: &Ctx) -> Result<()> {
    let options = read_options(&args)?;
    let defaults = Defaults::from_args(&args, ctx)?;
    let (input, source_name, size) = open_input(&args, ctx)?;
    let rejects_out = rejects_output(&args, &source_name, ctx)?;
    // Deal values are read by the currency set; the database is not created for it.
    let options = ReadOptions {
        currency: ctx.open_store_for_dry_run()?.currency()?,
        ..options
    };
    let reader = LeadReader::new(input, args.from.map(input_shape), options)?;
    if args.dry_run {
        show_mapping(&reader, ctx);
    }
    // A dry run writes no rejects file either: it says what it would write.
    let rejects = rejects_out
        .filter(|_| !args.dry_run)
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
    let mut saver = Saver::new(&args, ctx, reader.position_word(), rejects, &profile);
    for warning in reader.column_warnings() {
        saver.warn_once(warning);
    }
    let mut progress = Progress::new(ctx.stderr_terminal && !ctx.quiet, size);
    let preparation = Preparation {
        defaults,
        profile: &profile,
        keep_originals: args.on_duplicate == OnDuplicate::Error,
        clock: local_clock(now),
    };
    store.import(&source_name, now, |importer| {
        read_and_save(importer, reader, &mut saver, &mut progress, &preparation)?;
        // A dry run keeps nothing, nor a strict import with rejected rows.
        // Nor one that added and changed nothing: an empty batch is nothing to undo.
        let changed = saver.summary.imported + saver.summary.updated > 0;
        let keep = changed && !(args.dry_run || (args.strict && saver.summary.rejected > 0));
        if keep {
            mark_scored_if_new(importer.store()?, &profile, local_clock(now))?;
            saver.summary.batch = Some(importer.batch());
            // Rows with an email were matched by it; one that came without, or a lead
            // known before its email, may still be someone already there.
            if importer.existing() > 0 && saver.summary.imported > 0 {
                saver.summary.lookalikes =
                    lookalikes_in_batch(importer.store()?, importer.batch())?;
            }
        } else if !args.dry_run && changed {
            saver.summary.imported = 0;
            saver.summary.updated = 0;
        }
        Ok(((), keep))
    })?;
    saver.finish()
}

/// Read and save every row: reading, parsing and scoring on a second thread, saving on
/// this one (the two halves of the work take about as long, and the machine has two
/// cores).
fn read_and_save(
    importer: &mut Importer<'_>,
    reader: LeadReader<'_>,
    saver: &mut Saver<'_>,
    progress: &mut Progress,
    preparation: &Preparation<'_>,
) -> Result<()> {
    let bytes_read = reader.bytes_read();
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel(4);
        // Used batches go back to be dropped where they were allocated: freeing
        // another thread's memory makes the two threads fight over the allocator.
        let (used_sender, used) = mpsc::channel::<Vec<Row>>();
        let reading = scope.spawn(move || read_rows(reader, &sender, &used, preparation));
        let saving = save_batches(
            importer,
            saver,
            receiver,
            &used_sender,
            (progress, &bytes_read),
            preparation.clock.now,
        );
        // Stop the reader if saving failed (it finds the channel closed), then wait.
        let read = reading.join();
        saving?;
        match read {
            Ok(result) => result?,
            Err(_) => anyhow::bail!("reading the input failed unexpectedly"),
        }
        progress.finish();
        Ok(())
    })
}

/// The saving loop: every row of every batch the reader sends, the progress ticking;
/// each batch goes back to the reader once saved. Returning drops the receiver, which
/// stops the reader.
fn save_batches(
    importer: &mut Importer<'_>,
    saver: &mut Saver<'_>,
    receiver: mpsc::Receiver<Result<Vec<Row>>>,
    used: &mpsc::Sender<Vec<Row>>,
    (progress, bytes_read): (&mut Progress, &Arc<AtomicU64>),
    now: DateTime<Utc>,
) -> Result<()> {
    let mut rows = 0_u64;
    for batch in receiver {
        let batch = batch?;
        for item in &batch {
            rows += 1;
            progress.tick(bytes_read.load(Ordering::Relaxed), rows);
            saver.save(importer, item, now)?;
        }
        let _ = used.send(batch);
    }
    Ok(())
}

fn input_shape(from: InputFormat) -> InputShape {
    match from {
        InputFormat::Csv => InputShape::Csv,
        InputFormat::Json => InputShape::Json,
        InputFormat::Ndjson => InputShape::Ndjson,
        InputFormat::Vcard => InputShape::Vcard,
    }
}

/// `--dry-run` shows how the file's columns map before anything else.
fn show_mapping(reader: &LeadReader<'_>, ctx: &Ctx) {
    let mapping = reader.column_mapping();
    if !mapping.is_empty() {
        ctx.say("columns:");
        for (header, field, why) in mapping {
            ctx.say(format!("  {header} -> {field} ({why})"));
        }
    }
}

/// The `--rejects` file, checked before reading (never the input itself). A dry run
/// checks the path the same way but creates nothing.
fn rejects_output(args: &ImportArgs, source_name: &str, ctx: &Ctx) -> Result<Option<OutputFile>> {
    let Some(path) = args.rejects.as_deref() else {
        return Ok(None);
    };
    // The standard input is a file too when the shell points it at one (`< leads.csv`):
    // /dev/stdin names it, and the guard compares the file it leads to.
    let input = Some(std::path::Path::new(if source_name == "stdin" {
        "/dev/stdin"
    } else {
        source_name
    }));
    if args.dry_run {
        ctx.check_output("--rejects", path, input)?;
        return Ok(None);
    }
    ctx.output_file("--rejects", path, input, "the rejects file")
        .map(Some)
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
        currency: None,
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
