use super::*;
use crate::dates::imported::{read_date, Order};

#[test]
fn plain_dates_read_as_the_date_reader_reads_them() {
    for text in [
        "2025-03-04",
        "2025-03-04 14:30",
        "2025-03-04T14:30",
        "2025-03-04 14:30:15",
        "2025-03-04T23:59:59",
        "2024-02-29 00:00",
    ] {
        assert_eq!(
            plain_date(text),
            read_date(text, None, Order::Unknown).ok(),
            "{text}"
        );
    }
    // Left to the slow path: zones, fractions, impossible values, other shapes.
    for text in [
        "2025-03-04 14:30Z",
        "2025-03-04 14:30:15.5",
        "2025-03-04 24:00",
        "2025-02-30",
        "2025-03-04 14.30",
        "2025-03-04 14:30 15",
        "03/04/2025",
    ] {
        assert_eq!(plain_date(text), None, "{text}");
    }
}
use crate::io::mapping::map_headers;

fn row(headers: &[&str], values: &[&str]) -> Result<Option<Converted>, String> {
    row_with(headers, values, RowOptions::default())
}

fn row_with(
    headers: &[&str],
    values: &[&str],
    options: RowOptions<'_>,
) -> Result<Option<Converted>, String> {
    let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    let mapping = map_headers(&headers, &[]);
    let options = RowOptions {
        leads_export: mapping.leads_export,
        ..options
    };
    lead_from_cells(
        mapping
            .targets
            .iter()
            .zip(mapping.keys.iter().map(String::as_str))
            .zip(values.iter().copied())
            .map(|((t, h), v)| (t, h, v, Order::Unknown)),
        options,
    )
}

fn lead(headers: &[&str], values: &[&str]) -> Converted {
    row(headers, values).unwrap().unwrap()
}

#[test]
fn a_whole_name_is_split_and_fields_are_trimmed() {
    let got = lead(
        &["Name", "E-mail", "Company"],
        &[" Ada Lovelace ", "ada@example.com ", "Acme, Inc."],
    );
    assert_eq!(got.lead.first_name.as_deref(), Some("Ada"));
    assert_eq!(got.lead.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(got.lead.email.as_deref(), Some("ada@example.com"));
    assert_eq!(got.lead.company.as_deref(), Some("Acme, Inc."));
    assert!(got.warnings.is_empty());
}

#[test]
fn unknown_columns_and_second_values_go_to_attributes_a_second_phone_as_phone_2() {
    let got = lead(
        &[
            "Email",
            "Mobile Phone",
            "Business Phone",
            "Shoe Size",
            "Empty",
        ],
        &["bo@example.com", "+1 555 0100", "+1 555 0199", "44", ""],
    );
    assert_eq!(got.lead.phone.as_deref(), Some("+1 555 0100"));
    let attributes: Vec<(&str, &str)> = got
        .lead
        .attributes
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        attributes,
        vec![("Shoe Size", "44"), ("phone 2", "+1 555 0199")]
    );
}

#[test]
fn a_title_that_is_an_honorific_is_kept_apart() {
    let doctor = lead(&["Title", "Name"], &["Dr.", "Grace Hopper"]);
    assert_eq!(doctor.lead.title, None);
    assert_eq!(
        doctor.lead.attributes.get("Title").map(String::as_str),
        Some("Dr.")
    );
    let vp = lead(&["Title", "Name"], &["VP Sales", "Grace Hopper"]);
    assert_eq!(vp.lead.title.as_deref(), Some("VP Sales"));
    assert!(!is_honorific("Director"));
    assert!(is_honorific("Mrs"));
}

#[test]
fn statuses_and_sources_map_or_warn() {
    let got = lead(
        &["Email", "Lead Status", "Lead Source"],
        &["c@example.com", "Closed - Converted", "Trade Show"],
    );
    assert_eq!(got.lead.status, Some(Status::Won));
    assert_eq!(got.lead.source.as_deref(), Some("trade_show"));
    assert!(got.warnings.is_empty());

    let odd = lead(
        &["Email", "Lead Status", "Original Source"],
        &["c@example.com", "Sleeping", "Organic Search"],
    );
    assert_eq!(odd.lead.status, None);
    assert_eq!(odd.lead.source.as_deref(), Some("organic_search"));
    assert_eq!(
        odd.lead.attributes.get("Lead Status").map(String::as_str),
        Some("Sleeping")
    );
    assert_eq!(
        odd.lead
            .attributes
            .get("Original Source")
            .map(String::as_str),
        Some("Organic Search")
    );
    assert_eq!(
        odd.warnings,
        vec![
            "unknown status 'Sleeping'; kept in attributes as 'Lead Status'",
            "unknown source 'Organic Search'; kept in attributes as 'Original Source'"
        ]
    );
}

#[test]
fn bad_rows_are_rejected_with_a_reason() {
    let err = row(&["Notes"], &["just a note"]).unwrap_err();
    assert!(
        err.starts_with("no name, company, email, phone, website or external id"),
        "{err}"
    );
    let err = row(&["Email"], &["urn:li:member:664293716"]).unwrap_err();
    assert!(err.starts_with("no name, company"), "{err}");
    assert_eq!(row(&["Email", "Name"], &["", " "]), Ok(None));
    assert_eq!(row(&["Email", "Name"], &["null", "(null)"]), Ok(None));
    let strict = RowOptions {
        strict: true,
        ..RowOptions::default()
    };
    let err = row_with(&["Name", "Created Date"], &["Ann", "03/04/2025"], strict).unwrap_err();
    assert!(
        err.starts_with("Created Date: ambiguous date '03/04/2025'"),
        "{err}"
    );
}

#[test]
fn unusable_values_keep_the_row() {
    let got = lead(
        &["Name", "Email", "Created Date", "Phone"],
        &["Ann Lee", "urn:li:member:664293716", "03/04/2025", "NULL"],
    );
    assert_eq!(got.lead.email, None);
    assert_eq!(got.lead.phone, None);
    assert_eq!(got.lead.created_at, None);
    assert_eq!(
        got.lead.attributes.get("Email").map(String::as_str),
        Some("urn:li:member:664293716")
    );
    assert_eq!(
        got.lead.attributes.get("Created Date").map(String::as_str),
        Some("03/04/2025")
    );
    assert!(got.warnings[0].starts_with("invalid email 'urn:li:member:664293716'"));
    assert_eq!(got.unread_dates.len(), 1);
    assert_eq!(got.unread_dates[0].column, "Created Date");
}

#[test]
fn google_joins_are_found() {
    assert_eq!(google_join("a ::: b"), Some(1));
    assert_eq!(google_join("14:30 x ::: y"), Some(7));
    assert_eq!(google_join("a :: b ::: c"), Some(6));
    assert_eq!(google_join(":::"), None);
    assert_eq!(google_join("a:::b"), None);
}

#[test]
fn google_values_and_mail_names() {
    let got = lead(
        &["Name", "E-mail 1 - Value", "Phone 1 - Value"],
        &[
            "",
            "Ann Lee <ann@example.com> ::: ann@home.example",
            "+1 555 0100 ::: +1 555 0199",
        ],
    );
    assert_eq!(got.lead.email.as_deref(), Some("ann@example.com"));
    assert_eq!(got.lead.first_name.as_deref(), Some("Ann"));
    assert_eq!(got.lead.phone.as_deref(), Some("+1 555 0100"));
    assert_eq!(
        got.lead
            .attributes
            .get("E-mail 1 - Value")
            .map(String::as_str),
        Some("ann@home.example")
    );
    assert_eq!(
        got.lead
            .attributes
            .get("Phone 1 - Value")
            .map(String::as_str),
        Some("+1 555 0199")
    );
}

#[test]
fn dates_read_with_the_format_given() {
    let options = RowOptions {
        date_format: Some("%d/%m/%Y"),
        ..RowOptions::default()
    };
    let got = row_with(&["Name", "Created Date"], &["Ann", "03/04/2025"], options)
        .unwrap()
        .unwrap();
    assert_eq!(
        got.lead
            .created_at
            .map(crate::dates::imported::wall_clock)
            .as_deref(),
        Some("2025-04-03T00:00:00Z")
    );
}

#[test]
fn opt_out_columns_set_do_not_contact() {
    for (value, expected) in [
        ("yes", true),
        ("TRUE", true),
        ("1", true),
        ("x", true),
        ("no", false),
        ("0", false),
    ] {
        let got = lead(
            &["Email", "Do Not Email", "DoNotCall"],
            &["d@example.com", value, ""],
        );
        assert_eq!(got.lead.do_not_contact, expected, "{value}");
    }
    let either = lead(
        &["Email", "Email Opt Out", "Do Not Call"],
        &["d@example.com", "false", "true"],
    );
    assert!(either.lead.do_not_contact);
}

#[test]
fn neutralized_cells_come_back() {
    assert_eq!(unneutralize("'+1 555"), "+1 555");
    assert_eq!(unneutralize("'=SUM(A1)"), "=SUM(A1)");
    assert_eq!(unneutralize("'quoted'"), "'quoted'");
    let got = lead(&["Name", "Phone"], &["Al", "'+44 20 7946 0000"]);
    assert_eq!(got.lead.phone.as_deref(), Some("+44 20 7946 0000"));
}

#[test]
fn tags_in_the_shapes_exports_write() {
    let cases = [
        ("a; b", vec!["a", "b"]),
        ("VIP, Expo 2025", vec!["vip", "expo 2025"]),
        (
            "* myContacts ::: Customers ::: Friends",
            vec!["customers", "friends"],
        ),
        ("\"alpha\",\"beta\"", vec!["alpha", "beta"]),
    ];
    for (text, expected) in cases {
        assert_eq!(split_tags(text, false), expected, "{text}");
    }
    assert_eq!(split_tags("a, b;c", true), vec!["a, b", "c"]);
}

#[test]
fn our_own_columns_read_back() {
    let got = lead(
        &[
            "email",
            "external_id",
            "attributes",
            "do_not_contact",
            "tags",
            "source",
            "incentivized",
            "budget",
        ],
        &[
            "e@example.com",
            "X-1",
            "{\"Shoe Size\":\"44\"}",
            "true",
            "vip;expo",
            "podcast",
            "true",
            "yes",
        ],
    );
    assert_eq!(
        got.lead.attributes.get("Shoe Size").map(String::as_str),
        Some("44")
    );
    assert!(got.lead.do_not_contact && got.lead.incentivized);
    assert_eq!(got.lead.tags, vec!["vip", "expo"]);
    assert_eq!(got.lead.source.as_deref(), Some("podcast"));
    assert_eq!(got.lead.budget, Answer::Yes);
    assert!(got.warnings.is_empty());
}

#[test]
fn our_own_cells_and_tags_read_back_as_written() {
    use crate::io::cells::{join_tags, neutralize};
    let tags: Vec<String> = ["a;b", "*star", "back\\slash;", "'tick"]
        .map(String::from)
        .to_vec();
    let cell = neutralize(&join_tags(&tags)).into_owned();
    let (value, _) = read_our_cell(&cell);
    assert_eq!(split_tags(value, true), tags);
    for text in [
        "Null", "(null)", "'quoted", "''twice", "=SUM(A1)", "'=x", "plain",
    ] {
        assert_eq!(read_our_cell(&neutralize(text)).0, text, "{text}");
    }
    // An older export wrote `'quoted` for 'quoted: still itself.
    assert_eq!(read_our_cell("'quoted"), ("'quoted", false));
}

#[test]
fn placeholders_and_spreadsheet_damage_are_not_data() {
    let got = lead(
        &["Domain", "Company Name", "Email", "Phone", "Name"],
        &[
            "acme.example",
            "Upgrade to reveal",
            "N/A",
            "'+1 555 0100",
            "-",
        ],
    );
    assert_eq!(got.lead.company, None);
    assert_eq!(got.lead.email, None);
    assert_eq!(got.lead.phone.as_deref(), Some("+1 555 0100"));
    assert_eq!(got.lead.first_name, None);
    assert!(!got.lead.attributes.contains_key("Company Name"));
    // A rounded id names nobody: kept, said once for the column.
    let got = lead(&["Record ID", "Email"], &["1.52533E+11", "ada@example.com"]);
    assert_eq!(got.lead.external_id, None);
    assert_eq!(
        got.lead.attributes.get("Record ID").map(String::as_str),
        Some("1.52533E+11")
    );
    assert_eq!(got.notices.len(), 1);
    // An email in a name column is not a name; it is the email when none is given.
    let got = lead(&["Name", "Company"], &["ada@example.com", "Acme"]);
    assert_eq!(got.lead.first_name, None);
    assert_eq!(got.lead.email.as_deref(), Some("ada@example.com"));
    // A name typed with its title.
    let got = lead(&["Name"], &["Sarah O'Connor, CFO"]);
    assert_eq!(
        (
            got.lead.first_name.as_deref(),
            got.lead.last_name.as_deref()
        ),
        (Some("Sarah"), Some("O'Connor"))
    );
    assert_eq!(got.lead.title.as_deref(), Some("CFO"));
}
