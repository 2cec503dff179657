//! vCard 3.0 and 4.0 (`.vcf`): what Apple Contacts and phones export. Read one card at
//! a time (folded lines unfolded, values unescaped) into the cells of a row, mapped to
//! lead fields; written back by `export --format vcard`.
//!
//! Read: `FN`/`N` the name, `EMAIL` and `TEL` (the first preferred one is the field,
//! the others attributes), `ORG` the company, `TITLE`, `NOTE`, `CATEGORIES` (tags), `URL`
//! (website), `ADR` (its country; the address kept), `UID` (external id, so a re-import
//! finds the same person). Other properties go to attributes; `PHOTO`, `VERSION`,
//! `PRODID`, `REV` are dropped. A card leads wrote (its `PRODID`) comes back exactly: its
//! values are given as leads' own CSV export writes them (`leads_out::neutralize`), its
//! categories split at their unescaped commas only.
use std::io::{self, BufRead, Write};

use crate::io::bounded::{self, TooLong, MAX_RECORD_BYTES};
use crate::io::ics::{escape, fold};
use crate::io::leads_out::{join_tags, neutralize};
use crate::io::mapping::{Field, Target};
use crate::model::Lead;

/// One card as cells: (target, attribute key, value).
pub type Card = Vec<(Target, String, String)>;

/// Reads cards from text, one at a time.
pub struct CardReader<R> {
    input: R,
    line: u64,
    buffer: Vec<u8>,
    /// A line read but not yet used (the next one, to see whether it continues this one).
    peeked: Option<String>,
    /// The last card read was written by leads (`OUR_PRODID`).
    ours: bool,
}

/// The `PRODID` of the cards `export --format vcard` writes.
pub const OUR_PRODID: &str = "-//leads//leads export//EN";

impl<R: BufRead> CardReader<R> {
    pub fn new(input: R) -> Self {
        CardReader {
            input,
            line: 0,
            buffer: Vec::new(),
            peeked: None,
            ours: false,
        }
    }

    fn raw_line(&mut self) -> io::Result<Option<Result<String, u64>>> {
        self.buffer.clear();
        if bounded::read_line(&mut self.input, &mut self.buffer, self.line + 1)? == 0 {
            return Ok(None);
        }
        self.line += 1;
        while matches!(self.buffer.last(), Some(b'\n' | b'\r')) {
            self.buffer.pop();
        }
        Ok(Some(
            String::from_utf8(std::mem::take(&mut self.buffer)).map_err(|_| self.line),
        ))
    }

    /// The next logical line (folded lines joined), or None at the end. `Err(line)` when
    /// a line is not UTF-8.
    fn logical_line(&mut self) -> io::Result<Option<Result<(u64, String), u64>>> {
        let mut current = match self.peeked.take() {
            Some(line) => line,
            None => match self.raw_line()? {
                Some(Ok(line)) => line,
                Some(Err(line)) => return Ok(Some(Err(line))),
                None => return Ok(None),
            },
        };
        let start = self.line;
        loop {
            match self.raw_line()? {
                Some(Ok(next)) if next.starts_with([' ', '\t']) => {
                    // Folded lines are one line: bounded as one.
                    if (current.len() + next.len()) as u64 > MAX_RECORD_BYTES {
                        return Err(TooLong { line: start }.into_io());
                    }
                    current.push_str(&next[1..]);
                }
                Some(Ok(next)) => {
                    self.peeked = Some(next);
                    break;
                }
                Some(Err(line)) => return Ok(Some(Err(line))),
                None => break,
            }
        }
        Ok(Some(Ok((start, current))))
    }

    /// The next card: its first line and its cells; None at the end. `Err(line)`: the
    /// line is not UTF-8.
    pub fn next_card(&mut self) -> io::Result<Option<Result<(u64, Card), u64>>> {
        let mut start = None;
        let mut properties: Vec<Property> = Vec::new();
        // A card never ended takes the rest of the file: bounded as one record.
        let mut size = 0;
        while let Some(next) = self.logical_line()? {
            let (line, text) = match next {
                Ok(pair) => pair,
                Err(line) => return Ok(Some(Err(line))),
            };
            if let Some(first) = start {
                size += text.len() as u64;
                if size > MAX_RECORD_BYTES {
                    return Err(TooLong { line: first }.into_io());
                }
            }
            let Some(property) = Property::parse(&text) else {
                continue;
            };
            match (property.name.as_str(), start) {
                ("BEGIN", None) if property.value.eq_ignore_ascii_case("VCARD") => {
                    start = Some(line)
                }
                ("END", Some(first)) if property.value.eq_ignore_ascii_case("VCARD") => {
                    self.ours = is_ours(&properties);
                    return Ok(Some(Ok((first, cells(properties, self.ours)))));
                }
                (_, Some(_)) => properties.push(property),
                _ => {}
            }
        }
        // A card never ended: what it had is still a card.
        self.ours = is_ours(&properties);
        let ours = self.ours;
        Ok(start.map(|first| Ok((first, cells(properties, ours)))))
    }

    /// Was the last card read written by leads? Its cells are then as leads' own CSV
    /// export writes them.
    pub fn ours(&self) -> bool {
        self.ours
    }
}

fn is_ours(properties: &[Property]) -> bool {
    properties
        .iter()
        .any(|p| p.name == "PRODID" && p.value.trim() == OUR_PRODID)
}

/// Does this text start like a vCard?
pub fn looks_like_vcard(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    head[start..]
        .get(..11)
        .is_some_and(|word| word.eq_ignore_ascii_case(b"BEGIN:VCARD"))
}

struct Property {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    /// `item1.EMAIL;TYPE=INTERNET,pref:ada@example.com`
    fn parse(line: &str) -> Option<Property> {
        let mut quoted = false;
        let colon = line.char_indices().find_map(|(at, c)| {
            match c {
                '"' => quoted = !quoted,
                ':' if !quoted => return Some(at),
                _ => {}
            }
            None
        })?;
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let mut parts = head.split(';');
        let name = parts.next()?;
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
        let params = parts
            .map(|part| match part.split_once('=') {
                Some((key, value)) => (
                    key.to_ascii_uppercase(),
                    value.trim_matches('"').to_string(),
                ),
                // vCard 2.1: a bare type ("EMAIL;PREF;INTERNET").
                None => ("TYPE".to_string(), part.to_string()),
            })
            .collect();
        Some(Property {
            name,
            params,
            value: value.to_string(),
        })
    }

    fn preferred(&self) -> bool {
        self.params.iter().any(|(key, value)| {
            (key == "TYPE" && value.split(',').any(|t| t.eq_ignore_ascii_case("pref")))
                || (key == "PREF" && value.trim() == "1")
        })
    }
}

/// A value's escapes undone: `\n` a line break, `\,` `\;` `\\` the character.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The components of a structured value (`N`, `ORG`, `ADR`), split at unescaped `;`.
fn components(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ';' {
            parts.push(unescape(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    parts.push(unescape(&current));
    parts
}

/// The components of a list value (`CATEGORIES`), split at unescaped `,`.
fn list_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            items.push(unescape(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    items.push(unescape(&current));
    items
}

/// A card's cells; a card of ours (`ours`) gives them as our own CSV export writes them.
fn cells(properties: Vec<Property>, ours: bool) -> Card {
    let mut cells = read_cells(properties, ours);
    if ours {
        for (target, _, value) in &mut cells {
            if *target != Target::Field(Field::Tags) {
                *value = neutralize(value).into_owned();
            }
        }
    }
    cells
}

fn read_cells(properties: Vec<Property>, ours: bool) -> Card {
    let field = |field: Field| Target::Field(field);
    let mut cells: Card = Vec::new();
    // Several emails or phones: the first preferred one (else the first) is the field.
    for (name, target, key) in [
        ("EMAIL", Field::Email, "email"),
        ("TEL", Field::Phone, "phone"),
    ] {
        let values: Vec<&Property> = properties.iter().filter(|p| p.name == name).collect();
        let first = values
            .iter()
            .position(|p| p.preferred())
            .unwrap_or_default();
        let mut others = 1;
        for (index, property) in values.iter().enumerate() {
            let value = unescape(property.value.trim());
            let value = value.strip_prefix("tel:").unwrap_or(&value).to_string();
            if index == first {
                cells.push((field(target), key.to_string(), value));
            } else {
                others += 1;
                cells.push((Target::Attribute, format!("{key} {others}"), value));
            }
        }
    }
    for property in properties {
        let value = property.value.trim();
        match property.name.as_str() {
            "EMAIL" | "TEL" | "VERSION" | "PRODID" | "REV" | "PHOTO" | "LOGO" | "SOUND" | "KEY" => {
            }
            "FN" => cells.push((field(Field::FullName), "name".into(), unescape(value))),
            "N" => {
                let parts = components(value);
                let part = |index: usize| parts.get(index).cloned().unwrap_or_default();
                cells.push((field(Field::LastName), "last name".into(), part(0)));
                cells.push((field(Field::FirstName), "first name".into(), part(1)));
            }
            "ORG" => {
                let parts = components(value);
                let mut parts = parts.into_iter();
                cells.push((
                    field(Field::Company),
                    "organization".into(),
                    parts.next().unwrap_or_default(),
                ));
                let unit: Vec<String> = parts.filter(|p| !p.is_empty()).collect();
                cells.push((Target::Attribute, "department".into(), unit.join(", ")));
            }
            "TITLE" => cells.push((field(Field::Title), "title".into(), unescape(value))),
            "NOTE" => cells.push((field(Field::Notes), "note".into(), unescape(value))),
            "CATEGORIES" if ours => {
                let tags = join_tags(&list_items(value));
                cells.push((
                    field(Field::Tags),
                    "categories".into(),
                    neutralize(&tags).into(),
                ));
            }
            "CATEGORIES" => cells.push((field(Field::Tags), "categories".into(), unescape(value))),
            "URL" => cells.push((field(Field::Website), "url".into(), unescape(value))),
            "UID" => cells.push((field(Field::ExternalId), "uid".into(), unescape(value))),
            "ADR" => {
                let parts = components(value);
                if let Some(country) = parts.get(6) {
                    cells.push((field(Field::Country), "country".into(), country.clone()));
                }
                let address: Vec<&str> = parts
                    .iter()
                    .map(|p| p.trim())
                    .filter(|p| !p.is_empty())
                    .collect();
                cells.push((Target::Attribute, "address".into(), address.join(", ")));
            }
            other => cells.push((Target::Attribute, other.to_lowercase(), unescape(value))),
        }
    }
    cells
}

/// Write a lead as a vCard 3.0 card (CRLF line ends, lines folded at 75 bytes).
pub fn write_card<W: Write>(out: &mut W, lead: &Lead) -> io::Result<()> {
    // vCard content lines are iCalendar's (RFC 6350 3.2, 3.4): one escaping, one folding.
    let line = |out: &mut W, text: String| write!(out, "{}\r\n", fold(&text));
    line(out, "BEGIN:VCARD".into())?;
    line(out, "VERSION:3.0".into())?;
    let first = lead.first_name.as_deref().unwrap_or_default();
    let last = lead.last_name.as_deref().unwrap_or_default();
    line(out, format!("N:{};{};;;", escape(last), escape(first)))?;
    let name = lead.name();
    let display = if name.trim().is_empty() {
        lead.company.clone().unwrap_or_default()
    } else {
        name
    };
    line(out, format!("FN:{}", escape(&display)))?;
    let optional = [
        ("ORG", &lead.company),
        ("TITLE", &lead.title),
        ("EMAIL;TYPE=INTERNET,pref", &lead.email),
        ("TEL", &lead.phone),
        ("URL", &lead.website),
        ("NOTE", &lead.notes),
        ("UID", &lead.external_id),
    ];
    for (property, value) in optional {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            line(out, format!("{property}:{}", escape(value)))?;
        }
    }
    if let Some(country) = lead.country.as_deref().filter(|v| !v.is_empty()) {
        line(out, format!("ADR:;;;;;;{}", escape(country)))?;
    }
    if !lead.tags.is_empty() {
        let tags: Vec<String> = lead.tags.iter().map(|t| escape(t)).collect();
        line(out, format!("CATEGORIES:{}", tags.join(",")))?;
    }
    line(out, format!("PRODID:{OUR_PRODID}"))?;
    line(out, "END:VCARD".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(u64, Card)> {
        let mut reader = CardReader::new(text.as_bytes());
        let mut cards = Vec::new();
        while let Some(card) = reader.next_card().unwrap() {
            cards.push(card.unwrap());
        }
        cards
    }

    #[test]
    fn folded_lines_and_several_emails() {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Q\r\n  Lovelace\r\nEMAIL;TYPE=home:ada@home.example\r\nitem1.EMAIL;PREF=1:ada@work.example\r\nNOTE:line one\\nline\\, two\r\nEND:VCARD\r\n";
        let cards = read(text);
        assert_eq!(cards.len(), 1);
        let (line, card) = &cards[0];
        assert_eq!(*line, 1);
        let get = |key: &str| {
            card.iter()
                .find(|(_, k, _)| k == key)
                .map(|(_, _, v)| v.as_str())
        };
        assert_eq!(get("name"), Some("Ada Q Lovelace"));
        assert_eq!(get("email"), Some("ada@work.example"));
        assert_eq!(get("email 2"), Some("ada@home.example"));
        assert_eq!(get("note"), Some("line one\nline, two"));
    }

    #[test]
    fn a_card_writes_and_reads_back() {
        let lead = Lead {
            first_name: Some("Zoë".into()),
            last_name: Some("Doe; Jr".into()),
            company: Some("Acme, Inc.".into()),
            notes: Some("x".repeat(200)),
            tags: vec!["vip".into(), "expo".into()],
            ..Lead::default()
        };
        let mut out = Vec::new();
        write_card(&mut out, &lead).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().all(|l| l.len() <= 76), "{text}");
        let cards = read(&text);
        let card = &cards[0].1;
        let get = |key: &str| {
            card.iter()
                .find(|(_, k, _)| k == key)
                .map(|(_, _, v)| v.clone())
        };
        assert_eq!(get("last name").as_deref(), Some("Doe; Jr"));
        assert_eq!(get("organization").as_deref(), Some("Acme, Inc."));
        assert_eq!(get("note"), Some("x".repeat(200)));
        // A card of ours: the tags as our CSV export joins them.
        assert_eq!(get("categories").as_deref(), Some("vip;expo"));
    }
}
