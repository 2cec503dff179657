//! The only place that formats: tables, TSV, CSV, JSON and NDJSON from the same records.
//!
//! Commands hand over records as JSON objects (the contract's field names) and the
//! columns a table shows; this module writes them in the format asked for. How a table
//! meets the terminal (alignment, fitting, colour) is `tables`; the forms of one lead's
//! numbers (score reasons, win probability) are `forms`.
use std::io::{self, Write};

use chrono::{DateTime, Datelike, Local, Timelike, Utc};
use serde_json::Value;

use crate::cli::Format;

mod forms;
mod tables;
#[cfg(test)]
mod tests;

pub use forms::*;
pub use tables::*;

/// How the terminal wants to be spoken to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI colour allowed (a terminal, or --color always, and no NO_COLOR).
    pub color: bool,
}

impl Style {
    /// Bold text when colour is on.
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Text in an ANSI colour code ("32" green, "33" yellow, "31" red) when colour is on.
    pub fn paint(&self, code: &str, text: &str) -> String {
        // What is painted is often a name from the data: never raw to the terminal.
        let text = escape_controls(text);
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.into_owned()
        }
    }
}

/// Text from the data never reaches a terminal raw (the one escaper, in `model`).
pub use crate::model::escape_controls;

/// What a column holds, which decides how a table shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Right-aligned.
    Number,
    /// RFC 3339 in the data; "2026-03-05 14:30" local time in a table.
    Date,
    /// Money (or a ratio of money, ROI): a number in JSON, two decimals in tables,
    /// CSV and TSV ("5000.00"); right-aligned.
    Amount,
}

/// A column: the record's key (also the CSV/TSV header) and the table's header.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub header: &'static str,
    pub kind: Kind,
    /// The record's key of a marker shown after the text, in parentheses, in a table:
    /// "(do not contact)". A cut shortens the text before it, never the marker.
    pub mark: Option<&'static str>,
    /// On a terminal too narrow for every column even cut, columns with a rank are left
    /// out, the highest rank first; 0: always shown.
    pub drop_rank: u8,
    /// A text the table may shorten with `…` to fit the terminal (not a key such as a
    /// report's group: two campaigns cut to one label would be one).
    pub cut: bool,
}

impl Column {
    const fn new(key: &'static str, header: &'static str, kind: Kind) -> Column {
        Column {
            key,
            header,
            kind,
            mark: None,
            drop_rank: 0,
            cut: true,
        }
    }
    pub const fn text(key: &'static str, header: &'static str) -> Column {
        Column::new(key, header, Kind::Text)
    }
    pub const fn number(key: &'static str, header: &'static str) -> Column {
        Column::new(key, header, Kind::Number)
    }
    pub const fn amount(key: &'static str, header: &'static str) -> Column {
        Column::new(key, header, Kind::Amount)
    }
    pub const fn date(key: &'static str, header: &'static str) -> Column {
        Column::new(key, header, Kind::Date)
    }
    /// Show the record's `key` (when a non-empty string) after the text as "(marker)",
    /// whole however narrow the column gets.
    pub const fn marked(mut self, key: &'static str) -> Column {
        self.mark = Some(key);
        self
    }
    /// Leave this column out of a table too wide for the terminal, before the columns of
    /// a lower rank (and before any column without one).
    pub const fn dropped(mut self, rank: u8) -> Column {
        self.drop_rank = rank;
        self
    }
    /// Never shorten this column's text: it names its row.
    pub const fn whole(mut self) -> Column {
        self.cut = false;
        self
    }
}

/// Write records in `format`. Tables and JSON arrays need them all; the line formats
/// would stream, and `RecordWriter` does that for large outputs.
pub fn write_records(
    out: &mut dyn Write,
    format: Format,
    columns: &[Column],
    records: &[Value],
) -> io::Result<()> {
    if format == Format::Table {
        if !records.is_empty() {
            writeln!(out, "{}", table(columns, records))?;
        }
        return Ok(());
    }
    let mut writer = RecordWriter::new(out, format, columns)?;
    for record in records {
        writer.write(record)?;
    }
    writer.finish()
}

/// Streams records one at a time in a line format (TSV, CSV, NDJSON) or a JSON array.
pub struct RecordWriter<'a> {
    out: &'a mut dyn Write,
    format: Format,
    columns: &'a [Column],
    count: usize,
}

impl<'a> RecordWriter<'a> {
    pub fn new(out: &'a mut dyn Write, format: Format, columns: &'a [Column]) -> io::Result<Self> {
        match format {
            Format::Csv => write_csv_row(out, columns.iter().map(|c| c.key.to_string()))?,
            Format::Tsv => writeln!(
                out,
                "{}",
                columns.iter().map(|c| c.key).collect::<Vec<_>>().join("\t")
            )?,
            Format::Json => out.write_all(b"[")?,
            Format::Ndjson | Format::Table => {}
        }
        Ok(RecordWriter {
            out,
            format,
            columns,
            count: 0,
        })
    }

    pub fn write(&mut self, record: &Value) -> io::Result<()> {
        match self.format {
            Format::Json => {
                self.out
                    .write_all(if self.count == 0 { b"\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut *self.out, record)?;
            }
            Format::Ndjson => {
                serde_json::to_writer(&mut *self.out, record)?;
                self.out.write_all(b"\n")?;
            }
            Format::Csv => {
                write_csv_row(self.out, self.columns.iter().map(|c| sheet_cell(c, record)))?
            }
            Format::Tsv | Format::Table => {
                let cells: Vec<String> = self
                    .columns
                    .iter()
                    .map(|c| tsv_escape(&sheet_cell(c, record)))
                    .collect();
                writeln!(self.out, "{}", cells.join("\t"))?;
            }
        }
        self.count += 1;
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        if self.format == Format::Json {
            self.out
                .write_all(if self.count == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

/// Write one JSON value (a single record, e.g. `show`) pretty-printed or on one line.
pub fn write_json(out: &mut dyn Write, value: &Value, format: Format) -> io::Result<()> {
    if format == Format::Ndjson {
        serde_json::to_writer(&mut *out, value)?;
    } else {
        serde_json::to_writer_pretty(&mut *out, value)?;
    }
    out.write_all(b"\n")
}

fn write_csv_row(out: &mut dyn Write, cells: impl Iterator<Item = String>) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new().from_writer(out);
    writer.write_record(cells.collect::<Vec<_>>())?;
    writer.flush()
}

/// A cell for a CSV or TSV file, which a spreadsheet may open: text starting with `=`,
/// `+`, `-`, `@`, tab or CR gets a `'` so it is never run as a formula (numbers and dates
/// are leads' own and stay as they are).
fn sheet_cell(column: &Column, record: &Value) -> String {
    match column.kind {
        Kind::Amount => amount_text(record.get(column.key)),
        Kind::Text => {
            crate::io::cells::neutralize(&plain_text(record.get(column.key))).into_owned()
        }
        Kind::Number | Kind::Date => plain_text(record.get(column.key)),
    }
}

/// An amount as text: two decimals, empty when there is none.
fn amount_text(value: Option<&Value>) -> String {
    match value.and_then(Value::as_f64) {
        Some(amount) => money(amount),
        None => plain_text(value),
    }
}

fn tsv_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// A value as text for CSV/TSV: strings as they are, lists joined with ", ", null empty.
pub fn plain_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Bool(true)) => "true".into(),
        Some(Value::Bool(false)) => "false".into(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| plain_text(Some(item)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// A value as a table shows it: dates in local time, yes/no for flags.
pub fn table_text(value: Option<&Value>, kind: Kind) -> String {
    match (kind, value) {
        (Kind::Date, Some(Value::String(text))) => local_time(text),
        (Kind::Amount, value) => amount_text(value),
        (_, Some(Value::Bool(true))) => "yes".into(),
        (_, Some(Value::Bool(false))) => "no".into(),
        _ => plain_text(value),
    }
}

/// "2026-03-05 14:30" in the local time zone, from RFC 3339; anything else unchanged.
pub fn local_time(text: &str) -> String {
    // The shape leads writes (`2026-03-05T14:30:00Z`) read by hand: a column of dates is
    // read on every listing, and chrono's general parser was most of a date cell's cost.
    if let Some(at) = utc_second(text) {
        return local(at);
    }
    match DateTime::parse_from_rfc3339(text) {
        Ok(at) => local(at.with_timezone(&Utc)),
        Err(_) => text.to_string(),
    }
}

/// A moment written as leads stores it (`dates::stored_parts`), or None for any other text
/// (or no such day).
fn utc_second(text: &str) -> Option<DateTime<Utc>> {
    let [year, month, day, hour, minute, second] = crate::dates::stored_parts(text.as_bytes())?;
    let number = |n: i64| u32::try_from(n).ok();
    let date =
        chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, number(month)?, number(day)?)?;
    // A leap second (:60) is left to chrono's parser.
    let time = date.and_hms_opt(number(hour)?, number(minute)?, number(second)?)?;
    Some(time.and_utc())
}

/// "2026-03-05 14:30": a moment as a person reads it, in the local time zone.
pub fn local(at: DateTime<Utc>) -> String {
    // Written digit by digit: chrono's `format` reads its pattern and renders the offset
    // on every call, and `format!` itself was most of what was left of a date cell.
    let at = at.with_timezone(&Local);
    let year = at.year();
    if !(0..=9999).contains(&year) {
        return format!(
            "{year:04}-{:02}-{:02} {:02}:{:02}",
            at.month(),
            at.day(),
            at.hour(),
            at.minute()
        );
    }
    let mut text = String::with_capacity(16);
    push_digits(&mut text, year.unsigned_abs(), 4);
    text.push('-');
    push_digits(&mut text, at.month(), 2);
    text.push('-');
    push_digits(&mut text, at.day(), 2);
    text.push(' ');
    push_digits(&mut text, at.hour(), 2);
    text.push(':');
    push_digits(&mut text, at.minute(), 2);
    text
}

/// The last `digits` decimal digits of `value`, zeros in front.
fn push_digits(text: &mut String, value: u32, digits: u32) {
    for place in (0..digits).rev() {
        let digit = value / 10u32.pow(place) % 10;
        text.extend(char::from_digit(digit, 10));
    }
}

/// Label/value pairs, labels aligned: the top of `show`.
pub fn fields(out: &mut dyn Write, rows: &[(&str, String)], style: &Style) -> io::Result<()> {
    let width = rows
        .iter()
        .map(|(label, _)| escape_controls(label).chars().count())
        .max()
        .unwrap_or(0);
    for (label, value) in rows {
        // Labels may be attribute names from an imported file.
        let label = escape_controls(label);
        let padded = format!("{label:<width$}");
        let value = escape_controls(value);
        let mut lines = value.lines();
        writeln!(
            out,
            "{}  {}",
            style.bold(&padded),
            lines.next().unwrap_or("")
        )?;
        for line in lines {
            writeln!(out, "{:width$}  {line}", "")?;
        }
    }
    Ok(())
}

/// A section title, underlined by a blank line before it.
pub fn heading(out: &mut dyn Write, title: &str, style: &Style) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", style.bold(&escape_controls(title)))
}

/// A count with thousands separators, as people read it: 1204 -> "1,204".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// A probability as a whole percentage: 0.734 -> "73%".
pub fn percent(probability: f64) -> String {
    format!("{:.0}%", probability * 100.0)
}

/// A horizontal bar chart, one line per label: the value, then a bar scaled so the largest
/// value fills `width` characters (any value above zero shows at least one). `blocks`
/// draws with `█` for a terminal; otherwise `#`, so piped output stays plain ASCII.
pub fn bar_chart(
    out: &mut dyn Write,
    rows: &[(String, u64)],
    width: usize,
    blocks: bool,
) -> io::Result<()> {
    let label_width = rows
        .iter()
        .map(|(label, _)| escape_controls(label).chars().count())
        .max()
        .unwrap_or(0);
    let largest = rows.iter().map(|(_, value)| *value).max().unwrap_or(0);
    let number_width = largest.to_string().len();
    let glyph = if blocks { "█" } else { "#" };
    for (label, value) in rows {
        let length = if largest == 0 {
            0
        } else {
            let scaled = (*value as f64 / largest as f64 * width as f64).round() as usize;
            if *value > 0 {
                scaled.max(1)
            } else {
                0
            }
        };
        let label = escape_controls(label);
        let line = format!(
            "{label:<label_width$}  {value:>number_width$}  {}",
            glyph.repeat(length)
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// An amount as every output writes it (the one format, in `model`).
pub use crate::model::money;

/// Did anyone but `reader` do one of these records (their `by`)? Tables show a BY column
/// only then: a team sees who did what, a seller alone is not shown their own name on
/// every line. JSON always has `by`.
pub fn done_by_another(records: &[Value], reader: Option<&str>) -> bool {
    records.iter().any(|record| {
        record
            .get("by")
            .and_then(Value::as_str)
            .is_some_and(|by| Some(by) != reader)
    })
}
