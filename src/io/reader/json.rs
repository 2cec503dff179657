//! JSON input: one array of objects (read whole), or one object per line (NDJSON,
//! streamed). Keys are mapped like CSV headers. Values are kept as typed: a number is its
//! digits as written (a 23-digit id stays those digits, `1e2` stays `1e2`), and of keys
//! given twice the first fills the field and the others go to attributes.
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::BufRead;

use anyhow::Result;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use super::{not_utf8, unreadable, ReadOptions, Record};
use crate::io::bounded;
use crate::io::dates_in::Order;
use crate::io::leads_in::{lead_from_cells, Converted, RowOptions};
use crate::io::leads_out::{join_tags, neutralize};
use crate::io::mapping::{map_headers, Target};

pub(super) struct NdjsonInput<'a> {
    pub lines: Box<dyn BufRead + Send + 'a>,
    pub buffer: Vec<u8>,
    pub line: u64,
    pub current: Value,
    pub targets: HashMap<String, Target>,
}

pub(super) struct JsonInput {
    pub records: std::vec::IntoIter<Box<RawValue>>,
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

impl JsonInput {
    pub fn next(&mut self, options: &ReadOptions) -> Result<Option<Record>> {
        let Some(raw) = self.records.next() else {
            return Ok(None);
        };
        self.index += 1;
        let lead = match serde_json::from_str::<Value>(raw.get()) {
            Ok(value) => {
                self.current = value;
                json_lead(raw.get(), &self.current, &mut self.targets, options)
            }
            Err(err) => Err(format!("not valid JSON: {err}")),
        };
        Ok(Some(Record {
            line: self.index,
            lead,
        }))
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
