//! Matching what people type against the names we know: snake-case keys and "did you mean";
//! and showing text from the data on a terminal safely (`escape_controls`).
use std::borrow::Cow;

/// " (did you mean 'qualified'?)" when one of `names` is a small typo away from `word`.
pub fn did_you_mean(word: &str, names: &[&str]) -> String {
    names
        .iter()
        // Optimal string alignment: a swap of two neighbours ("lsot") is one typo, not two.
        .map(|name| (strsim::osa_distance(word, name), *name))
        .filter(|(distance, name)| *distance > 0 && *distance <= 1.max(name.len() / 3))
        .min()
        .map(|(_, name)| format!(" (did you mean '{name}'?)"))
        .unwrap_or_default()
}

/// Levenshtein distance (in characters), for "did you mean".
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// Lower-case snake case: "Trade Show" -> "trade_show", "E-mail Campaign" -> "e_mail_campaign".
pub fn normalize_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        // ASCII first: the same answer without the Unicode tables (an import asks per row).
        if ch.is_ascii_alphanumeric() {
            key.push(ch.to_ascii_lowercase());
        } else if ch.is_ascii() {
            if !key.is_empty() && !key.ends_with('_') {
                key.push('_');
            }
        } else if ch.is_alphanumeric() {
            key.extend(ch.to_lowercase());
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    while key.ends_with('_') {
        key.pop();
    }
    key
}

/// Text from the data as a terminal may show it: control characters that could move the
/// cursor, clear the screen, retitle the window or hide text are written out instead
/// (ESC `\e`, BEL `\x07`, CR `\r`, backspace `\b`, other C0 and DEL `\xNN`, C1 `\u{9b}`,
/// bidirectional overrides `\u{202e}`). Line feed and tab are kept: they only lay text out.
/// For tables and messages; CSV, TSV and JSON keep the data verbatim.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    // Printable ASCII, line feeds and tabs, most text: nothing to look up a character at a time.
    let plain = |b: u8| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t';
    if text.bytes().all(plain) || !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            _ if !needs_escape(c) => escaped.push(c),
            '\x1b' => escaped.push_str("\\e"),
            '\r' => escaped.push_str("\\r"),
            '\x08' => escaped.push_str("\\b"),
            c if (c as u32) < 0x80 => escaped.push_str(&format!("\\x{:02x}", c as u32)),
            c => escaped.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(escaped)
}

fn needs_escape(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        // C0, DEL and C1 controls.
        c if c.is_control() => true,
        // Bidirectional embeddings, overrides and isolates reorder what is shown.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// The headers (as `squash` makes them) of a column naming the seller a CRM assigns the
/// record to (Salesforce and Zoho "Lead Owner", HubSpot and Apollo "Contact owner",
/// Pipedrive "Owner"): the lead's `owner` on import, and what migration 12 moved there from
/// the attributes of leads imported before. An account's or a company's owner is the
/// seller of another record, kept as an attribute.
pub const OWNER_HEADERS: [&str; 5] = [
    "owner",
    "leadowner",
    "contactowner",
    "recordowner",
    "personowner",
];

/// Lower-case letters and digits only: "E-mail Address" -> "emailaddress" (how header keys
/// and column names are compared).
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `squash` without allocating, for text compared against ASCII tables (a scoring
/// signal's headers, read for every attribute of every lead): the key in `buffer`; None
/// when the text has a letter outside ASCII or its key is longer than the buffer.
pub fn squash_into<'b, const N: usize>(text: &str, buffer: &'b mut [u8; N]) -> Option<&'b str> {
    let mut len = 0;
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() {
            *buffer.get_mut(len)? = byte.to_ascii_lowercase();
            len += 1;
        } else if !byte.is_ascii() {
            return None;
        }
    }
    std::str::from_utf8(&buffer[..len]).ok()
}

/// Phone numbers are compared by their last digits, at most this many: a number written
/// with its country code (`+44 20 7946 0958`) and without it (`020 7946 0958`) agree.
const PHONE_DIGITS: usize = 9;
/// Fewer digits than this are no phone number to compare.
const PHONE_MIN_DIGITS: usize = 7;

/// What two phone numbers are compared by, wherever leads are matched (an import's
/// duplicates, `duplicates`, `merge`): their last digits; none when too few to be a number.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let last = &digits[digits.len().saturating_sub(PHONE_DIGITS)..];
    (digits.len() >= PHONE_MIN_DIGITS).then(|| last.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActivityKind, Status};

    #[test]
    fn typos_get_a_suggestion() {
        let err = "qualifed".parse::<Status>().unwrap_err();
        assert!(
            err.starts_with("unknown status 'qualifed' (did you mean 'qualified'?) (expected"),
            "{err}"
        );
        let err = "meting".parse::<ActivityKind>().unwrap_err();
        assert!(err.contains("(did you mean 'meeting'?)"), "{err}");
        assert_eq!(did_you_mean("hot", &Status::ALL.map(|s| s.as_str())), "");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn header_keys_squash_one_way() {
        let mut buffer = [0u8; 40];
        for header in [
            "E-mail Address",
            "Total Time Spent on Website",
            "Time on site (mins)",
        ] {
            assert_eq!(
                squash_into(header, &mut buffer),
                Some(squash(header).as_str())
            );
        }
        assert_eq!(squash("Prénom"), "prénom");
        // Outside ASCII, or longer than the buffer: no key (the tables hold neither).
        assert_eq!(squash_into("Prénom", &mut buffer), None);
        assert_eq!(squash_into(&"a".repeat(41), &mut buffer), None);
    }
}
