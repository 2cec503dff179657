//! Property tests: generated inputs of every shape the readers take, in their thousands.
//! None may panic, hang, or take more than linear time.
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
