//! Columns understood by what they hold: a sample of a column's values (the first rows of
//! the file) says it is the email, a phone, the website, the country, the creation date,
//! the id or the status when its header is a name no list knows (`email_from`, `First
//! Phone`, `Created (UTC)`, `opportunity_id`, `deal_stage`), and that a column named
//! `Status` holding `active` and `past_due` is not the lead's status.
//!
//! Pure: the values come in, a field (and why) goes out.
use std::collections::HashSet;

use super::Field;
use crate::dates::imported::is_date;
use crate::io::cells::{is_null, is_placeholder, unneutralize};
use crate::model::read_yes_no;
use crate::model::{country_code, parse_email_address, Status};

/// The share of a column's filled cells that must look alike for the column to be taken
/// for what they look like.
const NEARLY_ALL: f64 = 0.9;

/// What a column's values say it is, and why (for `--dry-run`). `taken` tells which
/// fields other columns fill already: a second id or status column is not guessed.
pub fn field_by_values(
    header: &str,
    values: &[&str],
    taken: impl Fn(Field) -> bool,
) -> Option<(Field, &'static str)> {
    let filled: Vec<&str> = values
        .iter()
        .map(|value| clean(value))
        .filter(|value| !value.is_empty())
        .collect();
    if filled.is_empty() {
        return None;
    }
    let words = header_words(header);
    let has_word = |wanted: &[&str]| words.iter().any(|word| wanted.contains(&word.as_str()));
    let nearly_all = |test: &dyn Fn(&str) -> bool| {
        let alike = filled.iter().filter(|value| test(value)).count();
        alike as f64 >= NEARLY_ALL * filled.len() as f64
    };
    // The seller's side of the record (`Contact Owner`, `Salesperson`), or one value in
    // every row (the account's own address): not a way to reach the lead.
    let theirs = has_word(&[
        "owner",
        "salesperson",
        "assignee",
        "assigned",
        "agent",
        "seller",
        "rep",
        "host",
    ]) || (filled.len() >= 3 && filled.iter().all(|value| *value == filled[0]));
    if !theirs {
        if nearly_all(&|value| is_email(value)) {
            return Some((Field::Email, "its values are email addresses"));
        }
        let social = has_word(&["linkedin", "twitter", "facebook", "instagram", "xing"]);
        let web_header = has_word(&["website", "web", "site", "url", "domain", "homepage"]);
        // A second site column is the tool's own link to the record (Close's `html_url`).
        if !social
            && !taken(Field::Website)
            && nearly_all(&|value| is_web_address(value, web_header))
        {
            return Some((Field::Website, "its values are web addresses or domains"));
        }
        let phone_header = has_word(PHONE_WORDS) && !has_word(&["fax"]);
        if (phone_header && nearly_all(&|value| is_phone(value)))
            || nearly_all(&|value| value.starts_with('+') && is_phone(value))
        {
            return Some((Field::Phone, "its values are phone numbers"));
        }
    }
    if speaks_of_creation(&words) && nearly_all(&|value| is_date(value)) {
        return Some((
            Field::CreatedAt,
            "its values are dates, its name says created",
        ));
    }
    let not_a_country = has_word(&[
        "state",
        "province",
        "city",
        "language",
        "lang",
        "locale",
        "currency",
        "region",
        "county",
        "bundesland",
    ]) && !has_word(&["country", "land", "pays", "pais", "paese"]);
    // `no`, `NO` in a yes/no column is not Norway.
    let flags = filled.iter().any(|value| read_yes_no(value).is_some());
    if !not_a_country && !flags && nearly_all(&|value| is_country(value)) {
        return Some((Field::Country, "its values are countries"));
    }
    let id_header = words.last().is_some_and(|word| word == "id");
    if id_header && !taken(Field::ExternalId) && unique(values) {
        return Some((
            Field::ExternalId,
            "its values are unique, its name ends in id",
        ));
    }
    if has_word(STATUS_WORDS) && !taken(Field::Status) && are_statuses(&filled) {
        return Some((Field::Status, "its values are lead statuses"));
    }
    None
}

/// Do a status column's values read as lead statuses (at least half of the distinct
/// ones)? A billing status (`active`, `past_due`, `canceled`) does not.
pub fn are_statuses(values: &[&str]) -> bool {
    let distinct: HashSet<&str> = values
        .iter()
        .map(|value| clean(value))
        .filter(|value| !value.is_empty())
        .collect();
    let known = distinct
        .iter()
        .filter(|value| Status::from_synonym(value).is_some())
        .count();
    !distinct.is_empty() && known * 2 >= distinct.len()
}

/// A few of a column's distinct values, for a message: "active, past_due, canceled".
pub fn some_values(values: &[&str]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for value in values.iter().map(|value| clean(value)) {
        if !value.is_empty() && !seen.contains(&value) {
            seen.push(value);
            if seen.len() == 3 {
                break;
            }
        }
    }
    seen.join(", ")
}

const PHONE_WORDS: &[&str] = &[
    "phone",
    "phones",
    "tel",
    "telephone",
    "telefon",
    "telefono",
    "teléfono",
    "telefone",
    "telefoon",
    "téléphone",
    "mobile",
    "mobil",
    "mobiel",
    "cell",
    "cellphone",
    "cellulare",
    "celular",
    "handy",
    "whatsapp",
    "telefonnummer",
    "phonenumber",
];

const STATUS_WORDS: &[&str] = &[
    "status",
    "stage",
    "phase",
    "lifecycle",
    "statut",
    "estado",
    "stato",
    "etapa",
    "fase",
    "pipeline",
];

/// A cell as the sample sees it: trimmed, Excel's apostrophe off, nothing for a null or
/// a placeholder.
fn clean(value: &str) -> &str {
    let value = unneutralize(value.trim()).trim();
    if is_null(value) || is_placeholder(value) {
        ""
    } else {
        value
    }
}

/// Every row has a value, and no two the same.
fn unique(values: &[&str]) -> bool {
    let mut seen = HashSet::with_capacity(values.len());
    values.iter().all(|value| {
        let value = clean(value);
        !value.is_empty() && !is_rounded_number(value) && seen.insert(value)
    })
}

/// The words of a header, lower-case: "Created (UTC)" -> created, utc;
/// "opportunityId" -> opportunity, id; "mql_id" -> mql, id.
pub fn header_words(header: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in header.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && previous_lower && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
            word.extend(c.to_lowercase());
        } else {
            previous_lower = false;
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Does a header speak of when the record was made (created, signed up, registered, a
/// time stamp, submitted, added, first contact)?
fn speaks_of_creation(words: &[String]) -> bool {
    let has = |wanted: &str| words.iter().any(|word| word == wanted);
    words.iter().any(|word| {
        [
            "created",
            "creation",
            "create",
            "signup",
            "signed",
            "registration",
            "registered",
            "timestamp",
            "submitted",
            "submission",
            "added",
            "erstellt",
            "angelegt",
            "erstellungsdatum",
            "création",
            "creation",
            "creado",
            "creación",
            "criado",
            "criação",
            "creato",
            "aangemaakt",
        ]
        .contains(&word.as_str())
    }) || (has("first") && has("contact"))
}

/// A country's name, or its code in capitals (`US`, `DEU`; `de` is a language).
fn is_country(value: &str) -> bool {
    (value.chars().count() > 3 || value.chars().all(|c| c.is_ascii_uppercase()))
        && country_code(value).is_some()
}

fn is_email(value: &str) -> bool {
    value.contains('@') && parse_email_address(value).is_ok()
}

/// `https://acme.example`, `www.acme.example/`, `acme.example`: a site, not a page deep
/// in one (a landing page's address is the seller's, not the lead's). Under a header that
/// says web, site or domain, any address.
fn is_web_address(value: &str, web_header: bool) -> bool {
    if value.contains(char::is_whitespace) || value.contains('@') {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if !path.is_empty() && !web_header {
        return false;
    }
    if [
        "linkedin.com",
        "facebook.com",
        "twitter.com",
        "x.com",
        "instagram.com",
    ]
    .iter()
    .any(|social| host.ends_with(social))
    {
        return false;
    }
    is_domain(host)
}

/// `acme.example`, `www.acme.co.uk`: labels of letters, digits and hyphens, the last of
/// two or more letters.
pub fn is_domain(host: &str) -> bool {
    // Asked of every name cell: no allocation, and most names have no dot at all.
    let Some((_, tld)) = host.rsplit_once('.') else {
        return false;
    };
    tld.len() >= 2
        && tld.len() <= 24
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// A phone number as people and tools write it: digits (7 to 15 of them), spaces, `+`,
/// `-`, `.`, `/`, brackets, an extension; Meta's `p:` before it.
fn is_phone(value: &str) -> bool {
    let value = value.strip_prefix("p:").unwrap_or(value);
    let (number, extension) = match value.to_ascii_lowercase().find(['x', 'e']) {
        Some(at) => (&value[..at], &value[at..]),
        None => (value, ""),
    };
    let extension_ok = extension.is_empty()
        || extension
            .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '.' || c == ' ')
            .chars()
            .all(|c| c.is_ascii_digit());
    let digits = number.chars().filter(char::is_ascii_digit).count();
    extension_ok
        && (7..=15).contains(&digits)
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || " +-./()".contains(c))
}

/// `1.52533E+11`: a number a spreadsheet rounded to scientific notation; as an id it
/// names nobody (its last digits are gone).
pub fn is_rounded_number(value: &str) -> bool {
    let Some((mantissa, exponent)) = value.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(header: &str, values: &[&str]) -> Option<Field> {
        field_by_values(header, values, |_| false).map(|(field, _)| field)
    }

    #[test]
    fn values_decide_where_names_do_not() {
        let cases: [(&str, &[&str], Option<Field>); 17] = [
            (
                "email_from",
                &["ada@example.com", "", "bob@example.org;"],
                Some(Field::Email),
            ),
            (
                "User Email",
                &["ada@example.com", "N/A"],
                Some(Field::Email),
            ),
            (
                "First Phone",
                &["'+1 555-0100", "(555) 010-0199"],
                Some(Field::Phone),
            ),
            (
                "Corporate Phone",
                &["'+44 20 7946 0000"],
                Some(Field::Phone),
            ),
            (
                "Numbers",
                &["+49 30 1234567", "+33 1 23 45 67 89"],
                Some(Field::Phone),
            ),
            ("Order #", &["8800001", "8800002"], None),
            (
                "Domain",
                &["acme.example", "www.beta.example"],
                Some(Field::Website),
            ),
            ("Landing page", &["https://mine.example/offer?a=1"], None),
            (
                "Person Linkedin Url",
                &["https://www.linkedin.com/in/x"],
                None,
            ),
            (
                "Created (UTC)",
                &["2024-03-04 15:22", "2024-03-05 09:00"],
                Some(Field::CreatedAt),
            ),
            (
                "Timestamp",
                &["3/4/2024 10:15:22", "3/14/2024 8:01:00"],
                Some(Field::CreatedAt),
            ),
            ("Last Contacted", &["2024-03-04"], None),
            (
                "Default Address Country Code",
                &["US", "DE", "FR"],
                Some(Field::Country),
            ),
            ("State", &["CA", "DE"], None),
            (
                "opportunity_id",
                &["1C1I7A6R", "Z063OYW0"],
                Some(Field::ExternalId),
            ),
            ("landing_page_id", &["a1", "a1"], None),
            (
                "deal_stage",
                &["Won", "Lost", "Engaging", "Prospecting"],
                Some(Field::Status),
            ),
        ];
        for (header, values, expected) in cases {
            assert_eq!(guess(header, values), expected, "{header}: {values:?}");
        }
    }

    #[test]
    fn a_billing_status_is_not_a_lead_status() {
        assert!(!are_statuses(&[
            "active", "past_due", "canceled", "trialing"
        ]));
        assert!(are_statuses(&[
            "Open - Not Contacted",
            "Working - Contacted",
            "Odd"
        ]));
    }

    #[test]
    fn header_words_split_case_and_punctuation() {
        assert_eq!(header_words("opportunityId"), ["opportunity", "id"]);
        assert_eq!(header_words("Created (UTC)"), ["created", "utc"]);
        assert_eq!(header_words("mql_id"), ["mql", "id"]);
        assert_eq!(header_words("Paid"), ["paid"]);
    }

    #[test]
    fn rounded_numbers() {
        assert!(is_rounded_number("1.52533E+11"));
        assert!(is_rounded_number("4E+12"));
        assert!(!is_rounded_number("152533000000"));
        assert!(!is_rounded_number("Eve"));
        assert!(!is_rounded_number("1e"));
    }
}
