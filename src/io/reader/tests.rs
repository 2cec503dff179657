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
    let csv =
        b"Name,Email,Notes\r\nAda,ada@example.com,\"two\r\nlines\"\r\n,,\r\nBo,bo@example.com,\r\n";
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
fn the_date_look_ahead_stops_at_its_bytes_and_leaves_the_order_unsettled() {
    // Big rows fill the look-ahead's bytes (1 MiB in unit tests, 64 MiB in the binary)
    // long before its 50,000 rows: the late value that would settle the order is not
    // reached, so the first date stays unread (kept, warned), never guessed.
    let big = "x".repeat(100 << 10);
    let mut csv = b"Email,Create Date,Notes
"
    .to_vec();
    for n in 0..40 {
        csv.extend(format!("p{n}@example.com,2/5/24 1:51,{big}\n").as_bytes());
    }
    csv.extend(b"late@example.com,2/13/24 9:00,\n");
    let records = read_all(&csv, InputShape::Csv).unwrap();
    let Ok(Some(first)) = &records[0].1 else {
        panic!()
    };
    assert_eq!(first.lead.created_at, None);
    assert!(!first.unread_dates.is_empty());
    // Read by itself, the late row still settles its own value.
    let Ok(Some(late)) = &records[40].1 else {
        panic!()
    };
    assert_eq!(
        late.lead.created_at.map(crate::model::rfc3339).as_deref(),
        Some("2024-02-13T09:00:00Z")
    );
}

#[test]
fn a_json_array_is_read_element_by_element() {
    // Strings with brackets, commas and escaped quotes do not end an element; nested
    // arrays and objects do not either.
    let json = br#"  [ {"email": "a@example.com", "notes": "x], \"y\", {z"},
        {"email":"b@example.com","tags":["t,1",["n"]],"extra":{"k":[1,2]}}
        ,
        {"email": "c@example.com"}
    ]
    "#;
    let got = emails(&read_all(json, InputShape::Json).unwrap());
    assert_eq!(
        got,
        [
            (1, "a@example.com".to_string()),
            (2, "b@example.com".to_string()),
            (3, "c@example.com".to_string()),
        ]
    );
    assert!(read_all(b"[]", InputShape::Json).unwrap().is_empty());
    assert!(read_all(b" [ \n ] \n", InputShape::Json)
        .unwrap()
        .is_empty());
    // A value that is no object is a rejected record, as before.
    let got = emails(&read_all(b"[1, {\"email\": \"a@example.com\"}]", InputShape::Json).unwrap());
    assert_eq!(got[0], (1, "error: not a JSON object".to_string()));
}

#[test]
fn a_json_array_that_is_not_valid_json_names_the_line() {
    let cases: [(&[u8], &str); 7] = [
        (
            b"[{\"email\": \"a@example.com\"},\n{\"email\": }]",
            "at line 2",
        ),
        (
            b"[{\"email\": \"a@example.com\"},]",
            "a value was expected at line 1",
        ),
        (b"[,{}]", "a value was expected at line 1"),
        (
            b"[{\"email\": \"a@example.com\"}\n",
            "the input ends before the array's closing ]",
        ),
        (b"[{\"notes\": \"never closed}]", "the input ends before"),
        (
            b"[{}]\n\n[{}]",
            "more text after the array's closing ] at line 3",
        ),
        (
            b"{\"email\": \"a@example.com\"}",
            "expected a JSON array of leads",
        ),
    ];
    for (input, expected) in cases {
        let mut reader =
            LeadReader::new(input, Some(InputShape::Json), ReadOptions::default()).unwrap();
        let err = loop {
            match reader.next_record() {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("{}: no error", String::from_utf8_lossy(input)),
                Err(err) => break err.to_string(),
            }
        };
        assert!(
            err.contains(expected),
            "{}: {err}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn a_json_element_over_the_limit_is_refused_naming_its_line() {
    let limit = crate::io::bounded::MAX_RECORD_BYTES as usize;
    let mut json = b"[\n{\"email\": \"a@example.com\"},\n\n{\"notes\": \"".to_vec();
    json.resize(json.len() + limit, b'x');
    json.extend_from_slice(b"\"}]");
    let err = read_all(&json, InputShape::Json).unwrap_err().to_string();
    assert!(err.starts_with("line 4 is longer than 16 MiB"), "{err}");
    // Blanks count too: a file of spaces after `[` never runs on unbounded.
    let mut blanks = b"[".to_vec();
    blanks.resize(limit + 10, b' ');
    let err = read_all(&blanks, InputShape::Json).unwrap_err().to_string();
    assert!(err.contains("longer than 16 MiB"), "{err}");
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
