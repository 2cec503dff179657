//! The reading side of an import, on its own thread: records -> leads ready to save.
use std::sync::mpsc;

use anyhow::Result;

use super::super::Ctx;
use crate::cli::ImportArgs;
use crate::error::bad_input;
use crate::io::leads_in::Converted;
use crate::io::reader::{LeadReader, Original};
use crate::model::{checked_source, normalize_tag, Lead};
use crate::scoring;

/// Values for every row of a file that has no such column (`--source`, `--source-detail`,
/// `--tag`).
#[derive(Debug, Default)]
pub struct Defaults {
    source: Option<String>,
    source_detail: Option<String>,
    tags: Vec<String>,
}

impl Defaults {
    /// The defaults the flags give. `--source` reads as `add --source` does: a near miss
    /// is said, a synonym's word is the detail unless `--source-detail` gives one.
    pub fn from_args(args: &ImportArgs, ctx: &Ctx) -> Result<Defaults> {
        let source = args
            .source
            .as_deref()
            .map(|text| checked_source(text, ""))
            .transpose()
            .map_err(|err| bad_input(format!("--source: {err}")))?;
        if let Some(warning) = source
            .as_ref()
            .and_then(|reading| reading.warning.as_deref())
        {
            ctx.warn(warning);
        }
        Ok(Defaults {
            source_detail: args
                .source_detail
                .clone()
                .or_else(|| source.as_ref().and_then(|reading| reading.detail.clone())),
            source: source.map(|reading| reading.source),
            tags: args.tags.iter().map(|tag| normalize_tag(tag)).collect(),
        })
    }

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

/// What the reading thread needs to make a row's lead ready to save.
pub struct Preparation<'a> {
    pub defaults: Defaults,
    pub profile: &'a scoring::Profile,
    /// Keep every record as it came for the rejects file, not only the unreadable ones
    /// (a duplicate may be rejected too).
    pub keep_originals: bool,
    /// Now, on the user's calendar: made once, not for every row.
    pub clock: scoring::Clock,
}

impl Preparation<'_> {
    /// A new lead ready to save: the defaults filled in, dated now, and scored as a new
    /// lead (it has no activities, so scoring needs no query).
    fn prepare(&self, lead: &mut Lead) {
        self.defaults.apply(lead);
        lead.created_at.get_or_insert(self.clock.now);
        lead.updated_at.get_or_insert(self.clock.now);
        lead.scores = scoring::score_numbers(lead, &[], self.profile, self.clock);
    }
}

/// One record as the reading thread hands it over.
pub struct Row {
    pub line: u64,
    pub lead: Result<Option<Converted>, String>,
    /// The record as it came, when it may go to the rejects file.
    pub original: Option<Original>,
}

/// Records travel between the threads in batches: one handover per row would cost
/// more than reading it.
const ROWS_PER_BATCH: usize = 4096;

/// The reading thread: records -> leads ready to save, sent in batches; `used` brings
/// the saved batches back to be freed here, where they were allocated.
pub fn read_rows(
    mut reader: LeadReader<'_>,
    sender: &mpsc::SyncSender<Result<Vec<Row>>>,
    used: &mpsc::Receiver<Vec<Row>>,
    preparation: &Preparation<'_>,
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
        let original =
            (preparation.keep_originals || record.lead.is_err()).then(|| reader.original());
        let mut lead = record.lead;
        if let Ok(Some(converted)) = &mut lead {
            preparation.prepare(&mut converted.lead);
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
