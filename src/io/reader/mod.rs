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
use self::json::{not_empty, JsonInput, NdjsonInput};
pub use self::rejects::Rejects;
use super::dates_in::Order;
use super::encoding::{is_utf16, utf8_reader};
use super::leads_in::{lead_from_cells, Converted, RowOptions};
use super::mapping::Override;
use super::output_file::OutputFile;
use super::vcard::{looks_like_vcard, CardReader};
use crate::error::{bad_input, Failure};

/// The shape of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputShape {
    Csv,
    /// One JSON array of objects (read whole).
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
    Json(JsonInput),
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
            InputShape::Json => {
                let value: Value = serde_json::from_reader(text)
                    .map_err(|err| bad_input(format!("the input is not valid JSON: {err}")))?;
                let Value::Array(records) = value else {
                    return Err(bad_input(
                        "expected a JSON array of leads (use --from ndjson for one object per line)",
                    ));
                };
                Input::Json(JsonInput {
                    records: records.into_iter(),
                    index: 0,
                    current: Value::Null,
                    targets: HashMap::new(),
                })
            }
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

    /// How the columns map (CSV only): (header, field or "attributes" or "dropped").
    pub fn column_mapping(&self) -> Vec<(String, &'static str)> {
        match &self.input {
            Input::Csv(csv) => csv.mapping.describe(&csv.headers),
            _ => Vec::new(),
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
                let (line, card) = card.map_err(|line| not_utf8(line, self.options.encoding))?;
                *current = Value::Object(
                    card.iter()
                        .map(|(_, key, value)| (key.clone(), Value::String(value.clone())))
                        .collect(),
                );
                let lead = not_empty(lead_from_cells(
                    card.iter().map(|(target, key, value)| {
                        (target, key.as_str(), value.as_str(), Order::Unknown)
                    }),
                    RowOptions {
                        date_format: self.options.date_format.as_deref(),
                        leads_export: false,
                        strict: self.options.strict,
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
    let hint = match encoding {
        Some(encoding) if is_utf16(encoding) => "",
        Some(_) => "",
        None => "; if the file comes from an older tool, give its encoding, e.g. --encoding windows-1252",
    };
    bad_input(format!(
        "line {line} is not valid UTF-8, nothing was imported{hint}"
    ))
}

pub(crate) fn unreadable(err: io::Error) -> anyhow::Error {
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
mod tests {
    use super::csv::sniff_delimiter;
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
                .starts_with("error: a value in cell 3 where the header has 2"),
            "{got:?}"
        );
        assert!(got[1].1.starts_with("error: 1 cells"), "{got:?}");
    }

    #[test]
    fn an_unterminated_quote_names_the_line_where_it_opened() {
        let last_column = b"Name,Email,Notes\nAda,a@example.com,ok\nBo,b@example.com,\"never closed\nCy,c@example.com,x\nDi,d@example.com,y\n";
        let got = emails(&read_all(last_column, InputShape::Csv).unwrap());
        assert_eq!(got[0], (2, "a@example.com".to_string()));
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[1].0, 3);
        assert!(
            got[1]
                .1
                .contains("a quote opened on line 3 is never closed"),
            "{got:?}"
        );

        let earlier = b"Name,Email,Notes\r\nAda,a@example.com,\"two\r\nlines\"\r\nBo,b@example.com,x\r\n\r\nCy,\"c@example.com,x\r\nDi,d@example.com,y\r\n";
        let got = emails(&read_all(earlier, InputShape::Csv).unwrap());
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[3].0, 6);
        assert!(got[3].1.contains("opened on line 6"), "{got:?}");
        // A closed quote at the very end, and an escaped one, are fine.
        let fine = b"Name,Notes\nAda,\"say \"\"hi\"\"\"";
        let got = emails(&read_all(fine, InputShape::Csv).unwrap());
        assert_eq!(got, vec![(2, String::new())]);
    }

    #[test]
    fn old_mac_line_ends_and_preambles() {
        let mac = b"Name,Email\rAda,a@example.com\rBo,b@example.com\r";
        let got = emails(&read_all(mac, InputShape::Csv).unwrap());
        assert_eq!(
            got,
            vec![
                (2, "a@example.com".to_string()),
                (3, "b@example.com".to_string())
            ]
        );
        let linkedin = b"Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,Lo,https://www.linkedin.com/in/ada-lo-invented,,Acme,CTO,12 Jan 2024\n";
        let records = read_all(linkedin, InputShape::Csv).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].0, 5);
        let Ok(Some(ada)) = &records[0].1 else {
            panic!("{records:?}")
        };
        assert_eq!(ada.lead.website, None);
        assert_eq!(ada.lead.title.as_deref(), Some("CTO"));
        assert_eq!(
            ada.lead.created_at.map(crate::model::rfc3339).as_deref(),
            Some("2024-01-12T00:00:00Z")
        );
        // Google's "Outlook CSV": one more (empty) cell than the header.
        let outlook = b"First Name,E-mail Address\nAda,a@example.com,\n";
        let got = emails(&read_all(outlook, InputShape::Csv).unwrap());
        assert_eq!(got, vec![(2, "a@example.com".to_string())]);
    }

    #[test]
    fn a_column_settles_its_date_order_even_late() {
        let mut csv = b"Email,Create Date\n".to_vec();
        for n in 0..300 {
            csv.extend(format!("p{n}@example.com,2/5/24 1:51\n").as_bytes());
        }
        csv.extend(b"late@example.com,2/13/24 9:00\n");
        let records = read_all(&csv, InputShape::Csv).unwrap();
        let Ok(Some(first)) = &records[0].1 else {
            panic!()
        };
        assert_eq!(
            first.lead.created_at.map(crate::model::rfc3339).as_deref(),
            Some("2024-02-05T01:51:00Z")
        );
        assert!(first.unread_dates.is_empty());
    }

    #[test]
    fn a_hundred_thousand_identical_headers_take_linear_time() {
        let columns = 100_000;
        let mut csv = vec!["Email"; columns].join(",").into_bytes();
        csv.push(b'\n');
        csv.extend(b"a@example.com");
        for n in 1..columns {
            csv.extend(format!(",x{n}@example.com").as_bytes());
        }
        csv.push(b'\n');
        let started = std::time::Instant::now();
        let records = read_all(&csv, InputShape::Csv).unwrap();
        let Ok(Some(lead)) = &records[0].1 else {
            panic!()
        };
        assert_eq!(lead.lead.email.as_deref(), Some("a@example.com"));
        assert_eq!(lead.lead.attributes.len(), columns - 1);
        assert_eq!(
            lead.lead.attributes.get("Email (2)").map(String::as_str),
            Some("x1@example.com")
        );
        // Quadratic renaming took minutes; linear is well under a few seconds in debug.
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
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
        assert!(got[1].1.starts_with("error: no name, company"), "{got:?}");
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

/// Property tests: generated inputs of every shape the readers take, in their thousands.
/// None may panic, hang, or take more than linear time.
#[cfg(test)]
mod properties {
    use super::*;

    /// A seeded xorshift: the same cases on every run.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    fn drain(bytes: &[u8], shape: Option<InputShape>) -> usize {
        let Ok(mut reader) = LeadReader::new(bytes, shape, ReadOptions::default()) else {
            return 0;
        };
        let mut count = 0;
        while let Ok(Some(_)) = reader.next_record() {
            count += 1;
            let _ = reader.original();
        }
        count
    }

    const HEADERS: [&str; 16] = [
        "Email",
        "E-mail Address",
        "First Name",
        "Name",
        "Company",
        "Phone",
        "Title",
        "Job Title",
        "Created Date",
        "Create Date",
        "Lead Status",
        "Lead Source",
        "Tags",
        "Record ID",
        "Notes",
        "Shoe Size",
    ];
    const CELLS: [&str; 24] = [
        "",
        "ada@example.com",
        "Bob <bob@example.com>",
        "bob@",
        "null",
        "(null)",
        "Ada Lovelace",
        "2/5/24 1:51",
        "13/2/24",
        "15 Apr, 2021 00:03:00",
        "2025-03-04",
        "9999-12-31",
        "Bad Timing",
        "Closed - Converted",
        "a ::: b ::: c",
        "* myContacts ::: Friends",
        "=cmd",
        "Dr.",
        "1,200",
        "\u{1b}[2J",
        "é",
        "x\u{0}y",
        "urn:li:member:1",
        "  ",
    ];

    /// A random CSV: a header of known and unknown names (repeated ones too), rows of
    /// tricky values, quoted or not, ragged or not, with any line ending and delimiter.
    fn csv_case(random: &mut Random) -> Vec<u8> {
        let delimiter = random.pick(&[",", ";", "\t"]);
        let end = random.pick(&["\n", "\r\n", "\r"]);
        let columns = 1 + random.below(8);
        let mut text = String::new();
        if random.below(4) == 0 {
            text.push_str(&format!("Notes:{end}\"a preamble, quoted\"{end}{end}"));
        }
        let header: Vec<&str> = (0..columns).map(|_| random.pick(&HEADERS)).collect();
        text.push_str(&header.join(delimiter));
        text.push_str(end);
        for _ in 0..random.below(12) {
            let width = match random.below(6) {
                0 => columns.saturating_sub(1),
                1 => columns + 1,
                _ => columns,
            };
            let cells: Vec<String> = (0..width)
                .map(|_| {
                    let cell = random.pick(&CELLS);
                    match random.below(5) {
                        0 => format!("\"{}\"", cell.replace('"', "\"\"")),
                        1 => format!("\"{cell}{end}{delimiter}\"\"x\"\"\""),
                        _ => cell.to_string(),
                    }
                })
                .collect();
            text.push_str(&cells.join(delimiter));
            if random.below(20) == 0 {
                text.push('"');
            }
            text.push_str(end);
        }
        let mut bytes = text.into_bytes();
        if random.below(5) == 0 {
            bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
        }
        bytes
    }

    fn json_value(random: &mut Random, depth: usize) -> Value {
        match random.below(if depth > 2 { 4 } else { 6 }) {
            0 => Value::Null,
            1 => Value::Bool(random.below(2) == 0),
            2 => Value::from(random.next() as i64 >> random.below(60)),
            3 => Value::String(random.pick(&CELLS).to_string()),
            4 => Value::Array(
                (0..random.below(4))
                    .map(|_| json_value(random, depth + 1))
                    .collect(),
            ),
            _ => Value::Object(
                (0..random.below(6))
                    .map(|_| {
                        let key = random.pick(&HEADERS).to_string();
                        (key, json_value(random, depth + 1))
                    })
                    .collect(),
            ),
        }
    }

    fn vcard_case(random: &mut Random) -> Vec<u8> {
        let lines = [
            "BEGIN:VCARD",
            "END:VCARD",
            "VERSION:4.0",
            "FN:Ada Lovelace",
            "N:Lovelace;Ada;;;",
            "EMAIL;PREF=1:ada@example.com",
            "item1.EMAIL;type=pref:bad@",
            "TEL:tel:+1-555",
            "ORG:Acme\\;Inc;Sales",
            "NOTE:a\\nb\\",
            " folded",
            "\tfolded",
            "CATEGORIES:a,b",
            "ADR:;;;;;;France",
            "UID:x",
            "X-ODD;\"q:uoted\":v",
            ":",
            ";;;",
            "PHOTO:AAAA",
        ];
        let mut text = String::new();
        for _ in 0..random.below(30) {
            text.push_str(random.pick(&lines));
            text.push_str(random.pick(&["\r\n", "\n"]));
        }
        text.into_bytes()
    }

    #[test]
    fn generated_files_of_every_shape_never_panic() {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3_000 {
            let csv = csv_case(&mut random);
            drain(&csv, None);
            drain(&csv, Some(InputShape::Csv));
            let records: Vec<Value> = (0..random.below(5))
                .map(|_| json_value(&mut random, 0))
                .collect();
            let array = serde_json::to_vec(&Value::Array(records.clone())).unwrap_or_default();
            drain(&array, None);
            let lines: Vec<String> = records.iter().map(Value::to_string).collect();
            drain(lines.join("\n").as_bytes(), Some(InputShape::Ndjson));
            let vcf = vcard_case(&mut random);
            drain(&vcf, Some(InputShape::Vcard));
            drain(&vcf, None);
        }
    }

    #[test]
    fn hostile_shapes_take_linear_time() {
        let mb = 1 << 20;
        let cases: Vec<(&str, Vec<u8>, Option<InputShape>)> = vec![
            (
                "an unterminated quote",
                [
                    b"Email,Notes\na@example.com,\"".to_vec(),
                    vec![b'x'; 4 * mb],
                ]
                .concat(),
                None,
            ),
            (
                "quotes only",
                [
                    b"Email,Notes\na@example.com,\"".to_vec(),
                    vec![b'"'; 4 * mb],
                ]
                .concat(),
                None,
            ),
            ("one long line", vec![b','; 2 * mb], None),
            ("blank lines", vec![b'\n'; 4 * mb], None),
            (
                "CR only",
                [b"Email\r".to_vec(), b"a@example.com\r".repeat(200_000)].concat(),
                None,
            ),
            (
                "folded vCard",
                [b"BEGIN:VCARD\nNOTE:".to_vec(), b"\n x".repeat(mb)].concat(),
                None,
            ),
            (
                "a vCard of many emails",
                [
                    b"BEGIN:VCARD\n".to_vec(),
                    b"EMAIL:a@example.com\n".repeat(100_000),
                ]
                .concat(),
                None,
            ),
            (
                "deep NDJSON",
                format!("{}{}", "[".repeat(100), "]".repeat(100)).into_bytes(),
                Some(InputShape::Ndjson),
            ),
        ];
        for (name, bytes, shape) in cases {
            let started = std::time::Instant::now();
            drain(&bytes, shape);
            // Generous for a debug build on a busy machine; quadratic would take minutes.
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "{name}"
            );
        }
    }
}
