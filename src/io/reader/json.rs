//! JSON input: one array of objects, or one object per line (NDJSON); both streamed, one
//! record at a time. Keys are mapped like CSV headers. Values are kept as typed: a number
//! is its digits as written (a 23-digit id stays those digits, `1e2` stays `1e2`), and of
//! keys given twice the first fills the field and the others go to attributes.
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::BufRead;

use anyhow::Result;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use super::{not_utf8, unreadable, ReadOptions, Record};
use crate::dates::imported::Order;
use crate::error::bad_input;
use crate::io::bounded::{self, TooLong, MAX_RECORD_BYTES};
use crate::io::cells::{join_tags, neutralize};
use crate::io::leads_in::{lead_from_cells, Converted, RowOptions};
use crate::io::mapping::{map_headers, Target};

pub(super) struct NdjsonInput<'a> {
    pub lines: Box<dyn BufRead + Send + 'a>,
    pub buffer: Vec<u8>,
    pub line: u64,
    pub current: Value,
    pub targets: HashMap<String, Target>,
}

pub(super) struct JsonInput<'a> {
    pub records: JsonArray<'a>,
    pub index: u64,
    pub current: Value,
    pub targets: HashMap<String, Target>,
}

impl NdjsonInput<'_> {
    pub fn next(&mut self, options: &ReadOptions) -> Result<Option<Record>> {
        loop {
            self.buffer.clear();
            if bounded::read_line(&mut self.lines, &mut self.buffer, self.line + 1)
                .map_err(unreadable)?
                == 0
            {
                return Ok(None);
            }
            self.line += 1;
            let text = std::str::from_utf8(&self.buffer)
                .map_err(|_| not_utf8(self.line, options.encoding))?;
            if text.trim().is_empty() {
                continue;
            }
            let lead = match serde_json::from_str::<Value>(text) {
                Ok(value) => {
                    self.current = value;
                    json_lead(text, &self.current, &mut self.targets, options)
                }
                Err(err) => {
                    self.current = Value::String(text.trim_end().to_string());
                    Err(format!("not valid JSON: {err}"))
                }
            };
            return Ok(Some(Record {
                line: self.line,
                lead,
            }));
        }
    }
}

impl JsonInput<'_> {
    pub fn next(&mut self, options: &ReadOptions) -> Result<Option<Record>> {
        let Some(raw) = self.records.next_element()? else {
            return Ok(None);
        };
        self.index += 1;
        let lead = match serde_json::from_str::<Value>(&raw) {
            Ok(value) => {
                self.current = value;
                json_lead(&raw, &self.current, &mut self.targets, options)
            }
            Err(err) => Err(format!("not valid JSON: {err}")),
        };
        Ok(Some(Record {
            line: self.index,
            lead,
        }))
    }
}

/// The elements of one JSON array, read one at a time: memory holds one element, never
/// the array. Each element's bytes are found by a scan that knows strings, escapes and
/// nesting (a `,` or `]` at depth 0 ends it), then parsed as JSON alone. An element (with
/// the blank before it) longer than `MAX_RECORD_BYTES` stops the import naming the line
/// where it began; text that is not one JSON array stops it too, as a whole file did.
pub(super) struct JsonArray<'a> {
    input: Box<dyn BufRead + Send + 'a>,
    /// The line of the next byte to read.
    line: u64,
    place: Place,
    element: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before the `[`.
    Start,
    /// After the `[`: an element or the `]` of an empty array comes next.
    First,
    /// After a `,`: an element must come next.
    AfterComma,
    /// After the `]`: only blanks may follow.
    End,
}

/// How an element ended.
enum Ended {
    Comma,
    Bracket,
    Input,
}

impl<'a> JsonArray<'a> {
    pub fn new(input: Box<dyn BufRead + Send + 'a>) -> Self {
        JsonArray {
            input,
            line: 1,
            place: Place::Start,
            element: Vec::new(),
        }
    }

    /// The next element of the array, or None after its `]`.
    /// The next element's text (checked to be JSON), kept as written so its numbers and
    /// repeated keys reach the lead as typed.
    pub fn next_element(&mut self) -> Result<Option<String>> {
        if self.place == Place::End {
            return Ok(None);
        }
        let mut budget = MAX_RECORD_BYTES;
        if self.place == Place::Start {
            match self.skip_blanks(&mut budget)? {
                Some(b'[') => self.take(1),
                _ => return Err(bad_input(
                    "expected a JSON array of leads (use --from ndjson for one object per line)",
                )),
            }
            self.place = Place::First;
        }
        let first = self.skip_blanks(&mut budget)?;
        if first == Some(b']') && self.place == Place::First {
            self.take(1);
            return self.finish().map(|()| None);
        }
        let began = self.line;
        if first.is_none() || matches!(first, Some(b',' | b']')) {
            return Err(self.invalid("a value was expected", began));
        }
        self.element.clear();
        match self.scan_element(budget, began)? {
            Ended::Comma => self.place = Place::AfterComma,
            Ended::Bracket => self.finish()?,
            Ended::Input => {
                return Err(self.invalid("the input ends before the array's closing ]", began))
            }
        }
        serde_json::from_slice::<serde::de::IgnoredAny>(&self.element).map_err(|err| {
            // serde counts lines from the element's first byte.
            let line = began + (err.line() as u64).saturating_sub(1);
            let what = err.to_string();
            let what = what
                .rfind(" at line ")
                .map_or(&what[..], |end| &what[..end]);
            self.invalid(what, line)
        })?;
        let text = String::from_utf8_lossy(&self.element).into_owned();
        // The buffer of a rare huge element is not kept for the rest of the file.
        if self.element.capacity() > 1 << 20 {
            self.element = Vec::new();
        }
        Ok(Some(text))
    }

    /// Copy the element's bytes up to the `,` or `]` that ends it (at depth 0, outside a
    /// string), which is consumed.
    fn scan_element(&mut self, budget: u64, began: u64) -> Result<Ended> {
        let (mut depth, mut in_string, mut escaped) = (0u64, false, false);
        loop {
            let chunk = self.input.fill_buf().map_err(unreadable)?;
            if chunk.is_empty() {
                return Ok(Ended::Input);
            }
            let mut ended = None;
            let mut used = chunk.len();
            for (i, &byte) in chunk.iter().enumerate() {
                if byte == b'\n' {
                    self.line += 1;
                }
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if byte == b'\\' {
                        escaped = true;
                    } else if byte == b'"' {
                        in_string = false;
                    }
                    continue;
                }
                match byte {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b']' => ended = Some(Ended::Bracket),
                    b',' if depth == 0 => ended = Some(Ended::Comma),
                    _ => {}
                }
                if ended.is_some() {
                    used = i;
                    break;
                }
            }
            let total = self.element.len() as u64 + used as u64;
            if total > budget {
                return Err(unreadable(TooLong { line: began }.into_io()));
            }
            self.element.extend_from_slice(&chunk[..used]);
            match ended {
                Some(ended) => {
                    self.take(used + 1);
                    return Ok(ended);
                }
                None => self.take(used),
            }
        }
    }

    /// Skip blanks, counting lines and spending `budget`; the next byte, not consumed
    /// (None at the end of the input).
    fn skip_blanks(&mut self, budget: &mut u64) -> Result<Option<u8>> {
        loop {
            let chunk = self.input.fill_buf().map_err(unreadable)?;
            if chunk.is_empty() {
                return Ok(None);
            }
            let blanks = chunk
                .iter()
                .take_while(|byte| byte.is_ascii_whitespace())
                .count();
            let lines = chunk[..blanks].iter().filter(|&&b| b == b'\n').count();
            let next = chunk.get(blanks).copied();
            if blanks as u64 > *budget {
                return Err(unreadable(TooLong { line: self.line }.into_io()));
            }
            *budget -= blanks as u64;
            self.line += lines as u64;
            self.take(blanks);
            if next.is_some() {
                return Ok(next);
            }
        }
    }

    /// After the `]`: the rest must be blank.
    fn finish(&mut self) -> Result<()> {
        self.place = Place::End;
        let mut budget = MAX_RECORD_BYTES;
        let line = self.line;
        match self.skip_blanks(&mut budget)? {
            None => Ok(()),
            Some(_) => {
                Err(self.invalid("more text after the array's closing ]", line.max(self.line)))
            }
        }
    }

    fn take(&mut self, bytes: usize) {
        self.input.consume(bytes);
    }

    fn invalid(&self, what: &str, line: u64) -> anyhow::Error {
        bad_input(format!(
            "the input is not valid JSON: {what} at line {line}; nothing was imported"
        ))
    }
}

/// A JSON object (its text, and parsed) -> a lead, its keys mapped like CSV headers.
fn json_lead(
    text: &str,
    value: &Value,
    targets: &mut HashMap<String, Target>,
    options: &ReadOptions,
) -> Result<Option<Converted>, String> {
    if !value.is_object() {
        return Err("not a JSON object".into());
    }
    // Read again as written: every key in its order (twice if given twice), numbers as
    // their text.
    let Fields(fields) =
        serde_json::from_str::<Fields>(text).map_err(|err| format!("not valid JSON: {err}"))?;
    let keys: Vec<String> = fields.iter().map(|(key, _)| key.clone()).collect();
    let mapping = map_headers(&keys, &options.overrides);
    let ours = mapping.leads_export;
    let mut cells: Vec<(Target, String, String)> = Vec::with_capacity(fields.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(fields.len());
    for ((key, raw), (target, unique)) in fields
        .iter()
        .zip(mapping.targets.into_iter().zip(mapping.keys))
    {
        let target = targets.entry(key.clone()).or_insert(target).clone();
        // A key given again: its value is kept, never the field's.
        let target = if seen.insert(key.as_str()) {
            target
        } else {
            Target::Attribute
        };
        cells.push((target, unique, raw_text(raw, ours)));
    }
    let lead = lead_from_cells(
        cells
            .iter()
            .map(|(t, k, v)| (t, k.as_str(), v.as_str(), Order::Unknown)),
        RowOptions {
            date_format: options.date_format.as_deref(),
            leads_export: mapping.leads_export,
            strict: options.strict,
            currency: options.currency.as_deref(),
        },
    );
    // Our own export's anonymous row of a forgotten lead is nothing to import, not an error.
    if ours {
        lead
    } else {
        not_empty(lead)
    }
}

/// A JSON value as the text a CSV cell would hold: arrays (tags) joined with `;`. In our
/// own export (`ours`), as our own CSV export writes it: a string is a string (`"Null"`
/// is the name Null, `"'x"` keeps its apostrophe), and tags are escaped as `join_tags` does.
fn json_text(value: &Value, ours: bool) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) if ours => neutralize(text).into_owned(),
        Value::String(text) => text.clone(),
        Value::Array(items) if ours => {
            let tags: Vec<String> = items.iter().map(|item| json_text(item, false)).collect();
            neutralize(&join_tags(&tags)).into_owned()
        }
        Value::Array(items) => items
            .iter()
            .map(|item| json_text(item, false))
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
    }
}

/// A JSON value's text as a cell holds it: a number as written, a string unquoted, the
/// rest as `json_text` gives it.
fn raw_text(raw: &RawValue, ours: bool) -> String {
    let text = raw.get().trim();
    if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return text.to_string();
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => json_text(&value, ours),
        Err(_) => text.to_string(),
    }
}

/// An object's entries in their order, a key given twice kept twice, each value as its
/// raw text.
struct Fields(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    entries.push(entry);
                }
                Ok(Fields(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

/// A JSON record with no value at all is an input error, reported like any other: unlike
/// a blank CSV line, `{}` in a list of leads is something that was meant to be a lead.
pub(super) fn not_empty(
    lead: Result<Option<Converted>, String>,
) -> Result<Option<Converted>, String> {
    match lead {
        Ok(None) => Err("empty record: no field has a value".into()),
        other => other,
    }
}
