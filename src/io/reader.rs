//! Reading lead lists: CSV (any encoding), JSON arrays and NDJSON, one record at a time,
//! each turned into a lead by `leads_in`. Also the rejects file, which gives the rejected
//! records back in their own shape with an `error` added.
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Result;
use serde_json::{Map, Value};

use super::encoding::{is_utf16, utf8_reader};
use super::leads_in::{lead_from_cells, Converted, RowOptions};
use super::leads_out::neutralize;
use super::mapping::{check_overrides, map_headers, Mapping, Override, Target};
use super::output_file::OutputFile;
use crate::error::{bad_input, Failure};

/// The shape of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputShape {
    Csv,
    /// One JSON array of objects (read whole).
    Json,
    /// One JSON object per line (streamed).
    Ndjson,
}

/// How to read the input.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub overrides: Vec<Override>,
    pub date_format: Option<String>,
}

/// One record of the input, read.
#[derive(Debug)]
pub struct Record {
    /// Where it starts: the line of a CSV or NDJSON file, the position in a JSON array.
    pub line: u64,
    /// The lead, `None` for an empty row, or why the record cannot be imported.
    pub lead: Result<Option<Converted>, String>,
}

/// Reads records one at a time; keeps the current one for the rejects file.
/// It can be moved to another thread, so that reading overlaps with saving.
pub struct LeadReader<'a> {
    input: Input<'a>,
    options: ReadOptions,
    read_bytes: Arc<AtomicU64>,
}

/// A record as it was in the input, for the rejects file.
#[derive(Debug, Clone)]
pub enum Original {
    Cells(Vec<Vec<u8>>),
    Json(Value),
}

enum Input<'a> {
    Csv {
        reader: csv::Reader<Tail<Box<dyn Read + Send + 'a>>>,
        tail: Arc<TailState>,
        headers: Vec<String>,
        mapping: Mapping,
        record: csv::ByteRecord,
    },
    Ndjson {
        lines: Box<dyn BufRead + Send + 'a>,
        buffer: Vec<u8>,
        line: u64,
        current: Value,
        targets: HashMap<String, Target>,
    },
    Json {
        records: std::vec::IntoIter<Value>,
        index: u64,
        current: Value,
        targets: HashMap<String, Target>,
    },
}

impl<'a> LeadReader<'a> {
    /// Start reading: for CSV, this reads and maps the header row.
    /// Without a `shape`, the input tells: JSON when it starts with `[` (an array) or
    /// `{` (one object per line), CSV otherwise.
    pub fn new(
        input: impl Read + Send + 'a,
        shape: Option<InputShape>,
        options: ReadOptions,
    ) -> Result<Self> {
        let read_bytes = Arc::new(AtomicU64::new(0));
        let counted = Counted {
            input,
            count: Arc::clone(&read_bytes),
        };
        let mut text = BufReader::with_capacity(
            64 * 1024,
            utf8_reader(counted, options.encoding).map_err(unreadable)?,
        );
        let head = text.fill_buf().map_err(unreadable)?;
        let shape = shape.unwrap_or_else(|| sniff_shape(head));
        let delimiter = sniff_delimiter(head);
        let text: Box<dyn Read + Send + 'a> = Box::new(text);
        let input = match shape {
            InputShape::Csv => {
                let tail = Arc::new(TailState::default());
                // Only `\n` ends a record (a `\r` before it is taken off the last cell): the
                // csv crate's own CRLF handling and its skipping of blank lines would make
                // its line numbers wrong, and a rejected row must be found by its line.
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .has_headers(false)
                    .flexible(true)
                    .terminator(csv::Terminator::Any(b'\n'))
                    .buffer_capacity(64 * 1024)
                    .from_reader(Tail {
                        input: text,
                        state: Arc::clone(&tail),
                    });
                let mut record = csv::ByteRecord::new();
                if !reader.read_byte_record(&mut record).map_err(csv_failure)? {
                    return Err(bad_input("the file is empty: expected a header row"));
                }
                let headers = cells(&record)
                    .map(|cell| {
                        std::str::from_utf8(cell)
                            .map(|h| h.trim().to_string())
                            .map_err(|_| not_utf8(1, options.encoding))
                    })
                    .collect::<Result<Vec<_>>>()?;
                check_overrides(&headers, &options.overrides).map_err(bad_input)?;
                let mapping = map_headers(&headers, &options.overrides);
                Input::Csv {
                    reader,
                    tail,
                    headers,
                    mapping,
                    record,
                }
            }
            InputShape::Ndjson => Input::Ndjson {
                lines: Box::new(BufReader::with_capacity(64 * 1024, text)),
                buffer: Vec::new(),
                line: 0,
                current: Value::Null,
                targets: HashMap::new(),
            },
            InputShape::Json => {
                let value: Value = serde_json::from_reader(BufReader::new(text))
                    .map_err(|err| bad_input(format!("the input is not valid JSON: {err}")))?;
                let Value::Array(records) = value else {
                    return Err(bad_input(
                        "expected a JSON array of leads (use --from ndjson for one object per line)",
                    ));
                };
                Input::Json {
                    records: records.into_iter(),
                    index: 0,
                    current: Value::Null,
                    targets: HashMap::new(),
                }
            }
        };
        Ok(LeadReader {
            input,
            options,
            read_bytes,
        })
    }

    /// A counter of the bytes of input read so far (for a progress bar), which can be
    /// read from another thread.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.read_bytes)
    }

    /// The next record, or None at the end. Fails on what makes the whole file unusable
    /// (bytes that are not text in the encoding, an unreadable file).
    pub fn next_record(&mut self) -> Result<Option<Record>> {
        let date_format = self.options.date_format.as_deref();
        match &mut self.input {
            Input::Csv {
                reader,
                tail,
                headers,
                mapping,
                record,
            } => {
                if !reader.read_byte_record(record).map_err(csv_failure)? {
                    return Ok(None);
                }
                let line = start_line(reader.position(), record, tail);
                let mut cells_text = Vec::with_capacity(record.len());
                for cell in cells(record) {
                    cells_text.push(
                        std::str::from_utf8(cell)
                            .map_err(|_| not_utf8(line, self.options.encoding))?,
                    );
                }
                let cells = cells_text;
                if cells.len() != headers.len() {
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        return Ok(Some(Record {
                            line,
                            lead: Ok(None),
                        }));
                    }
                    return Ok(Some(Record {
                        line,
                        lead: Err(format!(
                            "{} cells where the header has {} (a missing quote or an unquoted comma?)",
                            cells.len(),
                            headers.len()
                        )),
                    }));
                }
                let options = RowOptions {
                    date_format,
                    leads_export: mapping.leads_export,
                };
                let lead = lead_from_cells(
                    mapping
                        .targets
                        .iter()
                        .zip(headers.iter())
                        .zip(cells)
                        .map(|((target, header), value)| (target, header.as_str(), value)),
                    options,
                );
                Ok(Some(Record { line, lead }))
            }
            Input::Ndjson {
                lines,
                buffer,
                line,
                current,
                targets,
            } => loop {
                buffer.clear();
                if lines.read_until(b'\n', buffer).map_err(unreadable)? == 0 {
                    return Ok(None);
                }
                *line += 1;
                let text = std::str::from_utf8(buffer)
                    .map_err(|_| not_utf8(*line, self.options.encoding))?;
                if text.trim().is_empty() {
                    continue;
                }
                let lead = match serde_json::from_str::<Value>(text) {
                    Ok(value) => {
                        *current = value;
                        not_empty(json_lead(
                            current,
                            targets,
                            &self.options.overrides,
                            date_format,
                        ))
                    }
                    Err(err) => {
                        *current = Value::String(text.trim_end().to_string());
                        Err(format!("not valid JSON: {err}"))
                    }
                };
                return Ok(Some(Record { line: *line, lead }));
            },
            Input::Json {
                records,
                index,
                current,
                targets,
            } => {
                let Some(value) = records.next() else {
                    return Ok(None);
                };
                *index += 1;
                *current = value;
                let lead = not_empty(json_lead(
                    current,
                    targets,
                    &self.options.overrides,
                    date_format,
                ));
                Ok(Some(Record { line: *index, lead }))
            }
        }
    }

    /// What the summary calls a record's position: "line 7" or "record 7".
    pub fn position_word(&self) -> &'static str {
        match self.input {
            Input::Json { .. } => "record",
            _ => "line",
        }
    }

    /// Create the rejects file, in the input's shape.
    pub fn rejects_file(&self, out: OutputFile) -> Result<Rejects> {
        match &self.input {
            Input::Csv { headers, .. } => {
                // Ragged rows are rejects too, and go back as they came.
                let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(out);
                let mut header = headers.clone();
                header.push("error".into());
                writer.write_record(&header)?;
                Ok(Rejects::Csv(Box::new(writer)))
            }
            Input::Ndjson { .. } => Ok(Rejects::Ndjson(out)),
            Input::Json { .. } => Ok(Rejects::Json(out, 0)),
        }
    }

    /// The current record as it was in the input (for the rejects file).
    pub fn original(&self) -> Original {
        match &self.input {
            Input::Csv { record, .. } => {
                Original::Cells(cells(record).map(<[u8]>::to_vec).collect())
            }
            Input::Ndjson { current, .. } | Input::Json { current, .. } => {
                Original::Json(current.clone())
            }
        }
    }
}

/// The rejects file being written.
pub enum Rejects {
    Csv(Box<csv::Writer<OutputFile>>),
    Ndjson(OutputFile),
    Json(OutputFile, usize),
}

impl Rejects {
    /// Write a rejected record with its error.
    pub fn write(&mut self, original: &Original, error: &str) -> Result<()> {
        match (self, original) {
            (Rejects::Csv(writer), Original::Cells(cells)) => {
                // The rejects file is meant to be fixed in a spreadsheet: a cell such as
                // `=cmd` must not run there. Import takes the `'` off again.
                for cell in cells {
                    match std::str::from_utf8(cell) {
                        Ok(text) => writer.write_field(neutralize(text).as_bytes())?,
                        Err(_) => writer.write_field(cell)?,
                    }
                }
                writer.write_field(error)?;
                writer.write_record(None::<&[u8]>)?;
            }
            (Rejects::Ndjson(out), Original::Json(record)) => {
                serde_json::to_writer(&mut *out, &with_error(record, error))?;
                out.write_all(b"\n")?;
            }
            (Rejects::Json(out, count), Original::Json(record)) => {
                out.write_all(if *count == 0 { b"[\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut *out, &with_error(record, error))?;
                *count += 1;
            }
            _ => {}
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        match self {
            Rejects::Csv(writer) => writer
                .into_inner()
                .map_err(|err| err.into_error())?
                .commit()?,
            Rejects::Ndjson(out) => out.commit()?,
            Rejects::Json(mut out, count) => {
                out.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })?;
                out.commit()?;
            }
        }
        Ok(())
    }
}

fn with_error(record: &Value, error: &str) -> Value {
    let mut object = match record {
        Value::Object(object) => object.clone(),
        other => {
            let mut object = Map::new();
            object.insert("record".into(), other.clone());
            object
        }
    };
    object.insert("error".into(), Value::String(error.to_string()));
    Value::Object(object)
}

/// A JSON object -> a lead, its keys mapped like CSV headers.
fn json_lead(
    value: &Value,
    targets: &mut HashMap<String, Target>,
    overrides: &[Override],
    date_format: Option<&str>,
) -> Result<Option<Converted>, String> {
    let Value::Object(object) = value else {
        return Err("not a JSON object".into());
    };
    let keys: Vec<String> = object.keys().cloned().collect();
    let mapping = map_headers(&keys, overrides);
    for (key, target) in keys.iter().zip(mapping.targets) {
        targets.entry(key.clone()).or_insert(target);
    }
    let cells: Vec<(&Target, &str, String)> = object
        .iter()
        .filter_map(|(key, value)| Some((targets.get(key)?, key.as_str(), json_text(value))))
        .collect();
    lead_from_cells(
        cells.iter().map(|(t, k, v)| (*t, *k, v.as_str())),
        RowOptions {
            date_format,
            leads_export: mapping.leads_export,
        },
    )
}

/// A JSON value as the text a CSV cell would hold: arrays (tags) joined with `;`.
fn json_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(json_text).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

fn not_utf8(line: u64, encoding: Option<&'static encoding_rs::Encoding>) -> anyhow::Error {
    let hint = match encoding {
        Some(encoding) if is_utf16(encoding) => "",
        _ => "; if the file comes from an older tool, give its encoding, e.g. --encoding windows-1252",
    };
    bad_input(format!(
        "line {line} is not valid UTF-8, nothing was imported{hint}"
    ))
}

fn unreadable(err: io::Error) -> anyhow::Error {
    Failure::InputMissing(format!("cannot read the input: {err}")).into()
}

fn csv_failure(err: csv::Error) -> anyhow::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => unreadable(err),
        other => bad_input(format!("cannot read the CSV: {other:?}")),
    }
}

/// A record's cells, without the `\r` of a CRLF line end.
fn cells(record: &csv::ByteRecord) -> impl Iterator<Item = &[u8]> {
    let last = record.len().saturating_sub(1);
    record.iter().enumerate().map(move |(index, cell)| {
        if index == last {
            cell.strip_suffix(b"\r").unwrap_or(cell)
        } else {
            cell
        }
    })
}

/// The line a record starts on. The reader's position after it is the line after its
/// end (blank lines skipped before it included); step back over its own line breaks
/// (inside quoted cells) and its terminating `\n`, which is missing only for a last
/// record at the very end of a file that does not end with a line break.
fn start_line(after: &csv::Position, record: &csv::ByteRecord, tail: &TailState) -> u64 {
    let inside = record
        .as_slice()
        .iter()
        .filter(|byte| **byte == b'\n')
        .count() as u64;
    let unterminated = tail.ended.load(Ordering::Relaxed)
        && !tail.last_was_newline.load(Ordering::Relaxed)
        && after.byte() == tail.bytes.load(Ordering::Relaxed);
    let terminator = if unterminated { 0 } else { 1 };
    after.line().saturating_sub(inside + terminator).max(1)
}

/// What `Tail` saw of the text it passed on.
#[derive(Default)]
struct TailState {
    bytes: AtomicU64,
    last_was_newline: AtomicBool,
    ended: AtomicBool,
}

/// A JSON record with no value at all is an input error, reported like any other: unlike
/// a blank CSV line, `{}` in a list of leads is something that was meant to be a lead.
fn not_empty(lead: Result<Option<Converted>, String>) -> Result<Option<Converted>, String> {
    match lead {
        Ok(None) => Err("empty record: no field has a value".into()),
        other => other,
    }
}

/// JSON when the first visible character opens an array or an object; CSV otherwise
/// (a CSV header never starts with either).
fn sniff_shape(head: &[u8]) -> InputShape {
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => InputShape::Json,
        Some(b'{') => InputShape::Ndjson,
        _ => InputShape::Csv,
    }
}

/// The CSV delimiter, from the header line: a comma, unless the header has none and
/// has semicolons (Excel's CSV where the decimal mark is a comma) or tabs.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
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

/// Watches the end of the text the CSV reader reads (see `start_line`).
struct Tail<R> {
    input: R,
    state: Arc<TailState>,
}

impl<R: Read> Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.input.read(buf)?;
        let state = &self.state;
        match buf[..read].last() {
            Some(byte) => {
                state.bytes.fetch_add(read as u64, Ordering::Relaxed);
                state
                    .last_was_newline
                    .store(*byte == b'\n', Ordering::Relaxed);
            }
            None => state.ended.store(true, Ordering::Relaxed),
        }
        Ok(read)
    }
}

/// Counts the bytes read through it.
struct Counted<R> {
    input: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.input.read(buf)?;
        self.count.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Records = Vec<(u64, Result<Option<Converted>, String>)>;

    #[test]
    fn the_input_tells_its_shape_and_delimiter() {
        assert_eq!(
            sniff_shape(b"  [{\"email\": \"a@b.co\"}]"),
            InputShape::Json
        );
        assert_eq!(
            sniff_shape(b"{\"email\": \"a@b.co\"}\n"),
            InputShape::Ndjson
        );
        assert_eq!(sniff_shape(b"Email,Name\n"), InputShape::Csv);
        assert_eq!(sniff_delimiter(b"Email,Name;Other\nx"), b',');
        assert_eq!(sniff_delimiter(b"Email;Name\na,b;c"), b';');
        assert_eq!(sniff_delimiter(b"Email\tName\n"), b'\t');
        assert_eq!(sniff_delimiter(b"Email\n"), b',');
        let records = read_all_sniffed(b"First Name;Email\nAda;ada@example.com\n").unwrap();
        let lead = records[0].1.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(lead.lead.email.as_deref(), Some("ada@example.com"));
        assert_eq!(lead.lead.first_name.as_deref(), Some("Ada"));
    }

    fn read_all_sniffed(bytes: &[u8]) -> Result<Records> {
        let mut reader = LeadReader::new(bytes, None, ReadOptions::default())?;
        let mut records = Vec::new();
        while let Some(record) = reader.next_record()? {
            records.push((record.line, record.lead));
        }
        Ok(records)
    }

    fn read_all(bytes: &[u8], shape: InputShape) -> Result<Records> {
        let mut reader = LeadReader::new(bytes, Some(shape), ReadOptions::default())?;
        let mut records = Vec::new();
        while let Some(record) = reader.next_record()? {
            records.push((record.line, record.lead));
        }
        Ok(records)
    }

    fn emails(records: &[(u64, Result<Option<Converted>, String>)]) -> Vec<(u64, String)> {
        records
            .iter()
            .map(|(line, lead)| {
                let text = match lead {
                    Ok(Some(c)) => c.lead.email.clone().unwrap_or_default(),
                    Ok(None) => "(empty)".into(),
                    Err(err) => format!("error: {err}"),
                };
                (*line, text)
            })
            .collect()
    }

    #[test]
    fn csv_lines_are_counted_across_quoted_newlines_and_crlf() {
        let csv = b"Name,Email,Notes\r\nAda,ada@example.com,\"two\r\nlines\"\r\n,,\r\nBo,bo@example.com,\r\n";
        let records = read_all(csv, InputShape::Csv).unwrap();
        assert_eq!(
            emails(&records),
            vec![
                (2, "ada@example.com".to_string()),
                (4, "(empty)".to_string()),
                (5, "bo@example.com".to_string())
            ]
        );
        let Ok(Some(ada)) = &records[0].1 else {
            panic!()
        };
        assert_eq!(ada.lead.notes.as_deref(), Some("two\r\nlines"));

        let blank_lines = b"Email,Notes\n\n\na@example.com,\"x\ny\"\n\nb@example.com,z";
        let records = read_all(blank_lines, InputShape::Csv).unwrap();
        assert_eq!(
            emails(&records),
            vec![
                (4, "a@example.com".to_string()),
                (7, "b@example.com".to_string())
            ]
        );
    }

    #[test]
    fn ragged_rows_are_rejected() {
        let records = read_all(
            b"Name,Email\nAda,ada@example.com,extra\nBo\n",
            InputShape::Csv,
        )
        .unwrap();
        let got = emails(&records);
        assert!(
            got[0]
                .1
                .starts_with("error: 3 cells where the header has 2"),
            "{got:?}"
        );
        assert!(got[1].1.starts_with("error: 1 cells"), "{got:?}");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = read_all(b"Name\nAda\nJos\xE9\n", InputShape::Csv).unwrap_err();
        assert!(
            err.to_string().starts_with("line 3 is not valid UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn ndjson_and_json_records() {
        let ndjson = b"{\"email\":\"a@example.com\",\"tags\":[\"x\",\"y\"]}\n\nnot json\n[1]\n";
        let records = read_all(ndjson, InputShape::Ndjson).unwrap();
        let got = emails(&records);
        assert_eq!(got[0], (1, "a@example.com".to_string()));
        assert!(got[1].1.starts_with("error: not valid JSON"), "{got:?}");
        assert_eq!(got[1].0, 3);
        assert_eq!(got[2], (4, "error: not a JSON object".to_string()));
        let Ok(Some(first)) = &records[0].1 else {
            panic!()
        };
        assert_eq!(first.lead.tags, vec!["x", "y"]);

        let json = b"[{\"name\":\"Ada Lovelace\"},{\"email\":\"bad\"}]";
        let got = emails(&read_all(json, InputShape::Json).unwrap());
        assert_eq!(got[0], (1, String::new()));
        assert!(got[1].1.starts_with("error: invalid email"), "{got:?}");
        assert!(read_all(b"{}", InputShape::Json).is_err());
    }

    #[test]
    fn random_bytes_never_panic() {
        // A seeded xorshift: thousands of byte soups, some made of CSV's own punctuation.
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = b",\"\r\n;'=+-@ aZ\xC3\xA9\xFF\x00{}[]:";
        for case in 0..5_000 {
            let len = (next() % 200) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let n = next();
                    if case % 2 == 0 {
                        alphabet[(n % alphabet.len() as u64) as usize]
                    } else {
                        (n >> 11) as u8
                    }
                })
                .collect();
            for shape in [InputShape::Csv, InputShape::Ndjson, InputShape::Json] {
                let _ = read_all(&bytes, shape);
            }
            let with_header = [
                b"Name,Email,Title,Created Date,Lead Status\n".as_slice(),
                &bytes,
            ]
            .concat();
            let _ = read_all(&with_header, InputShape::Csv);
        }
    }
}
