//! The only place that formats: tables, TSV, CSV, JSON and NDJSON from the same records.
//!
//! Commands hand over records as JSON objects (the contract's field names) and the
//! columns a table shows; this module writes them in the format asked for.
use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::OnceLock;

use chrono::{DateTime, Local, Utc};
use serde_json::{json, Value};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::cli::Format;
use crate::learning::{Factor, LiveWin, SavedModel};
use crate::model::Lead;
use crate::scoring::{Part, Profile, Scores};

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

/// Text from the data as a terminal may show it: control characters that could move the
/// cursor, clear the screen, retitle the window or hide text are written out instead
/// (ESC `\e`, BEL `\x07`, CR `\r`, backspace `\b`, other C0 and DEL `\xNN`, C1 `\u{9b}`,
/// bidirectional overrides `\u{202e}`). Line feed and tab are kept: they only lay text out.
/// For tables and messages; CSV, TSV and JSON keep the data verbatim.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            _ if !needs_escape(c) => escaped.push(c),
            '\x1b' => escaped.push_str("\\e"),
            '\r' => escaped.push_str("\\r"),
            '\x08' => escaped.push_str("\\b"),
            c if (c as u32) < 0x80 => escaped.push_str(&format!("\\x{:02x}", c as u32)),
            c => escaped.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(escaped)
}

fn needs_escape(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        // C0, DEL and C1 controls.
        c if c.is_control() => true,
        // Bidirectional embeddings, overrides and isolates reorder what is shown.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// What a column holds, which decides how a table shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Right-aligned.
    Number,
    /// RFC 3339 in the data; "2026-03-05 14:30" local time in a table.
    Date,
}

/// A column: the record's key (also the CSV/TSV header) and the table's header.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub header: &'static str,
    pub kind: Kind,
}

impl Column {
    pub const fn text(key: &'static str, header: &'static str) -> Column {
        Column {
            key,
            header,
            kind: Kind::Text,
        }
    }
    pub const fn number(key: &'static str, header: &'static str) -> Column {
        Column {
            key,
            header,
            kind: Kind::Number,
        }
    }
    pub const fn date(key: &'static str, header: &'static str) -> Column {
        Column {
            key,
            header,
            kind: Kind::Date,
        }
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
    let text = plain_text(record.get(column.key));
    match column.kind {
        Kind::Text => crate::io::leads_out::neutralize(&text).into_owned(),
        Kind::Number | Kind::Date => text,
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
        (_, Some(Value::Bool(true))) => "yes".into(),
        (_, Some(Value::Bool(false))) => "no".into(),
        _ => plain_text(value),
    }
}

/// "2026-03-05 14:30" in the local time zone, from RFC 3339; anything else unchanged.
pub fn local_time(text: &str) -> String {
    match DateTime::parse_from_rfc3339(text) {
        Ok(at) => local(at.with_timezone(&Utc)),
        Err(_) => text.to_string(),
    }
}

/// "2026-03-05 14:30": a moment as a person reads it, in the local time zone.
pub fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// How tables meet the terminal, decided once at the start (`Ctx::new`). Left unset when
/// stdout is not a terminal: piped tables are plain, never cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableStyle {
    /// Fit tables to this many columns, cutting the widest text cells with `…`.
    pub width: Option<usize>,
    /// Colour what needs the eye: grades, overdue follow-ups.
    pub color: bool,
}

static TABLE_STYLE: OnceLock<TableStyle> = OnceLock::new();

/// Set how every table of this run is shown (the first call wins).
pub fn set_table_style(style: TableStyle) {
    let _ = TABLE_STYLE.set(style);
}

/// A table as this run shows them (see `set_table_style`): header row, aligned columns.
pub fn table(columns: &[Column], records: &[Value]) -> String {
    table_with(
        columns,
        records,
        TABLE_STYLE.get().copied().unwrap_or_default(),
    )
}

/// A table: a header row, columns aligned with two spaces between them, numbers on the
/// right, multi-line cells on several lines; fitted and coloured as `style` says.
pub fn table_with(columns: &[Column], records: &[Value], style: TableStyle) -> String {
    let header: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
    let mut rows: Vec<Vec<String>> = vec![header];
    let mut paints: Vec<Vec<Option<&'static str>>> = vec![vec![None; columns.len()]];
    for record in records {
        rows.push(
            columns
                .iter()
                .map(|c| escape_controls(&table_text(record.get(c.key), c.kind)).into_owned())
                .collect(),
        );
        paints.push(columns.iter().map(|c| paint_of(c, record)).collect());
    }
    let mut widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            rows.iter()
                .map(|row| cell_width(&row[i]))
                .max()
                .unwrap_or(0)
        })
        .collect();
    if let Some(max) = style.width {
        // Only text is cut: an id, a score or a date cut short would be wrong, not shorter.
        let limits: Vec<Option<usize>> = columns
            .iter()
            .map(|c| (c.kind == Kind::Text).then(|| cell_width(c.header).max(MIN_CUT_WIDTH)))
            .collect();
        widths = fit_widths(&widths, &limits, max);
        for row in &mut rows {
            for (cell, width) in row.iter_mut().zip(&widths) {
                if cell_width(cell) > *width {
                    *cell = cell
                        .lines()
                        .map(|line| cut(line, *width))
                        .collect::<Vec<_>>()
                        .join("\n");
                }
            }
        }
    }
    let mut lines = Vec::new();
    for (row, paint) in rows.iter().zip(&paints) {
        let cell_lines: Vec<Vec<&str>> =
            row.iter().map(|cell| cell.split('\n').collect()).collect();
        let height = cell_lines.iter().map(Vec::len).max().unwrap_or(1);
        for index in 0..height {
            let mut line = String::new();
            for (column, parts) in cell_lines.iter().enumerate() {
                let text = parts.get(index).copied().unwrap_or("");
                let padding = " ".repeat(widths[column].saturating_sub(cell_width(text)));
                let shown = match paint[column] {
                    Some(code) if style.color && !text.is_empty() => {
                        format!("\x1b[{code}m{text}\x1b[0m")
                    }
                    _ => text.to_string(),
                };
                if column > 0 {
                    line.push_str("  ");
                }
                if columns[column].kind == Kind::Number {
                    line.push_str(&padding);
                    line.push_str(&shown);
                } else {
                    line.push_str(&shown);
                    line.push_str(&padding);
                }
            }
            lines.push(line.trim_end().to_string());
        }
    }
    lines.join("\n")
}

/// A text column is never cut narrower than its header or this.
const MIN_CUT_WIDTH: usize = 6;

/// The width a terminal gives a cell (its widest line).
fn cell_width(text: &str) -> usize {
    text.split('\n')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// The text cut to `width` columns, ending in `…` when something was cut.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    kept.push('…');
    kept
}

/// Column widths that fit in `max` terminal columns (two spaces between columns): the
/// widest cuttable column gives up one column at a time, never below its limit (`None`:
/// not cuttable). When even that is too wide, the table stays as wide as it must.
pub fn fit_widths(widths: &[usize], limits: &[Option<usize>], max: usize) -> Vec<usize> {
    let mut widths = widths.to_vec();
    let total =
        |widths: &[usize]| widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    while total(&widths) > max {
        let widest = widths
            .iter()
            .zip(limits)
            .enumerate()
            .filter(|(_, (width, limit))| limit.is_some_and(|limit| **width > limit))
            .max_by_key(|(index, (width, _))| (**width, std::cmp::Reverse(*index)))
            .map(|(index, _)| index);
        match widest {
            Some(index) => widths[index] -= 1,
            None => break,
        }
    }
    widths
}

/// The colour a table cell deserves: the grade by its letter, an overdue follow-up red.
fn paint_of(column: &Column, record: &Value) -> Option<&'static str> {
    match column.key {
        "grade" => match record.get("grade").and_then(Value::as_str) {
            Some("A") => Some("1;32"),
            Some("B") => Some("32"),
            Some("C") => Some("33"),
            _ => None,
        },
        "due_at" | "next_follow_up" if record.get("overdue") == Some(&Value::Bool(true)) => {
            Some("31")
        }
        _ => None,
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

// The score forms of `show` and `qualify --explain`, like a tax form one can check.

const REASON_COLUMNS: [Column; 3] = [
    Column::text("factor", "FACTOR"),
    Column::text("value", "VALUE"),
    Column::number("points", "POINTS"),
];
/// The lead's JSON with these scores (computed now; they equal the stored ones once refreshed).
pub fn lead_record(lead: &Lead, scores: &Scores) -> Value {
    let mut record = lead.to_json();
    record["fit"] = json!(scores.fit);
    record["engagement"] = json!(scores.engagement);
    record["readiness"] = json!(scores.readiness);
    record["score"] = json!(scores.score);
    record["grade"] = json!(scores.grade.to_string());
    record
}

/// The reasons as three small forms, each ending in its sub-score.
fn write_reasons(out: &mut dyn Write, scores: &Scores, style: &Style) -> io::Result<()> {
    let parts = [
        (Part::Fit, "Fit", scores.fit),
        (Part::Engagement, "Engagement", scores.engagement),
        (Part::Readiness, "Readiness", scores.readiness),
    ];
    for (part, title, total) in parts {
        let mut rows: Vec<Value> = scores
            .reasons
            .iter()
            .filter(|r| r.part == part)
            .map(|r| {
                json!({"factor": r.factor, "value": r.value, "points": format_points(r.points)})
            })
            .collect();
        rows.push(json!({"factor": format!("= {}", title.to_lowercase()), "value": "", "points": total.to_string()}));
        heading(out, title, style)?;
        write_records(out, Format::Table, &REASON_COLUMNS, &rows)?;
    }
    Ok(())
}

/// The three forms and how they combine into the score: what `qualify --explain` prints.
pub fn explanation(
    out: &mut dyn Write,
    scores: &Scores,
    profile: &Profile,
    style: &Style,
) -> io::Result<()> {
    write_reasons(out, scores, style)?;
    writeln!(out)?;
    writeln!(out, "{}", combined_line(scores, profile))?;
    Ok(())
}

/// The last line of the form: how the sub-scores combine, with the profile's weights,
/// e.g. `score = (40×fit + 35×engagement + 25×readiness) / 100 = (40×78 + ...) / 100 = 75, grade A`.
fn combined_line(scores: &Scores, profile: &Profile) -> String {
    // Weights as typed (`{}` prints 40.0 as "40"), without float noise such as 0.30000000000000004.
    let weight = |w: f64| format!("{}", (w * 1e6).round() / 1e6);
    let (fit, engagement, readiness) = (
        weight(profile.weight_fit),
        weight(profile.weight_engagement),
        weight(profile.weight_readiness),
    );
    let total = weight(profile.weight_fit + profile.weight_engagement + profile.weight_readiness);
    format!(
        "score = ({fit}×fit + {engagement}×engagement + {readiness}×readiness) / {total} \
         = ({fit}×{} + {engagement}×{} + {readiness}×{}) / {total} = {}, grade {}",
        scores.fit, scores.engagement, scores.readiness, scores.score, scores.grade
    )
}

/// Points as a form shows them: whole numbers plain, fractions with one decimal.
fn format_points(points: f64) -> String {
    let rounded = crate::model::round_to(points, 1);
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// An amount of money as a message shows it: two decimals ("5000.00"); no currency
/// conversion, the label is the seller's (`leads config currency`).
pub fn money(amount: f64) -> String {
    format!("{amount:.2}")
}

// The win probability as `list` and `show` give it.

const FACTOR_COLUMNS: [Column; 3] = [
    Column::text("feature", "FACTOR"),
    Column::text("value", "VALUE"),
    Column::number("effect", "EFFECT"),
];

/// "win probability learned 2026-02-20 from 412 closed leads (AUC 0.81); `leads learn` to
/// refresh", saying so when leads have closed (or reopened) since.
pub fn model_note(saved: &SavedModel, closed_now: i64) -> String {
    let auc = saved
        .auc
        .map(|auc| format!(" (AUC {auc:.2})"))
        .unwrap_or_default();
    let since = if closed_now == saved.closed {
        String::new()
    } else {
        format!("; {} closed now", thousands(closed_now.max(0) as u64))
    };
    format!(
        "win probability learned {} from {} closed leads{auc}{since}; `leads learn` to refresh",
        saved.learned_at.with_timezone(&Local).format("%Y-%m-%d"),
        thousands(saved.closed.max(0) as u64),
    )
}

/// A factor as `show --format json` gives it: contribution in log-odds, two decimals.
pub fn factor_json(factor: &Factor) -> Value {
    json!({
        "feature": factor.feature,
        "value": factor.value,
        "contribution": crate::model::round_to(factor.contribution, 2),
    })
}

/// `show`'s "Win probability" section: the probability, its strongest factors, the model's age.
pub fn write_win_section(out: &mut dyn Write, win: &LiveWin, style: &Style) -> io::Result<()> {
    let title = match win.stored {
        Some(stored) => format!("Win probability {}", percent(stored)),
        None => "Win probability not learned yet for this lead".to_string(),
    };
    heading(out, &title, style)?;
    let rows: Vec<Value> = win
        .now
        .factors
        .iter()
        .map(|factor| {
            json!({
                "feature": factor.feature,
                "value": factor.value,
                "effect": format!("{:+.2}", factor.contribution),
            })
        })
        .collect();
    write_records(out, Format::Table, &FACTOR_COLUMNS, &rows)?;
    writeln!(out, "{}", model_note(&win.saved, win.closed_now))?;
    if win.stored.map(percent) != Some(percent(win.now.probability)) {
        writeln!(
            out,
            "(the lead changed since: from its current data the model says {}; `leads learn` \
             updates what list, show and export carry)",
            percent(win.now.probability)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const COLUMNS: [Column; 3] = [
        Column::number("id", "ID"),
        Column::text("name", "NAME"),
        Column::text("tags", "TAGS"),
    ];

    fn render(format: Format, records: &[Value]) -> String {
        let mut out = Vec::new();
        write_records(&mut out, format, &COLUMNS, records).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn sample() -> Vec<Value> {
        vec![
            json!({"id": 1, "name": "Ada, \"the\" first", "tags": ["a", "b"]}),
            json!({"id": 12, "name": "Bo\tTab", "tags": []}),
        ]
    }

    #[test]
    fn every_format_renders_the_same_records() {
        assert_eq!(
            render(Format::Table, &sample()),
            "ID  NAME              TAGS\n 1  Ada, \"the\" first  a, b\n12  Bo\tTab\n"
        );
        assert_eq!(
            render(Format::Csv, &sample()),
            "id,name,tags\n1,\"Ada, \"\"the\"\" first\",\"a, b\"\n12,Bo\tTab,\n"
        );
        assert_eq!(
            render(Format::Tsv, &sample()),
            "id\tname\ttags\n1\tAda, \"the\" first\ta, b\n12\tBo\\tTab\t\n"
        );
        assert_eq!(
            render(Format::Ndjson, &sample()),
            "{\"id\":1,\"name\":\"Ada, \\\"the\\\" first\",\"tags\":[\"a\",\"b\"]}\n{\"id\":12,\"name\":\"Bo\\tTab\",\"tags\":[]}\n"
        );
        let parsed: Value = serde_json::from_str(&render(Format::Json, &sample())).unwrap();
        assert_eq!(parsed, Value::Array(sample()));
    }

    #[test]
    fn a_table_aligns_wide_multi_line_and_huge_cells() {
        let records = vec![
            json!({"id": 1, "name": "Zoë 日本", "tags": ["a"]}),
            json!({"id": 120, "name": "two\nlines", "tags": []}),
        ];
        assert_eq!(
            render(Format::Table, &records),
            " ID  NAME      TAGS\n  1  Zoë 日本  a\n120  two\n     lines\n"
        );
        // Wider than comfy-table's u16 widths, which split such a cell quadratically.
        let huge = "A".repeat(100_000);
        let text = table(&COLUMNS, &[json!({"id": 1, "name": huge, "tags": []})]);
        assert_eq!(text.lines().count(), 2);
        assert!(text.ends_with(&format!(" 1  {huge}")));
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let cases = [
            ("Ada", "Ada"),
            ("\x1b[2Jgone", "\\e[2Jgone"),
            ("bell\x07", "bell\\x07"),
            ("over\rwrite", "over\\rwrite"),
            ("back\x08space", "back\\bspace"),
            ("\u{9b}31m", "\\u{9b}31m"),
            ("\x1b]8;;http://x\x1b\\", "\\e]8;;http://x\\e\\"),
            ("nul\0del\x7f", "nul\\x00del\\x7f"),
            ("rtl\u{202e}txt", "rtl\\u{202e}txt"),
            ("two\nlines\tand tab, é ü", "two\nlines\tand tab, é ü"),
        ];
        for (raw, shown) in cases {
            assert_eq!(escape_controls(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn tables_fit_the_width_by_cutting_the_widest_text() {
        // (case, widths, limits (None: never cut), terminal width, expected widths)
        type Case<'a> = (
            &'a str,
            &'a [usize],
            &'a [Option<usize>],
            usize,
            &'a [usize],
        );
        let cases: [Case; 6] = [
            (
                "fits already",
                &[2, 10, 5],
                &[None, Some(6), Some(6)],
                30,
                &[2, 10, 5],
            ),
            (
                "exactly fits",
                &[2, 10, 5],
                &[None, Some(6), Some(6)],
                21,
                &[2, 10, 5],
            ),
            (
                "widest gives first",
                &[2, 20, 10],
                &[None, Some(6), Some(6)],
                30,
                &[2, 14, 10],
            ),
            (
                "then both in turn",
                &[2, 20, 10],
                &[None, Some(6), Some(6)],
                24,
                &[2, 9, 9],
            ),
            (
                "numbers are never cut",
                &[30, 8],
                &[None, Some(6)],
                20,
                &[30, 6],
            ),
            (
                "not below the limit",
                &[2, 20],
                &[None, Some(6)],
                5,
                &[2, 6],
            ),
        ];
        for (name, widths, limits, max, expected) in cases {
            assert_eq!(fit_widths(widths, limits, max), expected, "{name}");
        }
        assert_eq!(cut("Ada Lovelace", 7), "Ada Lo…");
        assert_eq!(cut("Ada", 7), "Ada");
        assert_eq!(cut("Müller GmbH", 4), "Mül…");
        assert_eq!(cut("日本語テキスト", 5), "日本…");
    }

    #[test]
    fn a_fitted_table_cuts_text_and_colours_grades() {
        const COLUMNS: [Column; 3] = [
            Column::number("id", "ID"),
            Column::text("name", "NAME"),
            Column::text("grade", "GRADE"),
        ];
        let records = vec![
            json!({"id": 1, "name": "Ada Lovelace of Acme", "grade": "A"}),
            json!({"id": 12, "name": "Bo", "grade": "D"}),
        ];
        let plain = table_with(&COLUMNS, &records, TableStyle::default());
        assert_eq!(
            plain,
            "ID  NAME                  GRADE\n 1  Ada Lovelace of Acme  A\n12  Bo                    D"
        );
        let fitted = TableStyle {
            width: Some(20),
            color: true,
        };
        assert_eq!(
            table_with(&COLUMNS, &records, fitted),
            "ID  NAME       GRADE\n 1  Ada Love…  \x1b[1;32mA\x1b[0m\n12  Bo         D"
        );
    }

    #[test]
    fn counts_and_percentages() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1204, "1,204"),
            (1_000_000, "1,000,000"),
        ];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
        }
        assert_eq!(percent(0.734), "73%");
        assert_eq!(percent(0.001), "0%");
    }

    #[test]
    fn nothing_to_show() {
        assert_eq!(render(Format::Table, &[]), "");
        assert_eq!(render(Format::Json, &[]), "[]\n");
        assert_eq!(render(Format::Ndjson, &[]), "");
        assert_eq!(render(Format::Csv, &[]), "id,name,tags\n");
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let rows = vec![
            ("referral".to_string(), 10),
            ("web".to_string(), 1),
            ("none".to_string(), 0),
        ];
        let mut out = Vec::new();
        bar_chart(&mut out, &rows, 20, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "referral  10  ####################\nweb        1  ##\nnone       0\n"
        );
        let mut out = Vec::new();
        bar_chart(&mut out, &rows[1..2], 3, true).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "web  1  ███\n");
    }
}
