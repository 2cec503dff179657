//! One row of an imported file -> a lead, or the reason it cannot be one.
//!
//! Pure: the cells come with their column's target and header; nothing here reads a file
//! or the database. Values a column cannot use are never silently dropped, and never cost
//! the row while the lead has an identity: an invalid email, an unknown status or source,
//! an unreadable size, flag or date, an honorific in a title column are kept in
//! `attributes` (with a warning, or for dates an `UnreadDate` the summary reports once
//! per column). `null`, `NULL` and `(null)` are empty; `a ::: b` (Google) gives `a` to the
//! field and keeps `b`.
use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};

use super::cells::{is_null, is_placeholder, unneutralize};
use super::mapping::{is_domain, is_rounded_number, Field, Target};
use crate::dates::imported::{local, read_date, Order};
use crate::model::{
    is_known_source, normalize_source, parse_company_size, parse_email_address, parse_source,
    read_amount, read_yes_no, split_name, split_name_and_title, Answer, Kind, Lead, Status,
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
    /// `leads config currency`: how a deal value such as `18.000` reads.
    pub currency: Option<&'a str>,
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
    /// What to say once for the whole column, not for every row (an id a spreadsheet
    /// rounded): the column and what.
    pub notices: Vec<UnreadDate>,
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
    let mut row = RowReading::default();
    let mut empty = true;
    for cell in cells {
        if row.read_cell(cell, options)? {
            empty = false;
        }
    }
    // What a forgotten lead leaves in our own export (status, source, dates) names nobody
    // and cannot be told from another like it: nothing to import, as a blank line.
    if empty || (options.leads_export && !row.lead.has_identity() && row.no_name_yet()) {
        return Ok(None);
    }
    row.finish().map(Some)
}

/// A row being read cell by cell: the lead so far, what was odd about it, and what only
/// the end of the row can settle (which name to use, the source's detail).
#[derive(Default)]
struct RowReading<'a> {
    lead: Lead,
    warnings: Vec<String>,
    unread_dates: Vec<UnreadDate>,
    notices: Vec<UnreadDate>,
    /// An email address found in a name column: the email of last resort (its header).
    name_email: Option<(&'a str, String)>,
    /// The first whole-name column (its header and text): split at the end unless the row
    /// has first or last names of its own.
    full_name: Option<(&'a str, &'a str)>,
    /// The name an email address carried ("Ada Lovelace <ada@example.com>"): the name of
    /// last resort.
    email_name: Option<String>,
    /// The word a source synonym was given as ("LinkedIn" for social): the detail, unless
    /// the row has a source detail of its own.
    source_word: Option<String>,
}

impl<'a> RowReading<'a> {
    /// Take one cell into the lead; false when it holds nothing (empty, or a null word).
    fn read_cell(
        &mut self,
        (target, header, raw, order): Cell<'a>,
        options: RowOptions<'_>,
    ) -> Result<bool, String> {
        let (value, marked) = if options.leads_export {
            read_our_cell(raw)
        } else {
            (unneutralize(raw), false)
        };
        let text = value.trim();
        if text.is_empty()
            || (is_null(text) && !marked)
            || (!options.leads_export && is_placeholder(text))
        {
            return Ok(false);
        }
        let field = match target {
            Target::Drop => return Ok(true),
            Target::Attribute => {
                keep(&mut self.lead.attributes, header, value);
                return Ok(true);
            }
            Target::Field(field) => *field,
        };
        let text = self.split_google_join(field, header, text);
        // Meta's Leads Center writes `p:+15125550147` so a spreadsheet keeps the `+`.
        let text = match text.strip_prefix("p:") {
            Some(number)
                if field == Field::Phone
                    && number.starts_with(|c: char| c == '+' || c.is_ascii_digit()) =>
            {
                number
            }
            _ => text,
        };
        self.fill(field, (header, value, text), options, order)?;
        Ok(true)
    }

    /// Google joins several values with " ::: ": the first is the field's, the rest kept
    /// in attributes (tags, notes and attributes take the whole text).
    fn split_google_join(&mut self, field: Field, header: &str, text: &'a str) -> &'a str {
        if matches!(field, Field::Tags | Field::Notes | Field::Attributes) {
            return text;
        }
        match google_join(text) {
            Some(at) => {
                keep(&mut self.lead.attributes, header, text[at + 5..].trim());
                text[..at].trim()
            }
            None => text,
        }
    }

    /// One field's value: plain text fills its slot, a date is read, the rest is parsed.
    fn fill(
        &mut self,
        field: Field,
        (header, value, text): (&'a str, &'a str, &'a str),
        options: RowOptions<'_>,
        order: Order,
    ) -> Result<(), String> {
        // A salutation in a title column, a profile page in a website column: not what
        // the field means, so not its text (`fill_other` keeps them).
        // Our own export wrote its fields where they belong.
        if !options.leads_export && self.misplaced(field, header, value, text) {
            return Ok(());
        }
        let misplaced = !options.leads_export
            && ((field == Field::Title && is_honorific(text))
                || (field == Field::Website && is_profile_url(text)));
        if !misplaced {
            if let Some((slot, attributes)) = self.lead.text_and_attributes_mut(field) {
                // A second phone is the lead's `phone 2` (DESIGN: `First Phone`, `Work
                // Direct Phone`... give the phone when the main one is empty, the rest
                // `phone 2`, `phone 3`), as `merge` keeps one.
                let header = if field == Field::Phone {
                    "phone"
                } else {
                    header
                };
                set_text(slot, attributes, header, text);
                return Ok(());
            }
        }
        if field.kind() == Kind::Date {
            let unread = fill_date(&mut self.lead, field, header, value, text, options, order)?;
            self.unread_dates.extend(unread);
            return Ok(());
        }
        self.fill_other(field, (header, value, text), options);
        Ok(())
    }

    /// A value that is not what its column means, kept in attributes (true when it was):
    /// an id a spreadsheet rounded (`1.52533E+11` names nobody: said once for the column),
    /// an email or a domain in a name column (not a name; the email is the lead's when no
    /// email column gives one).
    fn misplaced(&mut self, field: Field, header: &'a str, value: &str, text: &str) -> bool {
        match field {
            Field::ExternalId if is_rounded_number(text) => {
                keep(&mut self.lead.attributes, header, value);
                self.notices.push(UnreadDate {
                    column: header.to_string(),
                    message: format!(
                        "ids like '{text}' were rounded by a spreadsheet and name nobody: \
                         kept in attributes, never used to find duplicates"
                    ),
                });
                true
            }
            Field::FirstName | Field::LastName | Field::Name
                if text.contains('@')
                    || (is_domain(text) && !text.chars().any(char::is_uppercase)) =>
            {
                keep(&mut self.lead.attributes, header, value);
                if let Ok((_, email)) = parse_email_address(text) {
                    self.name_email.get_or_insert((header, email));
                }
                true
            }
            _ => false,
        }
    }

    /// The fields that are not plain text nor dates: parsed, translated or split; a value
    /// that cannot be used goes to attributes with a warning.
    fn fill_other(
        &mut self,
        field: Field,
        (header, value, text): (&'a str, &'a str, &'a str),
        options: RowOptions<'_>,
    ) {
        match field {
            Field::Name => {
                if self.full_name.is_none() {
                    self.full_name = Some((header, text));
                } else {
                    keep(&mut self.lead.attributes, header, value);
                }
            }
            Field::Email => self.take_email(header, value, text),
            // "Mr.", "Dr.": a salutation, not a job title. A LinkedIn profile is the
            // person's page, not the company's website.
            Field::Title | Field::Website => keep(&mut self.lead.attributes, header, value),
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
            | Field::Owner
            | Field::CreatedAt
            | Field::UpdatedAt
            | Field::Timeline => {}
            Field::CompanySize => {
                let size = parse_company_size(text);
                self.take_first(size, |lead| &mut lead.company_size, header, value);
            }
            Field::Status => {
                let status = Status::from_synonym(text)
                    .map(Some)
                    .ok_or_else(|| format!("unknown status '{text}'"));
                self.take_first(status, |lead| &mut lead.status, header, value);
            }
            Field::DealValue => {
                let amount = read_amount(text, options.currency).map(Some);
                self.take_first(amount, |lead| &mut lead.deal_value, header, value);
            }
            Field::Source => self.take_source(header, value, text, options),
            Field::Tags => {
                // A set, not `contains` on the list: 200,000 tags in a cell stay linear.
                let mut kept: HashSet<String> = self.lead.tags.iter().cloned().collect();
                for tag in split_tags(text, options.leads_export) {
                    if kept.insert(tag.clone()) {
                        self.lead.tags.push(tag);
                    }
                }
            }
            Field::Attributes => match parse_attributes(text) {
                Some(object) => {
                    for (key, value) in object {
                        self.lead.attributes.entry(key).or_insert(value);
                    }
                }
                None => self.unusable("attributes are not a JSON object".into(), header, value),
            },
            Field::Incentivized | Field::Aware | Field::DoNotContact => match read_yes_no(text) {
                Some(flag) => match field {
                    Field::Incentivized => self.lead.incentivized = flag,
                    Field::Aware => self.lead.aware = flag,
                    // Several opt-out columns: any one of them is enough.
                    _ => self.lead.do_not_contact |= flag,
                },
                None => self.unusable(format!("'{text}' is not yes or no"), header, value),
            },
            Field::Budget | Field::Authority => match text.parse::<Answer>() {
                Ok(answer) if field == Field::Budget => self.lead.budget = answer,
                Ok(answer) => self.lead.authority = answer,
                Err(err) => self.unusable(err, header, value),
            },
            // Computed here, never a column's target (the mapping drops them).
            Field::Id
            | Field::Fit
            | Field::Engagement
            | Field::Readiness
            | Field::Score
            | Field::Grade
            | Field::WinProbability
            | Field::NextFollowUp
            | Field::LastTouchAt
            | Field::Forgotten => {}
        }
    }

    /// An address fills the email (a second, different one is kept in attributes); the
    /// name it may carry is remembered as the name of last resort.
    fn take_email(&mut self, header: &str, value: &str, text: &str) {
        match parse_email_address(text) {
            Ok((name, email)) => {
                let lead = &mut self.lead;
                if lead.email.is_none() {
                    lead.email = Some(email);
                } else {
                    set_text(&mut lead.email, &mut lead.attributes, header, &email);
                }
                if let Some(name) = name {
                    self.email_name.get_or_insert(name);
                }
            }
            Err(err) => self.unusable(err, header, value),
        }
    }

    /// A source read as `add --source` reads it, except in our own export.
    fn take_source(&mut self, header: &str, value: &str, text: &str, options: RowOptions<'_>) {
        if self.lead.source.is_some() {
            keep(&mut self.lead.attributes, header, value);
        } else if options.leads_export {
            // Our own export: the sources are ours already, typos included.
            self.lead.source = Some(normalize_source(text));
        } else {
            // A synonym keeps its word as the detail, a near miss of a known source is
            // taken with a warning.
            let reading = parse_source(text);
            if let Some(warning) = reading.warning {
                self.warnings.push(warning);
            } else if !is_known_source(&reading.source) {
                self.unusable(format!("unknown source '{text}'"), header, value);
            }
            self.source_word = reading.detail;
            self.lead.source = Some(reading.source);
        }
    }

    /// A single-valued field: the first value read fills it, a second one is kept in
    /// attributes, and so is one that cannot be read, with a warning.
    fn take_first<T>(
        &mut self,
        read: Result<Option<T>, String>,
        slot: impl FnOnce(&mut Lead) -> &mut Option<T>,
        header: &str,
        value: &str,
    ) {
        match read {
            Ok(Some(read)) => {
                let slot = slot(&mut self.lead);
                if slot.is_none() {
                    *slot = Some(read);
                } else {
                    keep(&mut self.lead.attributes, header, value);
                }
            }
            Ok(None) => keep(&mut self.lead.attributes, header, value),
            Err(problem) => self.unusable(problem, header, value),
        }
    }

    /// A value the field cannot use: kept in attributes, with a warning that says so.
    fn unusable(&mut self, problem: String, header: &str, value: &str) {
        self.warnings
            .push(format!("{problem}; kept in attributes as '{header}'"));
        keep(&mut self.lead.attributes, header, value);
    }

    /// The end of the row: the source's detail, the name from the best column that gave
    /// one, and whether the lead can be known at all.
    /// No name in any form yet (`finish` may still find one in a whole-name column or an
    /// email's name).
    fn no_name_yet(&self) -> bool {
        self.full_name.is_none() && self.email_name.is_none()
    }

    fn finish(mut self) -> Result<Converted, String> {
        if self.lead.source_detail.is_none() {
            self.lead.source_detail = self.source_word.take();
        }
        self.settle_name();
        if let (None, Some((header, email))) = (&self.lead.email, self.name_email.take()) {
            self.lead.attributes.remove(header.trim());
            self.lead.email = Some(email);
        }
        if !self.lead.has_identity() {
            return Err(
                "no name, company, email, phone, website or external id: nothing to know the \
                 lead by"
                    .into(),
            );
        }
        Ok(Converted {
            lead: self.lead,
            warnings: self.warnings,
            unread_dates: self.unread_dates,
            notices: self.notices,
        })
    }

    /// First and last names from their own columns, else from a whole-name column, else
    /// from the email's name; a whole name that disagrees with the parts is kept.
    fn settle_name(&mut self) {
        let lead = &mut self.lead;
        if let (None, None, None, Some(name)) = (
            &lead.first_name,
            &lead.last_name,
            self.full_name,
            &self.email_name,
        ) {
            (lead.first_name, lead.last_name) = split_name(name);
        }
        if let Some((header, full)) = self.full_name {
            if lead.first_name.is_none() && lead.last_name.is_none() {
                // "Sarah O'Connor, CFO": a name and a title.
                let title;
                (lead.first_name, lead.last_name, title) = split_name_and_title(full);
                match title {
                    Some(title) if lead.title.is_none() => lead.title = Some(title),
                    Some(_) => keep(&mut lead.attributes, header, full),
                    None => {}
                }
            } else if full != lead.name() {
                // Both a whole name and its parts, disagreeing: keep what we did not use.
                keep(&mut lead.attributes, header, full);
            }
        }
    }
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
        Field::Timeline => &mut lead.timeline,
        // A computed date (the next follow-up, the last touch) is never a column's
        // target; were it one, its value would be kept, not lost.
        _ => {
            keep(&mut lead.attributes, header, value);
            return Ok(None);
        }
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

/// A profile page on a social network (LinkedIn's `URL` column), not a website.
fn is_profile_url(text: &str) -> bool {
    text.contains("linkedin.com/")
}

/// A cell of leads' own export: the apostrophe `leads_out::neutralize` put before a formula
/// sign, an apostrophe or a null word taken off. True when there was one: the value is
/// then the text it marks (`'Null` is the name Null, not nothing). Any other apostrophe
/// is the value's own (exports before the apostrophe was doubled wrote `'quoted` so).
fn read_our_cell(cell: &str) -> (&str, bool) {
    match cell.strip_prefix('\'') {
        Some(rest)
            if crate::io::cells::starts_a_formula(rest.as_bytes())
                || rest.starts_with('\'')
                || is_null(rest.trim()) =>
        {
            (rest, true)
        }
        _ => (cell, false),
    }
}

/// Keep a value in the attributes under its header; a second column with the same header
/// (and another value) gets "Header (2)".
fn keep(attributes: &mut BTreeMap<String, String>, header: &str, value: &str) {
    let header = header.trim();
    let base = if header.is_empty() { "column" } else { header };
    // A second value of the phone field is `phone 2`, then `phone 3`.
    let numbered = base == "phone";
    let mut count = if numbered { 2 } else { 1 };
    let name = |count: u32| {
        if numbered {
            format!("{base} {count}")
        } else if count == 1 {
            base.to_string()
        } else {
            format!("{base} ({count})")
        }
    };
    let mut key = name(count);
    while let Some(existing) = attributes.get(&key) {
        if existing == value {
            return;
        }
        count += 1;
        key = name(count);
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

/// `2025-03-04` (midnight), `2025-03-04 14:30` or `2025-03-04T14:30:15` exactly, local,
/// as `dates::imported::read_date` reads them; None for anything else, which goes the slow way.
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
    Some(local(day.and_time(time)))
}

/// "Mr.", "Dr", "Mme": a salutation in a column called "Title", not a job title.
pub fn is_honorific(text: &str) -> bool {
    // Longer than any salutation: no need to build the key (most titles).
    if text.len() > 24 || text.chars().count() > 6 {
        return false;
    }
    crate::model::is_honorific(text)
}

/// Tags as exports write them: `a;b`, `a, b`, Google's `* myContacts ::: Friends`,
/// Mailchimp's `"a","b"`. Google's system groups (starting with `*`) are left out. Our own
/// export escapes a `;` or `\\` inside a tag with a `\\` (`leads_out::join_tags`).
fn split_tags(text: &str, ours: bool) -> Vec<String> {
    if ours {
        return split_our_tags(text);
    }
    text.split([';', ','])
        .flat_map(|piece| piece.split(":::"))
        .map(|piece| piece.trim().trim_matches('"').trim())
        .filter(|piece| !piece.is_empty() && !piece.starts_with('*'))
        .map(str::to_lowercase)
        .collect()
}

/// `a\\;b;c` -> `a;b`, `c`; a `\\` before anything else is itself (an older export).
fn split_our_tags(text: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut tag = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some(';' | '\\')) => tag.extend(chars.next()),
            ';' => tags.push(std::mem::take(&mut tag)),
            _ => tag.push(c),
        }
    }
    tags.push(tag);
    tags.into_iter()
        .map(|tag| crate::model::normalize_tag(&tag))
        .filter(|tag| !tag.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
