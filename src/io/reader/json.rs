//! JSON input: one array of objects (read whole), or one object per line (NDJSON,
//! streamed). Keys are mapped like CSV headers.
use std::collections::HashMap;
use std::io::BufRead;

use anyhow::Result;
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
    pub records: std::vec::IntoIter<Value>,
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
                    json_lead(&self.current, &mut self.targets, options)
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
        let Some(value) = self.records.next() else {
            return Ok(None);
        };
        self.index += 1;
        self.current = value;
        let lead = json_lead(&self.current, &mut self.targets, options);
        Ok(Some(Record {
            line: self.index,
            lead,
        }))
    }
}

/// A JSON object -> a lead, its keys mapped like CSV headers.
fn json_lead(
    value: &Value,
    targets: &mut HashMap<String, Target>,
    options: &ReadOptions,
) -> Result<Option<Converted>, String> {
    let Value::Object(object) = value else {
        return Err("not a JSON object".into());
    };
    let keys: Vec<String> = object.keys().cloned().collect();
    let mapping = map_headers(&keys, &options.overrides);
    for (key, target) in keys.iter().zip(mapping.targets) {
        targets.entry(key.clone()).or_insert(target);
    }
    let ours = mapping.leads_export;
    let cells: Vec<(&Target, &str, String)> = object
        .iter()
        .filter_map(|(key, value)| Some((targets.get(key)?, key.as_str(), json_text(value, ours))))
        .collect();
    let lead = lead_from_cells(
        cells
            .iter()
            .map(|(t, k, v)| (*t, *k, v.as_str(), Order::Unknown)),
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
