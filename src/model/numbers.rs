//! Numbers as people write them (amounts of money, company sizes) and the one rounding rule.

/// `value` rounded to `decimals` places, for figures people read (a probability to three
/// places, a percentage to one, an amount to two): the one rounding rule of the contract.
pub fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// An amount of money (a spend, a deal's value): a non-negative decimal number, as people
/// write it: `5000`, `1250.50`, `12,000.00`, `$800`, `800 €`. No currency conversion: the
/// symbol is only dropped. Errors name the value and what is accepted.
pub fn parse_amount(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let bare = trimmed
        .trim_start_matches(['$', '€', '£', '¥'])
        .trim_end_matches(['$', '€', '£', '¥'])
        .trim();
    let invalid = || {
        format!(
            "invalid amount '{trimmed}' (expected a number of at least 0, such as 5000, \
             1250.50 or 12,000.00)"
        )
    };
    let (whole, fraction) = match bare.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (bare, None),
    };
    // Commas only as thousands separators: 12,000 and 1,250,000, never 12,5.
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|group| group.len() == 3));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !grouped
        || !groups.iter().all(|group| digits(group))
        || fraction.is_some_and(|fraction| !digits(fraction))
    {
        return Err(invalid());
    }
    let number = format!("{}.{}", groups.concat(), fraction.unwrap_or("0"));
    match number.parse::<f64>() {
        Ok(amount) if amount.is_finite() => Ok(amount),
        _ => Err(invalid()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn amounts_are_non_negative_decimals() {
        for (text, amount) in [
            ("5000", 5000.0),
            ("1250.50", 1250.5),
            (" 12,000.00 ", 12000.0),
            ("1,250,000", 1_250_000.0),
            ("$800", 800.0),
            ("800 €", 800.0),
            ("0", 0.0),
        ] {
            assert_eq!(parse_amount(text), Ok(amount), "{text}");
        }
        for text in [
            "-5", "", "abc", "12,5", "1,2345", "5e3", "1.2.3", "NaN", "inf", ".5",
        ] {
            let err = parse_amount(text).unwrap_err();
            assert!(err.contains(&format!("'{}'", text.trim())), "{err}");
            assert!(err.contains("at least 0"), "{err}");
        }
    }
}
