//! Property tests (proptest): generated inputs of every shape the readers take: CSV and
//! TSV (any delimiter, line ending, quoting, ragged rows, a preamble, a BOM), JSON, NDJSON
//! and vCard, and random bytes read as each. None may panic or hang; long inputs take linear
//! time (`hostile_shapes_take_linear_time`).
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use std::time::{Duration, Instant};

use super::*;

/// Cases per property: enough to reach every branch of the generators, few enough that the
/// readers' properties take a second or two in a debug build.
const CASES: u32 = 600;

/// Reading one generated input, however odd, takes far less than this; a hang never ends.
const PATIENCE: Duration = Duration::from_secs(10);

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
/// tricky values, quoted or not, ragged or not, with any line ending and delimiter (a tab
/// makes it TSV), sometimes a preamble, a stray quote or a BOM.
fn csv_case() -> impl Strategy<Value = Vec<u8>> {
    let shape = (
        select(vec![",", ";", "\t"]),
        select(vec!["\n", "\r\n", "\r"]),
        1..9usize,
    );
    shape
        .prop_flat_map(|(delimiter, end, columns)| {
            let width = prop_oneof![
                4 => Just(columns),
                1 => Just(columns.saturating_sub(1)),
                1 => Just(columns + 1),
            ];
            let row = (
                width.prop_flat_map(|width| vec((select(CELLS.to_vec()), 0..5u8), width)),
                prop::bool::weighted(0.05),
            );
            (
                Just((delimiter, end)),
                prop::bool::weighted(0.25),
                vec(select(HEADERS.to_vec()), columns),
                vec(row, 0..12),
                prop::bool::weighted(0.2),
            )
        })
        .prop_map(|((delimiter, end), preamble, header, rows, bom)| {
            let mut text = String::new();
            if preamble {
                text.push_str(&format!("Notes:{end}\"a preamble, quoted\"{end}{end}"));
            }
            text.push_str(&header.join(delimiter));
            text.push_str(end);
            for (cells, stray_quote) in rows {
                let cells: Vec<String> = cells
                    .into_iter()
                    .map(|(cell, quoting)| match quoting {
                        0 => format!("\"{}\"", cell.replace('"', "\"\"")),
                        1 => format!("\"{cell}{end}{delimiter}\"\"x\"\"\""),
                        _ => cell.to_string(),
                    })
                    .collect();
                text.push_str(&cells.join(delimiter));
                if stray_quote {
                    text.push('"');
                }
                text.push_str(end);
            }
            let mut bytes = text.into_bytes();
            if bom {
                bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
            }
            bytes
        })
}

/// A JSON value a few levels deep, with the readers' own header names as keys.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        select(CELLS.to_vec()).prop_map(|cell| Value::String(cell.to_string())),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((select(HEADERS.to_vec()), inner), 0..6).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(key, value)| (key.to_string(), value))
                        .collect(),
                )
            }),
        ]
    })
}

/// vCard lines, whole, broken and folded, in any order.
fn vcard_case() -> impl Strategy<Value = Vec<u8>> {
    let lines = vec![
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
    vec((select(lines), select(vec!["\r\n", "\n"])), 0..30).prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(line, end)| [line, end])
            .collect::<String>()
            .into_bytes()
    })
}

/// Random bytes: half from CSV's and JSON's own punctuation (so the parsers go deep),
/// half any byte at all.
fn byte_soup() -> impl Strategy<Value = Vec<u8>> {
    let alphabet = b",\"\r\n;'=+-@ aZ\xC3\xA9\xFF\x00{}[]:\t".to_vec();
    prop_oneof![vec(select(alphabet), 0..200), vec(any::<u8>(), 0..200),]
}

/// Read `bytes` as `shape` (None: as sniffed), in far less than `PATIENCE`.
fn drain_in_time(bytes: &[u8], shape: Option<InputShape>) {
    let started = Instant::now();
    drain(bytes, shape);
    assert!(
        started.elapsed() < PATIENCE,
        "{shape:?} took {:?}",
        started.elapsed()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn generated_csv_and_tsv_never_panic(csv in csv_case()) {
        drain_in_time(&csv, None);
        drain_in_time(&csv, Some(InputShape::Csv));
    }

    #[test]
    fn generated_json_and_ndjson_never_panic(records in vec(json_value(), 0..5)) {
        let array = serde_json::to_vec(&Value::Array(records.clone())).unwrap_or_default();
        drain_in_time(&array, None);
        drain_in_time(&array, Some(InputShape::Json));
        let lines: Vec<String> = records.iter().map(Value::to_string).collect();
        drain_in_time(lines.join("\n").as_bytes(), Some(InputShape::Ndjson));
        drain_in_time(lines.join("\n").as_bytes(), None);
    }

    #[test]
    fn generated_vcards_never_panic(vcf in vcard_case()) {
        drain_in_time(&vcf, Some(InputShape::Vcard));
        drain_in_time(&vcf, None);
    }

    #[test]
    fn random_bytes_never_panic(bytes in byte_soup()) {
        for shape in [InputShape::Csv, InputShape::Ndjson, InputShape::Json, InputShape::Vcard] {
            drain_in_time(&bytes, Some(shape));
        }
        drain_in_time(&bytes, None);
        let with_header = [
            b"Name,Email,Title,Created Date,Lead Status\n".as_slice(),
            &bytes,
        ]
        .concat();
        drain_in_time(&with_header, Some(InputShape::Csv));
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
