//! CSV input: the header found (a preamble before it skipped), mapped, and each row read
//! with its line number.
//!
//! Rows are read by the `csv` crate; a `Tail` between it and the text watches what the
//! crate cannot tell: where the text ends, and whether it ends inside a quoted cell (a
//! quote never closed, which would otherwise swallow the rest of the file into one cell).
//! Old Mac files end their lines with `\r` alone: they are read with `\r` as `\n`.
//!
//! Numeric dates (`2/5/24`) read in the order their column shows: a value whose first
//! number is above 12 settles day-first, a second above 12 month-first. When an
//! ambiguous value comes before anything settled it, the reader looks ahead (at most
//! `DATE_LOOKAHEAD` rows and `DATE_LOOKAHEAD_BYTES` of cells, kept in memory) for the
//! value that settles it; past either, the order is what the rows seen showed.
use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Result;

use super::{not_utf8, unreadable, ReadOptions, Record};
use crate::dates::imported::{evidence, is_ambiguous, is_date, Order};
use crate::error::bad_input;
use crate::io::bounded::{TooLong, MAX_RECORD_BYTES};
use crate::io::leads_in::{lead_from_cells, RowOptions};
use crate::io::mapping::{
    check_overrides, field_for_header, map_headers, overridden, Mapping, Override, Target,
};
use crate::model::Kind;

/// Records read ahead to find the header after a preamble or a tool's summary table.
const PREAMBLE_LOOKAHEAD: usize = 40;

/// Rows read ahead, at most, for the values to tell what a column is.
const SAMPLE_ROWS: usize = 2_000;

/// Single cells at the end of a file taken for a report's footer, at most.
const FOOTER_LINES: usize = 20;

/// Rows read ahead, at most, to settle the day/month order of a date column.
const DATE_LOOKAHEAD: usize = 50_000;

/// The most the rows read ahead may hold: 50,000 rows of up to 16 MiB each would be
/// gigabytes. (Smaller in unit tests, which show the bound without building 64 MiB.)
#[cfg(not(test))]
const DATE_LOOKAHEAD_BYTES: usize = 64 << 20;
#[cfg(test)]
const DATE_LOOKAHEAD_BYTES: usize = 1 << 20;

pub(super) struct CsvInput<'a> {
    reader: csv::Reader<Tail<Box<dyn Read + Send + 'a>>>,
    tail: Arc<TailState>,
    pub headers: Vec<String>,
    pub mapping: Mapping,
    /// The current record (for the rejects file).
    pub record: csv::ByteRecord,
    /// Records read ahead, with their start lines.
    ahead: VecDeque<(csv::ByteRecord, Raw)>,
    /// Per column: the order its numeric dates read in (only date columns change).
    orders: Vec<Order>,
    /// The columns that hold dates.
    date_columns: Vec<usize>,
    looked_ahead: bool,
    /// The file's end has been read.
    ended: bool,
    /// The last row read was blank (a footer may follow).
    after_blank: bool,
    /// The rest of the file is a report's footer.
    in_footer: bool,
}

/// Where a raw record starts, and whether it is a quote never closed (with its line).
#[derive(Debug, Clone, Copy)]
struct Raw {
    line: u64,
    unterminated: Option<u64>,
}

impl<'a> CsvInput<'a> {
    pub fn new(
        text: Box<dyn Read + Send + 'a>,
        head: &[u8],
        options: &ReadOptions,
    ) -> Result<Self> {
        let cr_only = head.contains(&b'\r') && !head.contains(&b'\n');
        let text: Box<dyn Read + Send + 'a> = if cr_only {
            Box::new(CrAsLf(text))
        } else {
            text
        };
        let delimiter = sniff_delimiter(head);
        let tail = Arc::new(TailState::default());
        // Only `\n` ends a record (a `\r` before it is taken off the last cell): the
        // csv crate's own CRLF handling and its skipping of blank lines would make
        // its line numbers wrong, and a rejected row must be found by its line.
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(64 * 1024)
            .from_reader(Tail {
                input: text,
                state: Arc::clone(&tail),
                quotes: Quotes::new(delimiter),
                record: RecordSize::default(),
            });
        let mut input = CsvInput {
            reader,
            tail,
            headers: Vec::new(),
            mapping: map_headers(&[], &[]),
            record: csv::ByteRecord::new(),
            ahead: VecDeque::new(),
            orders: Vec::new(),
            date_columns: Vec::new(),
            looked_ahead: false,
            ended: false,
            after_blank: false,
            in_footer: false,
        };
        input.find_header(options)?;
        Ok(input)
    }

    /// The header is the row that names the columns: of the first records, one whose cells
    /// are all labels (no email address, date, number or web address: never a data row),
    /// the one naming the most known fields (`--map` headers count), and of those the one
    /// with the most data rows under it (a webinar report's participants, not its summary
    /// table above them). Records before it are skipped (LinkedIn's "Notes:" lines).
    fn find_header(&mut self, options: &ReadOptions) -> Result<()> {
        while self.ahead.len() < PREAMBLE_LOOKAHEAD {
            let mut record = csv::ByteRecord::new();
            match self.read_raw(&mut record)? {
                Some(raw) => self.ahead.push_back((record, raw)),
                None => break,
            }
        }
        let rows: Vec<Option<(bool, usize)>> = self
            .ahead
            .iter()
            .map(|(record, _)| header_like(record, &options.overrides))
            .collect();
        let body = |index: usize| {
            rows[index + 1..]
                .iter()
                .take_while(|row| !matches!(row, Some((true, _))))
                .filter(|row| row.is_some())
                .count()
        };
        let mut best: Option<(usize, (usize, usize))> = None;
        for (index, row) in rows.iter().enumerate() {
            if let Some((true, known)) = row {
                let rank = (*known, body(index));
                if best.is_none_or(|(_, most)| rank > most) {
                    best = Some((index, rank));
                }
            }
        }
        // No row of labels at all (a header of numbers): the first with the most known names.
        if best.is_none() {
            for (index, row) in rows.iter().enumerate() {
                if let Some((_, known)) = row {
                    if best.is_none_or(|(_, (most, _))| *known > most) {
                        best = Some((index, (*known, 0)));
                    }
                }
            }
        }
        let Some((index, _)) = best else {
            return Err(bad_input("the file is empty: expected a header row"));
        };
        self.ahead.drain(..index);
        let Some((record, raw)) = self.ahead.pop_front() else {
            return Err(bad_input("the file is empty: expected a header row"));
        };
        let headers = cells(&record)
            .map(|cell| {
                std::str::from_utf8(cell)
                    .map(|h| h.trim().to_string())
                    .map_err(|_| not_utf8(raw.line, options.encoding))
            })
            .collect::<Result<Vec<_>>>()?;
        check_overrides(&headers, &options.overrides).map_err(bad_input)?;
        let mut mapping = map_headers(&headers, &options.overrides);
        if mapping.wants_values() {
            self.sample(&headers, &mut mapping)?;
        }
        self.date_columns = mapping
            .targets
            .iter()
            .enumerate()
            .filter(
                |(_, target)| matches!(target, Target::Field(field) if field.kind() == Kind::Date),
            )
            .map(|(index, _)| index)
            .collect();
        self.orders = vec![Order::Unknown; headers.len()];
        self.headers = headers;
        self.mapping = mapping;
        let ahead: Vec<usize> = (0..self.ahead.len()).collect();
        for index in ahead {
            let record = self.ahead[index].0.clone();
            self.settle_orders(&record);
        }
        Ok(())
    }

    /// Let the first rows' values decide what the names could not: read ahead (into the
    /// buffer the dates' look-ahead uses) up to `SAMPLE_ROWS` rows.
    fn sample(&mut self, headers: &[String], mapping: &mut Mapping) -> Result<()> {
        while self.ahead.len() < SAMPLE_ROWS {
            let mut record = csv::ByteRecord::new();
            match self.read_raw(&mut record)? {
                Some(raw) => self.ahead.push_back((record, raw)),
                None => break,
            }
        }
        let rows: Vec<&csv::ByteRecord> = self
            .ahead
            .iter()
            .map(|(record, _)| record)
            .filter(|record| record.len() == headers.len() && !is_header_again(record, headers))
            .collect();
        mapping.by_values(headers, |column| {
            rows.iter()
                .map(|record| {
                    record
                        .get(column)
                        .and_then(|cell| std::str::from_utf8(cell).ok())
                        .unwrap_or_default()
                })
                .collect()
        });
        Ok(())
    }

    /// Is this single cell a report's footer ("Copyright (c) 2000-2024 salesforce.com,
    /// inc.", "Generated By: ...")? Only single cells follow it to the end of the file, and
    /// a blank line comes before it or another single cell after it (one short row at the
    /// end is a row cut short, rejected). Reads ahead a little to tell.
    fn only_a_footer_follows(&mut self) -> Result<bool> {
        if !self.after_blank && self.ahead.is_empty() {
            let mut record = csv::ByteRecord::new();
            if let Some(raw) = self.read_raw(&mut record)? {
                self.ahead.push_back((record, raw));
            }
        }
        if !self.after_blank && self.ahead.is_empty() {
            return Ok(false);
        }
        loop {
            if self
                .ahead
                .iter()
                .any(|(record, _)| filled_cells(record) > 1)
            {
                return Ok(false);
            }
            if self.ended {
                return Ok(true);
            }
            if self.ahead.len() >= FOOTER_LINES {
                return Ok(false);
            }
            let mut record = csv::ByteRecord::new();
            if let Some(raw) = self.read_raw(&mut record)? {
                self.ahead.push_back((record, raw));
            }
        }
    }

    /// Read the next record from the file into `record`: its start line, or None at the end.
    fn read_raw(&mut self, record: &mut csv::ByteRecord) -> Result<Option<Raw>> {
        if !self.reader.read_byte_record(record).map_err(csv_failure)? {
            self.ended = true;
            return Ok(None);
        }
        let after = self.reader.position();
        let inside = record
            .as_slice()
            .iter()
            .filter(|byte| **byte == b'\n')
            .count() as u64;
        let at_end = self.tail.ended.load(Ordering::Relaxed)
            && after.byte() == self.tail.bytes.load(Ordering::Relaxed);
        if at_end && self.tail.unterminated() {
            // The last record runs from its quote to the end: its last cell is the one.
            let line = after.line().saturating_sub(inside).max(1);
            let before_last: u64 = (0..record.len().saturating_sub(1))
                .map(|index| {
                    record
                        .get(index)
                        .unwrap_or_default()
                        .iter()
                        .filter(|byte| **byte == b'\n')
                        .count() as u64
                })
                .sum();
            return Ok(Some(Raw {
                line,
                unterminated: Some(line + before_last),
            }));
        }
        // The position after a record is the line after its end (blank lines skipped
        // before it included); step back over its own line breaks (inside quoted cells)
        // and its terminating `\n`, missing only for a last record at the very end of a
        // file that does not end with a line break.
        let unterminated_line = at_end && !self.tail.last_was_newline.load(Ordering::Relaxed);
        let terminator = if unterminated_line { 0 } else { 1 };
        let line = after.line().saturating_sub(inside + terminator).max(1);
        Ok(Some(Raw {
            line,
            unterminated: None,
        }))
    }

    /// The next record into `self.record`, from the records read ahead first.
    fn advance(&mut self) -> Result<Option<Raw>> {
        if let Some((record, raw)) = self.ahead.pop_front() {
            self.record = record;
            return Ok(Some(raw));
        }
        let mut record = std::mem::take(&mut self.record);
        let raw = self.read_raw(&mut record);
        self.record = record;
        raw
    }

    /// What a record's date cells say about their columns' day/month order.
    fn settle_orders(&mut self, record: &csv::ByteRecord) {
        for &column in &self.date_columns {
            let order = &mut self.orders[column];
            // Settled once is enough: a later value that disagrees is read by itself
            // (its day above 12 shows it), and scanning stops costing anything.
            if order.is_settled() {
                continue;
            }
            if let Some(Ok(text)) = record.get(column).map(std::str::from_utf8) {
                *order = order.settle(evidence(text));
            }
        }
    }

    /// An ambiguous date in a column nothing has settled yet: read ahead for the value
    /// that settles it (once per file).
    fn look_ahead_if_needed(&mut self) -> Result<()> {
        if self.looked_ahead {
            return Ok(());
        }
        let needed = self.date_columns.iter().any(|&column| {
            self.orders[column] == Order::Unknown
                && self
                    .record
                    .get(column)
                    .and_then(|cell| std::str::from_utf8(cell).ok())
                    .is_some_and(is_ambiguous)
        });
        if !needed {
            return Ok(());
        }
        self.looked_ahead = true;
        // The rows read to find the header are held already.
        let mut held: usize = self.ahead.iter().map(|(row, _)| row.as_slice().len()).sum();
        while self.ahead.len() < DATE_LOOKAHEAD && held < DATE_LOOKAHEAD_BYTES {
            let mut record = csv::ByteRecord::new();
            let Some(raw) = self.read_raw(&mut record)? else {
                break;
            };
            held += record.as_slice().len();
            self.settle_orders(&record);
            self.ahead.push_back((record, raw));
            if self
                .date_columns
                .iter()
                .all(|&column| self.orders[column].is_settled())
            {
                break;
            }
        }
        Ok(())
    }

    pub fn next(&mut self, options: &ReadOptions) -> Result<Option<Record>> {
        let Some(raw) = self.advance()? else {
            return Ok(None);
        };
        if let Some(open) = raw.unterminated {
            return Ok(Some(Record {
                line: open,
                lead: Err(format!(
                    "a quote opened on line {open} is never closed: the rest of the file \
                     would be one cell, so it was not imported; close the quote"
                )),
            }));
        }
        let line = raw.line;
        if !self.date_columns.is_empty() {
            let record = std::mem::take(&mut self.record);
            self.settle_orders(&record);
            self.record = record;
            self.look_ahead_if_needed()?;
        }
        // A header row again (two exports joined), or a report's footer: not a lead.
        let width = self.headers.len();
        let cells_here = self.record.len();
        let blank = cells(&self.record).all(|cell| cell.trim_ascii().is_empty());
        self.in_footer = self.in_footer
            || (width > 1 && cells_here == 1 && !blank && self.only_a_footer_follows()?);
        self.after_blank = blank;
        if self.in_footer || (cells_here == width && is_header_again(&self.record, &self.headers)) {
            return Ok(Some(Record {
                line,
                lead: Ok(None),
            }));
        }
        let mut values = Vec::with_capacity(self.record.len());
        for cell in cells(&self.record) {
            values.push(std::str::from_utf8(cell).map_err(|_| not_utf8(line, options.encoding))?);
        }
        let width = self.headers.len();
        if values.len() != width {
            if values.iter().all(|c| c.trim().is_empty()) {
                return Ok(Some(Record {
                    line,
                    lead: Ok(None),
                }));
            }
            if values.len() < width {
                return Ok(Some(Record {
                    line,
                    lead: Err(format!(
                        "{} cells where the header has {width} (a missing quote or an \
                         unquoted comma?)",
                        values.len()
                    )),
                }));
            }
            // Cells beyond the header are fine when empty (Google's "Outlook CSV" ends
            // every row with one more comma), not when they hold something.
            if let Some(extra) = values[width..].iter().position(|c| !c.trim().is_empty()) {
                return Ok(Some(Record {
                    line,
                    lead: Err(format!(
                        "a value in cell {} where the header has {width} (a missing quote \
                         or an unquoted comma?)",
                        width + extra + 1
                    )),
                }));
            }
        }
        let row = RowOptions {
            date_format: options.date_format.as_deref(),
            leads_export: self.mapping.leads_export,
            strict: options.strict,
            currency: options.currency.as_deref(),
        };
        let lead = lead_from_cells(
            self.mapping
                .targets
                .iter()
                .zip(self.mapping.keys.iter())
                .zip(values)
                .zip(self.orders.iter())
                .map(|(((target, key), value), order)| (target, key.as_str(), value, *order)),
            row,
        );
        Ok(Some(Record { line, lead }))
    }
}

/// Is this record a row of labels (`(true, known)`: no cell holds a value such as an email,
/// a date, a number or a web address), and how many of its cells name a known field or a
/// `--map` header? None for an empty record.
fn header_like(record: &csv::ByteRecord, overrides: &[Override]) -> Option<(bool, usize)> {
    let mut any = false;
    let mut labels = true;
    let mut known = 0;
    for cell in cells(record) {
        let text = String::from_utf8_lossy(cell);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        any = true;
        labels &= !holds_a_value(text);
        known += usize::from(field_for_header(text).is_some() || overridden(text, overrides));
    }
    any.then_some((labels, known))
}

/// A cell no header is: an email address, a date, a number or an id made mostly of
/// digits, a web address.
fn holds_a_value(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let alphanumeric = text.chars().filter(|c| c.is_alphanumeric()).count();
    (digits >= 3 && digits * 2 >= alphanumeric)
        || (text.contains('@') && text.contains('.'))
        || text.starts_with("http://")
        || text.starts_with("https://")
        || text.starts_with("www.")
        || (digits > 0 && is_date(text))
}

/// The header row again, inside the file.
fn is_header_again(record: &csv::ByteRecord, headers: &[String]) -> bool {
    // Most rows differ in the first cell: no need to look further.
    let first = cells(record).next().unwrap_or_default();
    headers.first().map(String::as_bytes) == Some(first.trim_ascii())
        && cells(record)
            .zip(headers)
            .all(|(cell, header)| cell.trim_ascii() == header.as_bytes())
}

/// Cells with something in them.
fn filled_cells(record: &csv::ByteRecord) -> usize {
    cells(record)
        .filter(|cell| !cell.trim_ascii().is_empty())
        .count()
}

fn csv_failure(err: csv::Error) -> anyhow::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => unreadable(err),
        other => bad_input(format!("cannot read the CSV: {other:?}")),
    }
}

/// A record's cells, without the `\r` of a CRLF line end.
pub(super) fn cells(record: &csv::ByteRecord) -> impl Iterator<Item = &[u8]> {
    let last = record.len().saturating_sub(1);
    record.iter().enumerate().map(move |(index, cell)| {
        if index == last {
            cell.strip_suffix(b"\r").unwrap_or(cell)
        } else {
            cell
        }
    })
}

/// The CSV delimiter, from the header line: a comma, unless the header has none and
/// has semicolons (Excel's CSV where the decimal mark is a comma) or tabs.
pub(super) fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head
        .split(|b| *b == b'\n' || *b == b'\r')
        .find(|line| line.iter().any(|b| matches!(b, b',' | b';' | b'\t')))
        .unwrap_or_default();
    let count = |delimiter: u8| line.iter().filter(|b| **b == delimiter).count();
    let (commas, semicolons, tabs) = (count(b','), count(b';'), count(b'\t'));
    if commas > 0 || (semicolons == 0 && tabs == 0) {
        b','
    } else if semicolons >= tabs {
        b';'
    } else {
        b'\t'
    }
}

/// What `Tail` saw of the text it passed on.
#[derive(Default)]
struct TailState {
    bytes: AtomicU64,
    last_was_newline: AtomicBool,
    ended: AtomicBool,
    /// The text ended inside a quoted cell.
    open_quote: AtomicBool,
}

impl TailState {
    fn unterminated(&self) -> bool {
        self.open_quote.load(Ordering::Relaxed)
    }
}

/// Watches the end of the text the CSV reader reads, its quotes, and the size of the
/// record being read.
struct Tail<R> {
    input: R,
    state: Arc<TailState>,
    quotes: Quotes,
    record: RecordSize,
}

/// How far the text has gone since the last record ended: the csv crate would grow its
/// record without end (a line with no end, `/dev/zero`, a quote never closed), so the
/// text stops at `MAX_RECORD_BYTES` with the line where the record began.
struct RecordSize {
    /// Bytes of text so far.
    offset: u64,
    /// Line breaks so far.
    lines: u64,
    /// Where the record being read began: its byte and its line.
    start: u64,
    line: u64,
}

impl Default for RecordSize {
    fn default() -> Self {
        RecordSize {
            offset: 0,
            lines: 0,
            start: 0,
            line: 1,
        }
    }
}

impl RecordSize {
    /// Account for `chunk`, where a record began at `record_start` (if one did).
    fn step(&mut self, chunk: &[u8], record_start: Option<usize>) -> io::Result<()> {
        if let Some(at) = record_start {
            self.start = self.offset + at as u64;
            self.line = self.lines + memchr::memchr_iter(b'\n', &chunk[..at]).count() as u64 + 1;
        }
        self.lines += memchr::memchr_iter(b'\n', chunk).count() as u64;
        self.offset += chunk.len() as u64;
        if self.offset - self.start > MAX_RECORD_BYTES {
            return Err(TooLong { line: self.line }.into_io());
        }
        Ok(())
    }
}

impl<R: Read> Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.input.read(buf)?;
        let state = &self.state;
        match buf[..read].last() {
            Some(byte) => {
                let record_start = self.quotes.scan(&buf[..read]);
                self.record.step(&buf[..read], record_start)?;
                state.bytes.fetch_add(read as u64, Ordering::Relaxed);
                state
                    .last_was_newline
                    .store(*byte == b'\n', Ordering::Relaxed);
            }
            None => {
                state
                    .open_quote
                    .store(self.quotes.open_at_end(), Ordering::Relaxed);
                state.ended.store(true, Ordering::Relaxed);
            }
        }
        Ok(read)
    }
}

/// The quoting state of CSV text, followed as the `csv` crate reads it: a quote opens a
/// quoted cell only at the start of a cell; inside, `""` is a quote and `"` closes.
/// Only the quotes are looked at (found with memchr), so it costs little.
struct Quotes {
    delimiter: u8,
    inside: bool,
    /// A quote inside a quoted cell was the last byte so far: closing or escaping,
    /// depending on the next byte.
    pending: bool,
    previous: u8,
}

impl Quotes {
    fn new(delimiter: u8) -> Quotes {
        Quotes {
            delimiter,
            inside: false,
            pending: false,
            previous: b'\n',
        }
    }

    /// Follow the quotes of `chunk`; where in it the last record began (after a line
    /// break outside quotes), if one did.
    fn scan(&mut self, chunk: &[u8]) -> Option<usize> {
        let mut record_start = None;
        let mut outside = |from: usize, to: usize, inside: bool| {
            if !inside {
                if let Some(end) = memchr::memrchr(b'\n', &chunk[from..to]) {
                    record_start = Some(from + end + 1);
                }
            }
        };
        let mut at = 0;
        if self.pending {
            self.pending = false;
            if chunk.first() == Some(&b'"') {
                at = 1;
            } else {
                self.inside = false;
            }
        }
        while let Some(found) = memchr::memchr(b'"', &chunk[at..]) {
            let quote = at + found;
            outside(at, quote, self.inside);
            if self.inside {
                match chunk.get(quote + 1) {
                    Some(b'"') => at = quote + 2,
                    Some(_) => {
                        self.inside = false;
                        at = quote + 1;
                    }
                    None => {
                        self.pending = true;
                        at = quote + 1;
                    }
                }
            } else {
                let before = if quote == 0 {
                    self.previous
                } else {
                    chunk[quote - 1]
                };
                self.inside = before == self.delimiter || before == b'\n';
                at = quote + 1;
            }
            if at >= chunk.len() {
                break;
            }
        }
        outside(
            at.min(chunk.len()),
            chunk.len(),
            self.inside || self.pending,
        );
        if let Some(last) = chunk.last() {
            self.previous = *last;
        }
        record_start
    }

    fn open_at_end(&self) -> bool {
        self.inside && !self.pending
    }
}

/// Old Mac line ends: `\r` read as `\n`.
struct CrAsLf<R>(R);

impl<R: Read> Read for CrAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.0.read(buf)?;
        for byte in &mut buf[..read] {
            if *byte == b'\r' {
                *byte = b'\n';
            }
        }
        Ok(read)
    }
}
