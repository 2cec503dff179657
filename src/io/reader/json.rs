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
                    not_empty(json_lead(&self.current, &mut self.targets, options))
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
        let lead = not_empty(json_lead(&self.current, &mut self.targets, options));
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
    let cells: Vec<(&Target, &str, String)> = object
        .iter()
        .filter_map(|(key, value)| Some((targets.get(key)?, key.as_str(), json_text(value))))
        .collect();
    lead_from_cells(
        cells
            .iter()
            .map(|(t, k, v)| (*t, *k, v.as_str(), Order::Unknown)),
        RowOptions {
            date_format: options.date_format.as_deref(),
            leads_export: mapping.leads_export,
            strict: options.strict,
            currency: options.currency.as_deref(),
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
