//! One row of an imported file -> a lead, or the reason it cannot be one.
//!
//! Pure: the cells come with their column's target and header; nothing here reads a file
//! or the database. Values a column cannot use are never silently dropped, and never cost
//! the row while the lead has an identity: an invalid email, an unknown status or source,
//! an unreadable size, flag or date, an honorific in a title column are kept in
//! `attributes` (with a warning, or for dates an `UnreadDate` the summary reports once
//! per column). `null`, `NULL` and `(null)` are empty; `a ::: b` (Google) gives `a` to the
//! field and keeps `b`.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::dates_in::{read_date, Order};
use super::mapping::{Field, Target};
use crate::model::{
    is_known_source, normalize_source, parse_amount, parse_company_size, parse_email_address,
    parse_source, split_name, Answer, Lead, Status,
};

/// How to read values.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowOptions<'a> {
    /// `--date-format`, for dates that are not ISO 8601.
    pub date_format: Option<&'a str>,
    /// The file came from `leads export`: sources are ours already, tags are `;`-separated.
    pub leads_export: bool,
    /// `--strict`: a date that cannot be read rejects the row instead of being kept.
    pub strict: bool,
}

/// One cell of a row: its column's target, the column's name (unique in the file: the
/// attribute key), its value, and the order the column's numeric dates read in.
pub type Cell<'a> = (&'a Target, &'a str, &'a str, Order);

/// A lead read from a row, and what was odd about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    pub lead: Lead,
    pub warnings: Vec<String>,
    /// Dates that could not be read (kept in attributes): the column and why.
    pub unread_dates: Vec<UnreadDate>,
}

/// A date kept in attributes because it could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadDate {
    pub column: String,
    pub message: String,
}

/// Turn a row's cells (target, header, value) into a lead. `Ok(None)` for a row with no
/// value at all; `Err(reason)` for a row that cannot be imported.
pub fn lead_from_cells<'a>(
    cells: impl Iterator<Item = Cell<'a>>,
    options: RowOptions<'_>,
) -> Result<Option<Converted>, String> {
    let mut lead = Lead::default();
    let mut warnings = Vec::new();
    let mut unread_dates = Vec::new();
    let mut full_name: Option<(&str, &str)> = None;
    let mut email_name: Option<String> = None;
    // The word a source synonym was given as ("LinkedIn" for social): the detail, unless
    // the row has a source detail of its own.
    let mut source_word: Option<String> = None;
    let mut empty = true;
    for (target, header, raw, order) in cells {
        let value = unneutralize(raw);
        let mut text = value.trim();
        if text.is_empty() || is_null(text) {
            continue;
        }
        empty = false;
        // Google joins several values with " ::: ": the first is the field's, the rest kept.
        if let (Target::Field(field), Some(at)) = (target, google_join(text)) {
            if !matches!(field, Field::Tags | Field::Notes | Field::Attributes) {
                keep(&mut lead.attributes, header, text[at + 5..].trim());
                text = text[..at].trim();
            }
        }
        let field = match target {
            Target::Drop => continue,
            Target::Attribute => {
                keep(&mut lead.attributes, header, value);
                continue;
            }
            Target::Field(field) => *field,
        };
        let honorific = field == Field::Title && is_honorific(text);
        let profile = field == Field::Website && is_profile_url(text);
        if let (Some((slot, attributes)), false) =
            (text_slot(&mut lead, field), honorific || profile)
        {
            set_text(slot, attributes, header, text);
            continue;
        }
        if matches!(field, Field::CreatedAt | Field::UpdatedAt | Field::Timeline) {
            let unread = fill_date(&mut lead, field, header, value, text, options, order)?;
            unread_dates.extend(unread);
            continue;
        }
        fill_other(
            &mut lead,
            field,
            (header, value, text),
            options,
            &mut warnings,
            (&mut full_name, &mut email_name, &mut source_word),
        )?;
    }
    if empty {
        return Ok(None);
    }
    if lead.source_detail.is_none() {
        lead.source_detail = source_word;
    }
    if let (None, None, None, Some(name)) =
        (&lead.first_name, &lead.last_name, full_name, email_name)
    {
        (lead.first_name, lead.last_name) = split_name(&name);
    }
    if let Some((header, full)) = full_name {
        if lead.first_name.is_none() && lead.last_name.is_none() {
            (lead.first_name, lead.last_name) = split_name(full);
        } else if full != lead.name() {
            // Both a whole name and its parts, disagreeing: keep what we did not use.
            keep(&mut lead.attributes, header, full);
        }
    }
    if !lead.has_identity() {
        return Err(
            "no name, company, email, phone or external id: nothing to know the lead by".into(),
        );
    }
    Ok(Some(Converted {
        lead,
        warnings,
        unread_dates,
    }))
}

/// The fields that are not plain text nor dates: parsed, translated or split; a value
/// that cannot be used goes to attributes with a warning.
fn fill_other<'a>(
    lead: &mut Lead,
    field: Field,
    (header, value, text): (&'a str, &'a str, &'a str),
    options: RowOptions<'_>,
    warnings: &mut Vec<String>,
    (full_name, email_name, source_word): (
        &mut Option<(&'a str, &'a str)>,
        &mut Option<String>,
        &mut Option<String>,
    ),
) -> Result<(), String> {
    let attributes = &mut lead.attributes;
    let mut unusable = |problem: String, warnings: &mut Vec<String>| {
        warnings.push(format!("{problem}; kept in attributes as '{header}'"));
        keep(attributes, header, value);
    };
    match field {
        Field::FullName => {
            if full_name.is_none() {
                *full_name = Some((header, text));
            } else {
                keep(&mut lead.attributes, header, value);
            }
        }
        Field::Email => match parse_email_address(text) {
            Ok((name, email)) => {
                if lead.email.is_none() {
                    lead.email = Some(email);
                } else {
                    set_text(&mut lead.email, &mut lead.attributes, header, &email);
                }
                if let Some(name) = name {
                    email_name.get_or_insert(name);
                }
            }
            Err(err) => unusable(err, warnings),
        },
        // "Mr.", "Dr.": a salutation, not a job title.
        Field::Title => keep(&mut lead.attributes, header, value),
        // A LinkedIn profile is the person's page, not the company's website.
        Field::Website => keep(&mut lead.attributes, header, value),
        Field::FirstName
        | Field::LastName
        | Field::Phone
        | Field::Company
        | Field::Industry
        | Field::Country
        | Field::SourceDetail
        | Field::Notes
        | Field::ExternalId
        | Field::Need
        | Field::CreatedAt
        | Field::UpdatedAt
        | Field::Timeline => {}
        Field::CompanySize => match parse_company_size(text) {
            Ok(Some(size)) if lead.company_size.is_none() => lead.company_size = Some(size),
            Ok(_) => keep(&mut lead.attributes, header, value),
            Err(err) => unusable(err, warnings),
        },
        Field::Source => {
            if lead.source.is_some() {
                keep(&mut lead.attributes, header, value);
            } else if options.leads_export {
                // Our own export: the sources are ours already, typos included.
                lead.source = Some(normalize_source(text));
            } else {
                // The same reading as `add --source`: a synonym keeps its word as the
                // detail, a near miss of a known source is taken with a warning.
                let reading = parse_source(text);
                if let Some(warning) = reading.warning {
                    warnings.push(warning);
                } else if !is_known_source(&reading.source) {
                    unusable(format!("unknown source '{text}'"), warnings);
                }
                *source_word = reading.detail;
                lead.source = Some(reading.source);
            }
        }
        Field::Status => match Status::from_synonym(text) {
            Some(status) if lead.status.is_none() => lead.status = Some(status),
            Some(_) => keep(&mut lead.attributes, header, value),
            None => unusable(format!("unknown status '{text}'"), warnings),
        },
        Field::Tags => {
            for tag in split_tags(text, options.leads_export) {
                if !lead.tags.contains(&tag) {
                    lead.tags.push(tag);
                }
            }
        }
        Field::Attributes => match parse_attributes(text) {
            Some(object) => {
                for (key, value) in object {
                    lead.attributes.entry(key).or_insert(value);
                }
            }
            None => unusable("attributes are not a JSON object".into(), warnings),
        },
        Field::Incentivized | Field::Aware | Field::DoNotContact => match parse_flag(text) {
            Some(flag) => match field {
                Field::Incentivized => lead.incentivized = flag,
                Field::Aware => lead.aware = flag,
                // Several opt-out columns: any one of them is enough.
                _ => lead.do_not_contact |= flag,
            },
            None => unusable(format!("'{text}' is not yes or no"), warnings),
        },
        Field::Budget | Field::Authority => match text.parse::<Answer>() {
            Ok(answer) if field == Field::Budget => lead.budget = answer,
            Ok(answer) => lead.authority = answer,
            Err(err) => unusable(err, warnings),
        },
        Field::DealValue => match parse_amount(text) {
            Ok(amount) if lead.deal_value.is_none() => lead.deal_value = Some(amount),
            Ok(_) => keep(&mut lead.attributes, header, value),
            Err(err) => unusable(err, warnings),
        },
    }
    Ok(())
}

/// The text field a column fills, with the attributes (for a second, different value).
fn text_slot(
    lead: &mut Lead,
    field: Field,
) -> Option<(&mut Option<String>, &mut BTreeMap<String, String>)> {
    let slot = match field {
        Field::FirstName => &mut lead.first_name,
        Field::LastName => &mut lead.last_name,
        Field::Phone => &mut lead.phone,
        Field::Company => &mut lead.company,
        Field::Title => &mut lead.title,
        Field::Industry => &mut lead.industry,
        Field::Country => &mut lead.country,
        Field::Website => &mut lead.website,
        Field::SourceDetail => &mut lead.source_detail,
        Field::Notes => &mut lead.notes,
        Field::ExternalId => &mut lead.external_id,
        Field::Need => &mut lead.need,
        _ => return None,
    };
    Some((slot, &mut lead.attributes))
}

/// A date column's value: the first column of a field wins (HubSpot's company "Create
/// Date" comes second); an unreadable date is kept in attributes and returned, or
/// rejects the row under `--strict`.
fn fill_date(
    lead: &mut Lead,
    field: Field,
    header: &str,
    value: &str,
    text: &str,
    options: RowOptions<'_>,
    order: Order,
) -> Result<Option<UnreadDate>, String> {
    let slot = match field {
        Field::CreatedAt => &mut lead.created_at,
        Field::UpdatedAt => &mut lead.updated_at,
        _ => &mut lead.timeline,
    };
    if slot.is_some() {
        keep(&mut lead.attributes, header, value);
        return Ok(None);
    }
    match date(text, options, order) {
        Ok(at) => {
            *slot = Some(at);
            Ok(None)
        }
        Err(message) if options.strict => Err(format!("{header}: {message}")),
        Err(message) => {
            keep(&mut lead.attributes, header, value);
            Ok(Some(UnreadDate {
                column: header.to_string(),
                message,
            }))
        }
    }
}

/// `leads export`'s attributes column (a JSON object) as keys and texts; None when it
/// is not an object.
fn parse_attributes(text: &str) -> Option<Vec<(String, String)>> {
    let object = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).ok()?;
    let pairs = object.into_iter().map(|(key, value)| {
        let value = match value {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        };
        (key, value)
    });
    Some(pairs.collect())
}

/// Where ` ::: ` (Google's join of several values) starts in a cell, if it does. Looks
/// for the colons with memchr: a substring search set up for every cell costs more than
/// the rest of the cell's conversion.
fn google_join(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).find_map(|at| {
        let start = at.checked_sub(1)?;
        (bytes.get(start..start + 5) == Some(b" ::: ".as_slice())).then_some(start)
    })
}

/// `null`, `NULL`, `Null`, `(null)`: what some exports write for nothing.
fn is_null(text: &str) -> bool {
    text.len() <= 6 && matches!(text, "null" | "NULL" | "Null" | "(null)")
}

/// A profile page on a social network (LinkedIn's `URL` column), not a website.
fn is_profile_url(text: &str) -> bool {
    text.contains("linkedin.com/")
}

/// Undo `leads export`'s protection against spreadsheet formulas: `'=SUM(A1)` -> `=SUM(A1)`,
/// `'+1 555` -> `+1 555`.
pub fn unneutralize(cell: &str) -> &str {
    match cell.as_bytes() {
        [b'\'', b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r', ..] => &cell[1..],
        _ => cell,
    }
}

/// Keep a value in the attributes under its header; a second column with the same header
/// (and another value) gets "Header (2)".
fn keep(attributes: &mut BTreeMap<String, String>, header: &str, value: &str) {
    let header = header.trim();
    let base = if header.is_empty() { "column" } else { header };
    let mut key = base.to_string();
    let mut count = 1;
    while let Some(existing) = attributes.get(&key) {
        if existing == value {
            return;
        }
        count += 1;
        key = format!("{base} ({count})");
    }
    attributes.insert(key, value.to_string());
}

/// Fill a field from the first column that has a value; a later, different value from
/// another column mapped to the same field (a second phone) is kept in the attributes.
fn set_text(
    slot: &mut Option<String>,
    attributes: &mut BTreeMap<String, String>,
    header: &str,
    text: &str,
) {
    match slot {
        None => *slot = Some(text.to_string()),
        Some(existing) if existing == text => {}
        Some(_) => keep(attributes, header, text),
    }
}

fn date(text: &str, options: RowOptions<'_>, order: Order) -> Result<DateTime<Utc>, String> {
    // The two shapes nearly every export writes, read without trying patterns: a large
    // import spends more time here than anywhere else otherwise.
    if options.date_format.is_none() {
        // Out of range goes the slow way, which says so.
        if let Some(day) = plain_date(text).filter(|day| crate::dates::in_range(*day)) {
            return Ok(day);
        }
    }
    read_date(text, options.date_format, order).map_err(|unread| unread.message)
}

/// `2025-03-04` (midnight), `2025-03-04 14:30` or `2025-03-04T14:30:15` exactly, in UTC,
/// as `parse_import_date` reads them; None for anything else, which goes the slow way.
fn plain_date(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    if !matches!(bytes.len(), 10 | 16 | 19) || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = &bytes[range];
        digits.iter().all(u8::is_ascii_digit).then(|| {
            digits
                .iter()
                .fold(0, |n, digit| n * 10 + u32::from(digit - b'0'))
        })
    };
    let day = chrono::NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    let time = if bytes.len() == 10 {
        chrono::NaiveTime::MIN
    } else {
        if !matches!(bytes[10], b' ' | b'T') || bytes[13] != b':' {
            return None;
        }
        let seconds = match bytes.len() {
            19 if bytes[16] == b':' => number(17..19)?,
            19 => return None,
            _ => 0,
        };
        chrono::NaiveTime::from_hms_opt(number(11..13)?, number(14..16)?, seconds)?
    };
    Some(day.and_time(time).and_utc())
}

/// "Mr.", "Dr", "Mme": a salutation in a column called "Title", not a job title.
pub fn is_honorific(text: &str) -> bool {
    // Longer than any salutation: no need to build the key (most titles).
    if text.len() > 24 || text.chars().count() > 6 {
        return false;
    }
    crate::model::is_honorific(text)
}

/// Yes/no flags as exports write them.
pub fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "t" | "1" | "x" | "on" | "checked" => Some(true),
        "no" | "n" | "false" | "f" | "0" | "off" | "unchecked" => Some(false),
        _ => None,
    }
}

/// Tags as exports write them: `a;b`, `a, b`, Google's `* myContacts ::: Friends`,
/// Mailchimp's `"a","b"`. Google's system groups (starting with `*`) are left out.
fn split_tags(text: &str, ours: bool) -> Vec<String> {
    let pieces: Vec<&str> = if ours {
        text.split(';').collect()
    } else {
        text.split([';', ','])
            .flat_map(|piece| piece.split(":::"))
            .collect()
    };
    pieces
        .into_iter()
        .map(|piece| piece.trim().trim_matches('"').trim())
        .filter(|piece| !piece.is_empty() && !piece.starts_with('*'))
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_import_date;

    #[test]
    fn plain_dates_read_as_parse_import_date_reads_them() {
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
                parse_import_date(text, None).ok(),
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
    fn unknown_columns_and_second_values_go_to_attributes() {
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
            vec![("Business Phone", "+1 555 0199"), ("Shoe Size", "44")]
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
            err.starts_with("no name, company, email, phone or external id"),
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
            got.lead.created_at.map(crate::model::rfc3339).as_deref(),
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
}
