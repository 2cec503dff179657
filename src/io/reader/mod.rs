//! Reading lead lists: CSV (any encoding), JSON arrays and NDJSON, vCard, one record at a
//! time, each turned into a lead by `leads_in`. One module per format (`csv`, `json`;
//! vCard in `io::vcard`), and `rejects`, which gives the rejected records back in their
//! own shape with an `error` added.
mod csv;
mod json;
mod rejects;

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Result;
use serde_json::Value;

use self::csv::{cells, CsvInput};
use self::json::{not_empty, JsonArray, JsonInput, NdjsonInput};
pub use self::rejects::Rejects;
use super::bounded::TooLong;
use super::encoding::utf8_reader;
use super::leads_in::{lead_from_cells, Converted, RowOptions};
use super::mapping::Override;
use super::output_file::OutputFile;
use super::vcard::{looks_like_vcard, CardReader};
use crate::dates::imported::Order;
use crate::error::{bad_input, Failure};

/// The shape of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputShape {
    Csv,
    /// One JSON array of objects (streamed, one element at a time).
    Json,
    /// One JSON object per line (streamed).
    Ndjson,
    /// vCard 3.0 / 4.0 cards.
    Vcard,
}

/// How to read the input.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub overrides: Vec<Override>,
    pub date_format: Option<String>,
    /// `--strict`: dates that cannot be read reject their row.
    pub strict: bool,
    /// `leads config currency`: how a deal value such as `18.000` reads.
    pub currency: Option<String>,
}

/// One record of the input, read.
#[derive(Debug)]
pub struct Record {
    /// Where it starts: the line of a CSV, NDJSON or vCard file, the position in a JSON array.
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
    Csv(Box<CsvInput<'a>>),
    Ndjson(NdjsonInput<'a>),
    Json(JsonInput<'a>),
    Vcard(CardReader<Box<dyn BufRead + Send + 'a>>, Value),
}

impl<'a> LeadReader<'a> {
    /// Start reading: for CSV, this finds, reads and maps the header row.
    /// Without a `shape`, the input tells: JSON when it starts with `[` (an array) or
    /// `{` (one object per line), vCard when it starts with `BEGIN:VCARD`, CSV otherwise.
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
        let head = text.fill_buf().map_err(unreadable)?.to_vec();
        let shape = shape.unwrap_or_else(|| sniff_shape(&head));
        let input = match shape {
            InputShape::Csv => {
                Input::Csv(Box::new(CsvInput::new(Box::new(text), &head, &options)?))
            }
            InputShape::Ndjson => Input::Ndjson(NdjsonInput {
                lines: Box::new(text),
                buffer: Vec::new(),
                line: 0,
                current: Value::Null,
                targets: HashMap::new(),
            }),
            InputShape::Json => Input::Json(JsonInput {
                records: JsonArray::new(Box::new(text)),
                index: 0,
                current: Value::Null,
                targets: HashMap::new(),
            }),
            InputShape::Vcard => Input::Vcard(CardReader::new(Box::new(text)), Value::Null),
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

    /// How the columns map (CSV only): (header, field or "attributes" or "dropped", why).
    pub fn column_mapping(&self) -> Vec<(String, &'static str, String)> {
        match &self.input {
            Input::Csv(csv) => csv.mapping.describe(&csv.headers),
            _ => Vec::new(),
        }
    }

    /// What to say once about the file's columns (CSV only): a status column whose values
    /// are not lead statuses.
    pub fn column_warnings(&self) -> &[String] {
        match &self.input {
            Input::Csv(csv) => &csv.mapping.warnings,
            _ => &[],
        }
    }

    /// The next record, or None at the end. Fails on what makes the whole file unusable
    /// (bytes that are not text in the encoding, an unreadable file).
    pub fn next_record(&mut self) -> Result<Option<Record>> {
        match &mut self.input {
            Input::Csv(csv) => csv.next(&self.options),
            Input::Ndjson(ndjson) => ndjson.next(&self.options),
            Input::Json(json) => json.next(&self.options),
            Input::Vcard(cards, current) => {
                let Some(card) = cards.next_card().map_err(unreadable)? else {
                    return Ok(None);
                };
                let (line, card, ended) =
                    card.map_err(|line| not_utf8(line, self.options.encoding))?;
                *current = Value::Object(
                    card.iter()
                        .map(|(_, key, value)| (key.clone(), Value::String(value.clone())))
                        .collect(),
                );
                if !ended {
                    return Ok(Some(Record {
                        line,
                        lead: Err(format!(
                            "the card that starts on line {line} has no END:VCARD: the file \
                             was cut short there; this card was not imported"
                        )),
                    }));
                }
                let lead = not_empty(lead_from_cells(
                    card.iter().map(|(target, key, value)| {
                        (target, key.as_str(), value.as_str(), Order::Unknown)
                    }),
                    RowOptions {
                        date_format: self.options.date_format.as_deref(),
                        leads_export: cards.ours(),
                        strict: self.options.strict,
                        currency: self.options.currency.as_deref(),
                    },
                ));
                Ok(Some(Record { line, lead }))
            }
        }
    }

    /// What the summary calls a record's position: "line 7" or "record 7".
    pub fn position_word(&self) -> &'static str {
        match self.input {
            Input::Json(_) => "record",
            _ => "line",
        }
    }

    /// Create the rejects file, in the input's shape (a vCard's rejects are NDJSON).
    pub fn rejects_file(&self, out: OutputFile) -> Result<Rejects> {
        match &self.input {
            Input::Csv(csv) => Rejects::csv(out, &csv.headers),
            Input::Ndjson(_) | Input::Vcard(..) => Ok(Rejects::Ndjson(out)),
            Input::Json(_) => Ok(Rejects::Json(out, 0)),
        }
    }

    /// The current record as it was in the input (for the rejects file).
    pub fn original(&self) -> Original {
        match &self.input {
            Input::Csv(csv) => Original::Cells(cells(&csv.record).map(<[u8]>::to_vec).collect()),
            Input::Ndjson(NdjsonInput { current, .. })
            | Input::Json(JsonInput { current, .. })
            | Input::Vcard(_, current) => Original::Json(current.clone()),
        }
    }
}

pub(crate) fn not_utf8(
    line: u64,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> anyhow::Error {
    // With an encoding given, the hint would only repeat what was tried.
    let hint = match encoding {
        Some(_) => "",
        None => "; if the file comes from an older tool, give its encoding, e.g. --encoding windows-1252",
    };
    bad_input(format!(
        "line {line} is not valid UTF-8, nothing was imported{hint}"
    ))
}

pub(crate) fn unreadable(err: io::Error) -> anyhow::Error {
    // A record past the limit is the input's fault, not the disk's.
    if let Some(too_long) = TooLong::inside(&err) {
        return bad_input(too_long.to_string());
    }
    Failure::InputMissing(format!("cannot read the input: {err}")).into()
}

/// JSON when the first visible character opens an array or an object; vCard when the
/// text starts with `BEGIN:VCARD`; CSV otherwise (a CSV header never starts with either).
fn sniff_shape(head: &[u8]) -> InputShape {
    if looks_like_vcard(head) {
        return InputShape::Vcard;
    }
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => InputShape::Json,
        Some(b'{') => InputShape::Ndjson,
        _ => InputShape::Csv,
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
mod tests;

#[cfg(test)]
mod properties;
