//! Numbers as people write them (amounts of money, plain numbers, company sizes) and the
//! one rounding rule.
//!
//! One reader for every command, import and rule (DESIGN, "Source return on investment"):
//!
//! - with both a dot and a comma (or a space or an apostrophe grouping thousands), the
//!   last mark is the decimal mark: `1.250,50` and `1,250.50` are 1250.5;
//! - a single separator followed by other than exactly three digits is the decimal mark:
//!   `12,5` and `12.50` are 12.5;
//! - a single separator followed by exactly three digits (`18.000`, `4,500`) reads two
//!   ways. An amount is then read by its currency's convention: a currency symbol or code
//!   written in the value itself decides (`€18.000` is 18000 whatever the setting), else
//!   `leads config currency`; with neither (or a currency whose convention is unknown)
//!   it is refused, naming both readings. A number that is no amount (a rule's value, an
//!   imported column `learn` or a rule reads) has no currency: typed by a person it is
//!   refused the same way; in a file it is no number at all, never a guess.

use std::fmt;

/// `value` rounded to `decimals` places, for figures people read (a probability to three
/// places, a percentage to one, an amount to two): the one rounding rule of the contract.
pub fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// Which mark a currency's amounts put between groups of three digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// `18.000,50`: EUR, DKK, NOK, SEK, CHF...
    Dot,
    /// `18,000.50`: USD, GBP, CAD, AUD, INR, JPY...
    Comma,
}

/// Currency codes and symbols whose amounts group thousands with a dot (upper case).
const DOT_GROUPS: [&str; 26] = [
    "EUR", "€", "DKK", "NOK", "SEK", "ISK", "KR", "KR.", "CHF", "PLN", "ZŁ", "CZK", "KČ", "HUF",
    "RON", "BGN", "TRY", "₺", "BRL", "R$", "ARS", "CLP", "COP", "IDR", "VND", "₫",
];
/// Currency codes and symbols whose amounts group thousands with a comma (upper case).
const COMMA_GROUPS: [&str; 32] = [
    "USD", "$", "US$", "GBP", "£", "CAD", "C$", "CA$", "AUD", "A$", "AU$", "NZD", "NZ$", "INR",
    "₹", "JPY", "¥", "CNY", "RMB", "HKD", "HK$", "SGD", "S$", "KRW", "₩", "MXN", "MX$", "ILS", "₪",
    "PHP", "₱", "THB",
];

/// The convention of a currency named by its code or symbol (`EUR`, `€`, `usd`), if known.
pub fn grouping_of(currency: &str) -> Option<Grouping> {
    let currency = currency.trim().to_uppercase();
    if DOT_GROUPS.contains(&currency.as_str()) {
        Some(Grouping::Dot)
    } else if COMMA_GROUPS.contains(&currency.as_str()) {
        Some(Grouping::Comma)
    } else {
        None
    }
}

/// Why a text gives no number.
#[derive(Debug, Clone, PartialEq)]
pub enum Unread {
    /// No number at all (`abc`, `1.2.3`, `NaN`).
    NotANumber,
    /// `4,500`: thousands or a decimal, and nothing says which. The message names both.
    TwoWays(String),
}

impl fmt::Display for Unread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unread::NotANumber => f.write_str("not a number"),
            Unread::TwoWays(message) => f.write_str(message),
        }
    }
}

/// What the digits and separators of a number say, before any currency is known.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reading {
    Exact(f64),
    /// One separator (`mark`) followed by exactly three digits: thousands grouped by
    /// `mark`, or a decimal.
    TwoWays {
        mark: Grouping,
        grouped: f64,
        decimal: f64,
    },
}

impl Reading {
    /// The number, read by a convention when it takes one; both readings when it takes
    /// one and none is known.
    fn by(self, convention: Option<Grouping>) -> Result<f64, (f64, f64)> {
        match (self, convention) {
            (Reading::Exact(n), _) => Ok(n),
            (Reading::TwoWays { mark, grouped, .. }, Some(c)) if c == mark => Ok(grouped),
            (Reading::TwoWays { decimal, .. }, Some(_)) => Ok(decimal),
            (
                Reading::TwoWays {
                    grouped, decimal, ..
                },
                None,
            ) => Err((grouped, decimal)),
        }
    }
}

/// Marks that only ever group thousands.
fn is_group_only(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')
}

/// Digits with separators (no sign, no currency): `1250`, `1.250,50`, `12 000`, `12,5`.
fn read_digits(body: &str) -> Option<Reading> {
    let mut runs: Vec<&str> = Vec::new();
    let mut marks: Vec<char> = Vec::new();
    let mut start = 0;
    for (at, c) in body.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        if !(matches!(c, '.' | ',') || is_group_only(c)) {
            return None;
        }
        runs.push(&body[start..at]);
        marks.push(c);
        start = at + c.len_utf8();
    }
    runs.push(&body[start..]);
    if runs.iter().any(|run| run.is_empty()) {
        return None;
    }
    let number = |whole: &[&str], fraction: Option<&str>| -> Option<f64> {
        format!("{}.{}", whole.concat(), fraction.unwrap_or("0"))
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
    };
    // Thousands: a first group of one to three digits (no leading zero), then threes.
    let grouped = |runs: &[&str]| {
        runs.len() == 1
            || (runs[0].len() <= 3
                && !runs[0].starts_with('0')
                && runs[1..].iter().all(|run| run.len() == 3))
    };
    let last = marks.last().copied();
    let decimal = match last {
        None => return number(&runs, None).map(Reading::Exact),
        Some(mark) if is_group_only(mark) => None,
        Some(mark) if marks.len() == 1 => {
            let (whole, fraction) = (runs[0], runs[1]);
            if fraction.len() == 3 && grouped(&runs) {
                return Some(Reading::TwoWays {
                    mark: if mark == '.' {
                        Grouping::Dot
                    } else {
                        Grouping::Comma
                    },
                    grouped: number(&runs, None)?,
                    decimal: number(&[whole], Some(fraction))?,
                });
            }
            Some(mark)
        }
        // The last of two kinds of marks is the decimal one (`1.250,50`); one kind
        // repeated only groups (`1,250,000`).
        Some(mark) if marks[..marks.len() - 1].iter().all(|m| *m != mark) => Some(mark),
        Some(_) => None,
    };
    let (whole, fraction) = match decimal {
        Some(_) => (&runs[..runs.len() - 1], runs.last().copied()),
        None => (&runs[..], None),
    };
    let separators = &marks[..whole.len() - 1];
    let one_grouping_mark = separators.windows(2).all(|pair| pair[0] == pair[1]);
    if !one_grouping_mark || !grouped(whole) {
        return None;
    }
    number(whole, fraction).map(Reading::Exact)
}

/// "could be 18000 or 18": both readings of a number that reads two ways.
fn two_ways(text: &str, grouped: f64, decimal: f64) -> String {
    format!("'{text}' could be {grouped} or {decimal}")
}

/// A number that is no amount, as people and exports write it: `12`, `-3.5`, `2,5`
/// (2.5), `1,250,000`, `1.250,50`, `1e3`. A text that reads two ways (`4,500`) is
/// [`Unread::TwoWays`]: no currency says which. Infinite and NaN are no numbers.
pub fn read_number(text: &str) -> Result<f64, Unread> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    if body.contains(['e', 'E']) {
        return read_scientific(body)
            .map(|n| sign * n)
            .ok_or(Unread::NotANumber);
    }
    match read_digits(body) {
        Some(Reading::Exact(n)) => Ok(sign * n),
        Some(Reading::TwoWays {
            grouped, decimal, ..
        }) => Err(Unread::TwoWays(format!(
            "{}: write it without the separator or with a decimal point ({} or {})",
            two_ways(text, sign * grouped, sign * decimal),
            sign * grouped,
            sign * decimal
        ))),
        None => Err(Unread::NotANumber),
    }
}

/// `1e3`, `1.5E-2`: digits, an optional decimal point, an exponent; finite.
fn read_scientific(body: &str) -> Option<f64> {
    let (mantissa, exponent) = body.split_once(['e', 'E'])?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) && digits(fraction) && digits(exponent)) {
        return None;
    }
    body.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// An amount of money as typed or imported, before the configured currency is known:
/// the one reader of `status --value`, `edit --value`, `spend add` and import's deal
/// values. A currency symbol or code before or after is allowed and, when it names a
/// known currency, decides how `18.000` reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    text: String,
    reading: Reading,
}

/// What every amount error says is accepted.
const AMOUNTS: &str = "expected a number of at least 0, such as 5000, 1250.50, 1.250,50 or \
                       $1,250.50";

/// Read an amount, leaving `18.000` to the currency: `5000`, `1250.50`, `12,000.00`,
/// `$800`, `800 €`, `EUR 18.000`, `12,5`. Errors name the value and what is accepted.
pub fn parse_amount(text: &str) -> Result<Amount, String> {
    let trimmed = text.trim();
    let invalid = || format!("invalid amount '{trimmed}' ({AMOUNTS})");
    let first = trimmed
        .find(|c: char| c.is_ascii_digit())
        .ok_or_else(invalid)?;
    let last = trimmed
        .rfind(|c: char| c.is_ascii_digit())
        .ok_or_else(invalid)?;
    let (prefix, body, suffix) = (
        &trimmed[..first],
        &trimmed[first..=last],
        &trimmed[last + 1..],
    );
    if prefix.contains(['-', '\u{2212}']) {
        return Err(invalid());
    }
    let currency = |affix: &str| {
        let affix = affix.trim();
        match affix {
            "" => Ok(None),
            _ => grouping_of(affix).map(Some).ok_or_else(invalid),
        }
    };
    let named = currency(prefix)?.or(currency(suffix)?);
    let reading = read_digits(body).ok_or_else(invalid)?;
    let reading = match reading.by(named) {
        Ok(amount) => Reading::Exact(amount),
        Err(_) => reading,
    };
    Ok(Amount {
        text: trimmed.to_string(),
        reading,
    })
}

impl Amount {
    /// The amount, `18.000` read by `currency` (`leads config currency`). With no
    /// currency, or one whose convention is unknown, what reads two ways is refused.
    pub fn in_currency(&self, currency: Option<&str>) -> Result<f64, String> {
        let convention = currency.and_then(grouping_of);
        self.reading.by(convention).map_err(|(grouped, decimal)| {
            let set = match currency {
                Some(currency) => {
                    format!("the currency {currency} does not say which; set one that does")
                }
                None => "no currency is set to say which; set one".to_string(),
            };
            format!(
                "amount {}: {set}: `leads config currency EUR` (a dot groups thousands) \
                 or `leads config currency USD` (a comma does), or write {grouped} or \
                 {decimal}",
                two_ways(&self.text, grouped, decimal)
            )
        })
    }
}

/// An amount read whole: [`parse_amount`], then [`Amount::in_currency`].
pub fn read_amount(text: &str, currency: Option<&str>) -> Result<f64, String> {
    parse_amount(text)?.in_currency(currency)
}

/// A number as a file's cell (or a rule's value) holds it: a number (`read_number`), an
/// amount with its currency (`$5,000`, `1.250,50 €`: the currency says how it reads), or
/// a percentage (`12.5%` is 12.5). The one reader of numbers in imported attributes, for
/// scoring rules, scoring signals and `learn` alike. A cell that reads two ways (`1,200`
/// with no currency) is no number: never a guess.
pub fn read_cell_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let text = text.strip_suffix('%').unwrap_or(text);
    read_number(text)
        .ok()
        .or_else(|| read_amount(text, None).ok())
}

/// A company size as a person or an export writes it: a whole number of employees,
/// thousands grouped or not ("1200", "1,200", "1 200", "1.200", "12,000,000"); empty is
/// None. The one parser for `add`/`edit --size` and import: "1.5", "2,5" and "1,2,3" are
/// refused, never read as 15, 25 or 123.
pub fn parse_company_size(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || {
        format!(
            "invalid company size '{text}' (expected a whole number of employees, e.g. 120 \
             or 1,200)"
        )
    };
    let separators = [',', '.', ' ', '_', '\u{a0}', '\u{202f}', '\''];
    let separator = text.chars().find(|c| separators.contains(c));
    let groups: Vec<&str> = match separator {
        Some(separator) => text.split(separator).collect(),
        None => vec![text],
    };
    let digits = |group: &str| !group.is_empty() && group.chars().all(|c| c.is_ascii_digit());
    let grouped = groups.len() == 1
        || (groups[0].len() <= 3
            && digits(groups[0])
            && groups[1..]
                .iter()
                .all(|group| group.len() == 3 && digits(group)));
    if !grouped || !groups.iter().all(|group| digits(group)) {
        return Err(bad());
    }
    groups.concat().parse::<i64>().map(Some).map_err(|_| bad())
}

/// An amount of money as a message shows it: two decimals ("5000.00"); no currency
/// conversion, the label is the seller's (`leads config currency`).
pub fn money(amount: f64) -> String {
    format!("{amount:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_cells_are_read_by_the_one_reader_and_never_guessed() {
        let cases: [(&str, &str, Option<f64>); 10] = [
            ("plain", "1200", Some(1200.0)),
            ("decimal comma", "2,5", Some(2.5)),
            ("thousands and decimals", "1,200.5", Some(1200.5)),
            ("european thousands and decimals", "1.200,5", Some(1200.5)),
            (
                "dollar names the comma as thousands",
                "$5,000",
                Some(5000.0),
            ),
            ("euro names the dot as thousands", "€5.000", Some(5000.0)),
            ("percent", "12.5%", Some(12.5)),
            ("negative", "-3", Some(-3.0)),
            ("thousands or a decimal", "1,200", None),
            ("text", "many", None),
        ];
        for (name, text, expected) in cases {
            assert_eq!(read_cell_number(text), expected, "{name}: {text}");
        }
    }

    #[test]
    fn company_sizes_are_whole_numbers_with_optional_thousands() {
        let cases = [
            ("120", Ok(Some(120))),
            ("1,200", Ok(Some(1200))),
            ("1 200", Ok(Some(1200))),
            ("1.200", Ok(Some(1200))),
            ("12,000,000", Ok(Some(12_000_000))),
            ("", Ok(None)),
            ("  ", Ok(None)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_company_size(text), expected, "{text}");
        }
        for text in [
            "1.5", "2,5", "1,2,3", "-3", "many", "1,2000", "12,00", "1,200.5", "1e3",
        ] {
            assert!(parse_company_size(text).is_err(), "{text}");
        }
    }

    #[test]
    fn numbers_read_the_last_of_two_marks_as_the_decimal_one() {
        let cases = [
            ("plain", "12", Ok(12.0)),
            ("negative", "-3.5", Ok(-3.5)),
            ("plus sign", "+7", Ok(7.0)),
            ("decimal comma", "2,5", Ok(2.5)),
            ("decimal point", "12.50", Ok(12.5)),
            ("four decimals", "1,2345", Ok(1.2345)),
            ("leading zero is no group", "0,500", Ok(0.5)),
            ("four digits before is no group", "1234,567", Ok(1234.567)),
            ("dot then comma", "1.250,50", Ok(1250.5)),
            ("comma then dot", "1,250.50", Ok(1250.5)),
            ("commas repeated group", "1,250,000", Ok(1_250_000.0)),
            ("dots repeated group", "1.250.000", Ok(1_250_000.0)),
            ("spaces group", "12 000,5", Ok(12000.5)),
            ("apostrophes group", "1'250.50", Ok(1250.5)),
            ("scientific", "1e3", Ok(1000.0)),
            ("text", "abc", Err(Unread::NotANumber)),
            ("two decimal marks", "1.2.3", Err(Unread::NotANumber)),
            ("bad groups", "1,25,000", Err(Unread::NotANumber)),
            ("mark first", ".5", Err(Unread::NotANumber)),
            ("mark last", "5.", Err(Unread::NotANumber)),
            ("mixed groups", "1.250 000", Err(Unread::NotANumber)),
            (
                "decimal before group",
                "1,250.000,5",
                Err(Unread::NotANumber),
            ),
            ("not a number", "NaN", Err(Unread::NotANumber)),
            ("infinite", "inf", Err(Unread::NotANumber)),
            ("overflow", "1e309", Err(Unread::NotANumber)),
            ("empty", "", Err(Unread::NotANumber)),
        ];
        for (name, text, expected) in cases {
            assert_eq!(read_number(text), expected, "{name}: {text}");
        }
    }

    #[test]
    fn a_number_that_reads_two_ways_names_both_readings() {
        for (text, both) in [
            ("4,500", "'4,500' could be 4500 or 4.5"),
            ("18.000", "'18.000' could be 18000 or 18"),
            ("-1,250", "'-1,250' could be -1250 or -1.25"),
        ] {
            match read_number(text) {
                Err(Unread::TwoWays(message)) => assert!(message.starts_with(both), "{message}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn amounts_are_read_by_the_currency_written_or_set() {
        let cases: [(&str, &str, Option<&str>, f64); 20] = [
            ("plain", "5000", None, 5000.0),
            ("decimal point", "1250.50", None, 1250.5),
            ("decimal comma", "12,5", None, 12.5),
            ("grouped and decimal", " 12,000.00 ", None, 12000.0),
            ("groups repeated", "1,250,000", None, 1_250_000.0),
            ("dollar before", "$1,250.50", None, 1250.5),
            ("euro after", "800 €", None, 800.0),
            ("european both marks", "1.250,50", None, 1250.5),
            ("euro symbol decides", "€18.000", None, 18000.0),
            (
                "euro symbol over the setting",
                "€18.000",
                Some("USD"),
                18000.0,
            ),
            ("euro code before", "EUR 18.000", None, 18000.0),
            ("euro after with a dot", "4.500 €", None, 4500.0),
            ("dollar symbol decides", "$4,500", None, 4500.0),
            ("pound symbol decides", "£4.500", None, 4.5),
            ("setting EUR, dot", "18.000", Some("EUR"), 18000.0),
            ("setting EUR, comma", "4,500", Some("EUR"), 4.5),
            ("setting USD, comma", "4,500", Some("USD"), 4500.0),
            ("setting USD, dot", "18.000", Some("USD"), 18.0),
            ("setting by symbol", "18.000", Some("€"), 18000.0),
            ("setting in lower case", "18.000", Some("sek"), 18000.0),
        ];
        for (name, text, currency, expected) in cases {
            assert_eq!(read_amount(text, currency), Ok(expected), "{name}: {text}");
        }
    }

    #[test]
    fn an_amount_that_reads_two_ways_is_refused_without_a_known_currency() {
        for (text, currency, both) in [
            (
                "18.000",
                None,
                "amount '18.000' could be 18000 or 18: no currency is set",
            ),
            (
                "4,500",
                None,
                "amount '4,500' could be 4500 or 4.5: no currency is set",
            ),
            ("4,500", Some("BTC"), "the currency BTC does not say which"),
        ] {
            let err = read_amount(text, currency).unwrap_err();
            assert!(err.contains(both), "{err}");
            assert!(err.contains("`leads config currency EUR`"), "{err}");
        }
    }

    #[test]
    fn amounts_are_non_negative_decimals() {
        for text in [
            "-5", "€-5", "-€5", "", "abc", "5e3", "1.2.3", "NaN", "inf", ".5", "5 apples",
            "1,25,000", "$",
        ] {
            let err = parse_amount(text).unwrap_err();
            assert!(err.contains(&format!("'{}'", text.trim())), "{err}");
            assert!(err.contains("at least 0"), "{err}");
        }
    }
}
