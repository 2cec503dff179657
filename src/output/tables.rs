//! Tables for the terminal: aligned columns, fitted to its width by cutting the widest
//! text, coloured where the eye is needed.
use std::sync::OnceLock;

use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{escape_controls, table_text, Column, Kind};

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
    let mut grid = Grid::new(columns, records);
    if let Some(max) = style.width {
        grid.fit(max);
    }
    grid.render(style.color)
}

/// The cells of a table before they are laid out: a row of headers, then a row a record,
/// each cell with its colour, and each column's width.
struct Grid {
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    paints: Vec<Vec<Option<&'static str>>>,
    widths: Vec<usize>,
}

impl Grid {
    fn new(columns: &[Column], records: &[Value]) -> Grid {
        // Each cell is its text and the marker that follows it (kept whole when cut).
        let header: Vec<Cell> = columns
            .iter()
            .map(|c| Cell {
                text: c.header.to_string(),
                mark: String::new(),
            })
            .collect();
        let mut rows: Vec<Vec<Cell>> = vec![header];
        let mut paints: Vec<Vec<Option<&'static str>>> = vec![vec![None; columns.len()]];
        for record in records {
            rows.push(columns.iter().map(|c| Cell::of(c, record)).collect());
            paints.push(columns.iter().map(|c| paint_of(c, record)).collect());
        }
        let widths = (0..columns.len())
            .map(|i| rows.iter().map(|row| row[i].width()).max().unwrap_or(0))
            .collect();
        Grid {
            columns: columns.to_vec(),
            rows,
            paints,
            widths,
        }
    }

    /// Fit the table to `max` columns of the terminal: leave out the columns that may go
    /// while even cut text does not fit, then cut the widest text.
    fn fit(&mut self, max: usize) {
        let mut limits = self.cut_limits();
        // Too narrow even with every text cut to its limit: leave out the columns that
        // may go, the highest rank first.
        while narrowest(&self.widths, &limits) > max {
            let Some(dropped) = (0..self.columns.len())
                .filter(|&i| self.columns[i].drop_rank > 0)
                .max_by_key(|&i| (self.columns[i].drop_rank, i))
            else {
                break;
            };
            self.remove_column(dropped);
            limits.remove(dropped);
        }
        self.widths = fit_widths(&self.widths, &limits, max);
        for row in &mut self.rows {
            for (cell, width) in row.iter_mut().zip(&self.widths) {
                cell.cut_to(*width);
            }
        }
    }

    /// How narrow each column may be cut. Only text is cut: an id, a score or a date cut
    /// short would be wrong, not shorter. A marker is never cut: the text before it keeps
    /// the same minimum as any text.
    fn cut_limits(&self) -> Vec<Option<usize>> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                (column.kind == Kind::Text && column.cut).then(|| {
                    let longest_mark = self.rows.iter().map(|row| row[i].mark_width()).max();
                    let least = MIN_CUT_WIDTH + longest_mark.unwrap_or(0);
                    cell_width(column.header).max(least)
                })
            })
            .collect()
    }

    fn remove_column(&mut self, at: usize) {
        self.columns.remove(at);
        self.widths.remove(at);
        for row in &mut self.rows {
            row.remove(at);
        }
        for paint in &mut self.paints {
            paint.remove(at);
        }
    }

    /// The lines of the table: cells padded to their column, numbers on the right, a
    /// multi-line cell on as many lines as it has. Written into one string as it goes
    /// (a table is drawn on every read: no string a cell or a line).
    fn render(self, color: bool) -> String {
        let mut out = String::new();
        for (row, paint) in self.rows.into_iter().zip(&self.paints) {
            let shown: Vec<String> = row.into_iter().map(Cell::shown).collect();
            let height = shown
                .iter()
                .map(|cell| cell.bytes().filter(|&b| b == b'\n').count() + 1)
                .max()
                .unwrap_or(1);
            for index in 0..height {
                if !out.is_empty() {
                    out.push('\n');
                }
                let line_start = out.len();
                for (column, cell) in shown.iter().enumerate() {
                    if column > 0 {
                        out.push_str("  ");
                    }
                    let text = if height == 1 {
                        cell.as_str()
                    } else {
                        cell.split('\n').nth(index).unwrap_or("")
                    };
                    let painted = paint[column].filter(|_| color && !text.is_empty());
                    let right = matches!(self.columns[column].kind, Kind::Number | Kind::Amount);
                    push_cell(&mut out, text, painted, self.widths[column], right);
                }
                let kept = out[line_start..].trim_end().len();
                out.truncate(line_start + kept);
            }
        }
        out
    }
}

/// One cell of one line, padded to `width`, coloured with `paint` (an ANSI code) if any.
fn push_cell(line: &mut String, text: &str, paint: Option<&str>, width: usize, right: bool) {
    let padding = width.saturating_sub(cell_width(text));
    let push_text = |line: &mut String| match paint {
        Some(code) => {
            line.push_str("\x1b[");
            line.push_str(code);
            line.push('m');
            line.push_str(text);
            line.push_str("\x1b[0m");
        }
        None => line.push_str(text),
    };
    if right {
        line.extend(std::iter::repeat_n(' ', padding));
        push_text(line);
    } else {
        push_text(line);
        line.extend(std::iter::repeat_n(' ', padding));
    }
}

/// One cell of a table: its text and the marker shown after it (" (do not contact)").
struct Cell {
    text: String,
    /// Empty, or " (marker)".
    mark: String,
}

impl Cell {
    fn of(column: &Column, record: &Value) -> Cell {
        let text = table_text(record.get(column.key), column.kind);
        // Most cells need no escape: keep the string made, rather than a copy of it.
        let text = match escape_controls(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(escaped) => escaped,
        };
        let mark = column
            .mark
            .and_then(|key| record.get(key))
            .and_then(Value::as_str)
            .filter(|mark| !mark.is_empty())
            .map(|mark| format!(" ({})", escape_controls(mark)))
            .unwrap_or_default();
        Cell { text, mark }
    }

    /// The width shown: the widest line, the marker following the last one.
    fn width(&self) -> usize {
        if self.mark.is_empty() {
            return cell_width(&self.text);
        }
        let last = self.text.rsplit('\n').next().unwrap_or("");
        cell_width(&self.text).max(last.width() + self.mark_width())
    }

    fn mark_width(&self) -> usize {
        self.mark.width()
    }

    /// Cut every line of the text to `width`, the last one short enough for the marker.
    fn cut_to(&mut self, width: usize) {
        if self.width() <= width {
            return;
        }
        let lines: Vec<&str> = self.text.split('\n').collect();
        let last = lines.len() - 1;
        self.text = lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let room = if index == last {
                    width.saturating_sub(self.mark_width())
                } else {
                    width
                };
                cut(line, room.max(1))
            })
            .collect::<Vec<_>>()
            .join("\n");
    }

    fn shown(self) -> String {
        if self.mark.is_empty() {
            self.text
        } else {
            self.text + &self.mark
        }
    }
}

/// The width of a table whose text columns are all cut to their limits.
fn narrowest(widths: &[usize], limits: &[Option<usize>]) -> usize {
    widths
        .iter()
        .zip(limits)
        .map(|(width, limit)| limit.map_or(*width, |limit| limit.min(*width)))
        .sum::<usize>()
        + 2 * widths.len().saturating_sub(1)
}

/// A text column is never cut narrower than its header or this.
const MIN_CUT_WIDTH: usize = 6;

/// The width a terminal gives a cell (its widest line).
fn cell_width(text: &str) -> usize {
    // Printable ASCII, most cells: one column a byte.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.len();
    }
    text.split('\n')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// The text cut to `width` columns, ending in `…` when something was cut.
pub(super) fn cut(text: &str, width: usize) -> String {
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
