//! vCard 2.1, 3.0 and 4.0 (`.vcf`): what Apple Contacts and phones export. Read one card
//! at a time (folded lines unfolded, values unescaped) into the cells of a row, mapped to
//! lead fields; written back by `export --format vcard`. vCard 2.1 (Android's export):
//! `QUOTED-PRINTABLE` values joined over their soft line breaks and decoded, `BASE64`
//! values decoded, both in their `CHARSET`. A card without its `END:VCARD` (a file cut
//! short) is returned as cut short, for the reader to reject.
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
use crate::io::cells::{join_tags, neutralize};
use crate::io::ics::{escape, fold};
use crate::io::mapping::{Field, Target};
use crate::model::Lead;

/// One card as cells: (target, attribute key, value).
pub type Card = Vec<(Target, String, String)>;

/// A card read: its first line, its cells, and whether it ended (`END:VCARD`).
pub type ReadCard = (u64, Card, bool);

/// Reads cards from text, one at a time.
pub struct CardReader<R> {
    input: R,
    line: u64,
    buffer: Vec<u8>,
    /// A line read but not yet used (the next one, to see whether it continues this one).
    peeked: Option<String>,
    /// The last card read was written by leads (`OUR_PRODID`).
    ours: bool,
    /// The line of a `BEGIN:VCARD` read while looking for the end of the card before it.
    begun: Option<u64>,
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
            begun: None,
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
            // A quoted-printable value ending in `=` goes on to the next line (a soft
            // line break), indented or not.
            let soft_break = current.ends_with('=') && is_quoted_printable(&current);
            match self.raw_line()? {
                Some(Ok(next)) if soft_break => {
                    if (current.len() + next.len()) as u64 > MAX_RECORD_BYTES {
                        return Err(TooLong { line: start }.into_io());
                    }
                    current.pop();
                    current.push_str(next.strip_prefix([' ', '\t']).unwrap_or(&next));
                }
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

    /// The next card: its first line, its cells, and whether it ended (`END:VCARD`);
    /// None at the end. `Err(line)`: the line is not UTF-8.
    pub fn next_card(&mut self) -> io::Result<Option<Result<ReadCard, u64>>> {
        let mut start = self.begun.take();
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
                // A new card before this one ended: this one was cut short.
                ("BEGIN", Some(first)) if property.value.eq_ignore_ascii_case("VCARD") => {
                    self.begun = Some(line);
                    self.ours = is_ours(&properties);
                    return Ok(Some(Ok((first, cells(properties, self.ours), false))));
                }
                ("END", Some(first)) if property.value.eq_ignore_ascii_case("VCARD") => {
                    self.ours = is_ours(&properties);
                    return Ok(Some(Ok((first, cells(properties, self.ours), true))));
                }
                (_, Some(_)) => properties.push(property),
                _ => {}
            }
        }
        // A card never ended: the file was cut short.
        self.ours = is_ours(&properties);
        let ours = self.ours;
        Ok(start.map(|first| Ok((first, cells(properties, ours), false))))
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
        let mut property = Property {
            name,
            params,
            value: value.to_string(),
        };
        property.decode();
        Some(property)
    }

    /// vCard 2.1's encodings undone: `ENCODING=QUOTED-PRINTABLE` (or the bare
    /// `QUOTED-PRINTABLE`), `ENCODING=BASE64` / `b`, the bytes read in their `CHARSET`
    /// (UTF-8 when none is given).
    fn decode(&mut self) {
        let encoding = self.params.iter().find_map(|(key, value)| {
            let value = value.to_ascii_uppercase();
            match (key.as_str(), value.as_str()) {
                ("ENCODING" | "TYPE", "QUOTED-PRINTABLE") => Some(true),
                ("ENCODING", "BASE64" | "B") | ("TYPE", "BASE64") => Some(false),
                _ => None,
            }
        });
        let Some(quoted_printable) = encoding else {
            return;
        };
        // A photo is dropped whole: no need to decode it.
        if matches!(self.name.as_str(), "PHOTO" | "LOGO" | "SOUND" | "KEY") {
            return;
        }
        let bytes = if quoted_printable {
            decode_quoted_printable(&self.value)
        } else {
            match decode_base64(&self.value) {
                Some(bytes) => bytes,
                None => return,
            }
        };
        let charset = self
            .params
            .iter()
            .find(|(key, _)| key == "CHARSET")
            .and_then(|(_, label)| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
            .unwrap_or(encoding_rs::UTF_8);
        self.value = charset.decode(&bytes).0.into_owned();
        self.params.retain(|(key, value)| {
            key != "ENCODING"
                && key != "CHARSET"
                && !(key == "TYPE" && value.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
        });
    }

    fn preferred(&self) -> bool {
        self.params.iter().any(|(key, value)| {
            (key == "TYPE" && value.split(',').any(|t| t.eq_ignore_ascii_case("pref")))
                || (key == "PREF" && value.trim() == "1")
        })
    }
}

/// A card for a company, not a person: Apple's `X-ABShowAs:COMPANY`, or no name but the
/// organization's.
fn is_company_card(properties: &[Property]) -> bool {
    let value = |name: &str| {
        properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.trim())
    };
    let no_person = value("N").is_none_or(|n| components(n).iter().all(|p| p.trim().is_empty()));
    let organization = value("ORG").map(|org| components(org).swap_remove(0));
    value("X-ABSHOWAS").is_some_and(|show| show.eq_ignore_ascii_case("COMPANY"))
        || (no_person
            && organization.is_some_and(|org| Some(unescape(&org).as_str()) == value("FN")))
}

/// Is this content line's value quoted-printable (its parameters say so)?
fn is_quoted_printable(line: &str) -> bool {
    let head = line.split(':').next().unwrap_or_default();
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

/// `=C3=96zt=C3=BCrk` -> the bytes of `Öztürk`; `=` at a line's end (a soft break, joined
/// already) is nothing; a `=` not followed by two hex digits is itself.
fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'=' {
            let hex = bytes
                .get(at + 1..at + 3)
                .and_then(|pair| std::str::from_utf8(pair).ok())
                .and_then(|pair| u8::from_str_radix(pair, 16).ok());
            match hex {
                Some(decoded) => {
                    out.push(decoded);
                    at += 3;
                    continue;
                }
                None if at + 1 == bytes.len() => break,
                None => {}
            }
        }
        out.push(byte);
        at += 1;
    }
    out
}

/// Standard base64 (whitespace ignored); None when it is not base64.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0_u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
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
    split_unescaped(text, ';')
}

/// The components of a list value (`CATEGORIES`), split at unescaped `,`.
fn list_items(text: &str) -> Vec<String> {
    split_unescaped(text, ',')
}

/// A value split at each `separator` not escaped by a backslash, each part unescaped.
fn split_unescaped(text: &str, separator: char) -> Vec<String> {
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
        } else if c == separator {
            parts.push(unescape(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    parts.push(unescape(&current));
    parts
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
    let company_card = is_company_card(&properties);
    for property in properties {
        let value = property.value.trim();
        match property.name.as_str() {
            // Apple's grouping labels say how to show the card, nothing about the person.
            "EMAIL" | "TEL" | "VERSION" | "PRODID" | "REV" | "PHOTO" | "LOGO" | "SOUND" | "KEY"
            | "X-ABLABEL" | "X-ABSHOWAS" | "X-ABADR" => {}
            // A company's card: its name is the organization's, not a person's.
            "FN" if company_card => {}
            "FN" => cells.push((field(Field::Name), "name".into(), unescape(value))),
            "N" => {
                let parts = components(value);
                let part = |index: usize| parts.get(index).cloned().unwrap_or_default();
                cells.push((field(Field::LastName), "last name".into(), part(0)));
                // The middle names are kept with the given name: "Ada Augusta".
                let given = [part(1), part(2)]
                    .iter()
                    .map(|p| p.trim())
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                cells.push((field(Field::FirstName), "first name".into(), given));
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
        read_all(text)
            .into_iter()
            .map(|(line, card, _)| (line, card))
            .collect()
    }

    fn read_all(text: &str) -> Vec<(u64, Card, bool)> {
        let mut reader = CardReader::new(text.as_bytes());
        let mut cards = Vec::new();
        while let Some(card) = reader.next_card().unwrap() {
            cards.push(card.unwrap());
        }
        cards
    }

    #[test]
    fn vcard_2_1_as_android_writes_it() {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\n\
            N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=96zt=C3=BCrk;Ay=C5=9Fe;Nur;;\r\n\
            NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 owner, wants a =\r\n\
            call=0A=\r\nin May\r\n\
            ORG;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Caf=E9 Ay=FEe\r\n\
            TITLE;ENCODING=BASE64;CHARSET=UTF-8:R8OpcmFudGU=\r\n\
            TEL;CELL;PREF:+90 555 000 0000\r\n\
            PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQ\r\n AAAQABAAD\r\n\r\n\
            END:VCARD\r\n\
            BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Cut Short\r\n";
        let cards = read_all(text);
        assert_eq!(cards.len(), 2);
        let (_, card, ended) = &cards[0];
        assert!(*ended);
        let get = |key: &str| {
            card.iter()
                .find(|(_, k, _)| k == key)
                .map(|(_, _, v)| v.as_str())
        };
        assert_eq!(get("last name"), Some("Öztürk"));
        assert_eq!(get("first name"), Some("Ayşe Nur"));
        assert_eq!(get("note"), Some("Café owner, wants a call\nin May"));
        assert_eq!(get("organization"), Some("Café Ayþe"));
        assert_eq!(get("title"), Some("Gérante"));
        assert_eq!(get("phone"), Some("+90 555 000 0000"));
        assert!(!cards[1].2, "a card without END:VCARD is cut short");
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
