use super::tables::cut;
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

#[test]
fn a_marker_is_never_cut_and_columns_go_before_it_would_be() {
    const COLUMNS: [Column; 3] = [
        Column::number("id", "ID"),
        Column::text("name", "NAME").marked("marker"),
        Column::text("email", "EMAIL").dropped(1),
    ];
    let records = vec![
        json!({"id": 1, "name": "Linus Torvalds", "marker": "do not contact", "email": "linus@linux.test"}),
        json!({"id": 2, "name": "Bo", "email": "bo@x.test"}),
    ];
    let style = |width| TableStyle {
        width: Some(width),
        color: false,
    };
    assert_eq!(
        table_with(&COLUMNS, &records, TableStyle::default()),
        "ID  NAME                             EMAIL\n \
          1  Linus Torvalds (do not contact)  linus@linux.test\n \
          2  Bo                               bo@x.test"
    );
    // The text before the marker is cut, down to six columns.
    assert_eq!(
        table_with(&COLUMNS, &records, style(40)),
        "ID  NAME                     EMAIL\n \
          1  Linus… (do not contact)  linus@linu…\n \
          2  Bo                       bo@x.test"
    );
    // Narrower still: the email column is left out rather than the marker cut.
    assert_eq!(
        table_with(&COLUMNS, &records, style(30)),
        "ID  NAME\n \
          1  Linus To… (do not contact)\n \
          2  Bo"
    );
    assert_eq!(
        table_with(&COLUMNS, &records, style(20)),
        "ID  NAME\n \
          1  Linus… (do not contact)\n \
          2  Bo"
    );
}

#[test]
fn a_local_time_is_written_as_chrono_formats_it() {
    use chrono::{Local, TimeZone, Utc};
    for seconds in [
        0_i64,
        1_700_000_000,
        -2_208_988_800,
        7_258_118_399,
        1_711_846_800,
    ] {
        let at = Utc.timestamp_opt(seconds, 0).unwrap();
        assert_eq!(
            crate::output::local(at),
            at.with_timezone(&Local)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            "{at}"
        );
    }
}

#[test]
fn a_stored_time_is_read_by_hand_as_chrono_reads_it() {
    use chrono::DateTime;
    for text in [
        "2026-03-05T14:30:00Z",
        "1970-01-01T00:00:00Z",
        "2000-02-29T23:59:59Z",
        "2026-03-05T14:30:00+01:00",
        "2026-02-30T09:00:00Z",
        "2026-03-05T14:30:60Z",
        "+10000-01-01T23:58:59Z",
        "2026-03-05 14:30",
        "soon",
        "",
    ] {
        let chrono = DateTime::parse_from_rfc3339(text)
            .map(|at| crate::output::local(at.to_utc()))
            .unwrap_or_else(|_| text.to_string());
        assert_eq!(crate::output::local_time(text), chrono, "{text}");
    }
}
