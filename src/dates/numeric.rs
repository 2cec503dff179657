//! Numeric dates as people type them: day first with dots ("15.04.2027"), and with
//! slashes ("04/15/2027", "15/04/2027") only when one reading exists. "05/04/2027" is
//! 4 May to an American and 5 April to a European: guessing would file a follow-up a
//! month off, so it is refused naming both readings.
use chrono::{Datelike, NaiveDate};

/// Whether `word` has the shape of a numeric date ("15.04.2027", "4/15/2027"), read or
/// not: such a word keeps its dots when a WHEN is split into words.
pub(super) fn is_numeric_date(word: &str) -> bool {
    parts(word, '.').is_some() || parts(word, '/').is_some()
}

/// The date of "15.04.2027" (day first), or of "04/15/2027" / "15/04/2027" when only one
/// reading is a date.
pub(super) fn numeric_date(word: &str) -> Option<NaiveDate> {
    if let Some((day, month, year)) = parts(word, '.') {
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    match slash_readings(word).as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// The refusal of a slashed date with two readings, naming both and how to write each.
pub(super) fn ambiguity(word: &str) -> Option<String> {
    match slash_readings(word).as_slice() {
        [month_first, day_first] => Some(format!(
            "ambiguous date '{word}': it could be {} or {} {}; write {} or {}",
            month_first.format("%-d %B"),
            day_first.format("%-d %B"),
            month_first.year(),
            month_first.format("%Y-%m-%d"),
            day_first.format("%Y-%m-%d"),
        )),
        _ => None,
    }
}

/// The dates "A/B/YYYY" may be: month first, then day first; one when both readings are
/// the same day ("05/05/2027") or only one is a date ("04/15/2027").
fn slash_readings(word: &str) -> Vec<NaiveDate> {
    let Some((first, second, year)) = parts(word, '/') else {
        return Vec::new();
    };
    let mut readings: Vec<NaiveDate> = [(first, second), (second, first)]
        .into_iter()
        .filter_map(|(month, day)| NaiveDate::from_ymd_opt(year, month, day))
        .collect();
    readings.dedup();
    readings
}

/// "15.04.2027" split on `separator`: two numbers of one or two digits, and a year of
/// four.
fn parts(word: &str, separator: char) -> Option<(u32, u32, i32)> {
    let mut parts = word.split(separator);
    let (first, second, year) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |part: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some() || !digits(first, 1..=2) || !digits(second, 1..=2) {
        return None;
    }
    if !digits(year, 4..=4) {
        return None;
    }
    Some((
        first.parse().ok()?,
        second.parse().ok()?,
        year.parse().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_dates() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let cases = [
            // Dots: always day first.
            ("15.04.2027", date(2027, 4, 15)),
            ("5.4.2027", date(2027, 4, 5)),
            ("05.04.2027", date(2027, 4, 5)),
            ("31.04.2027", None),
            ("15.13.2027", None),
            // Slashes: the one reading there is.
            ("04/15/2027", date(2027, 4, 15)),
            ("15/04/2027", date(2027, 4, 15)),
            ("4/15/2027", date(2027, 4, 15)),
            ("05/05/2027", date(2027, 5, 5)),
            ("02/29/2028", date(2028, 2, 29)),
            // Two readings, or none.
            ("05/04/2027", None),
            ("02/30/2027", None),
            ("13/13/2027", None),
            ("32/01/2026", None),
            // Not the shape of a numeric date.
            ("15.04.27", None),
            ("15.04", None),
            ("15/04", None),
            ("1.2.3.2027", None),
            ("a.04.2027", None),
            ("15-04-2027", None),
            ("150.4.2027", None),
        ];
        for (input, expected) in cases {
            assert_eq!(numeric_date(input), expected, "{input}");
        }
    }

    #[test]
    fn two_readings_are_refused_naming_both() {
        assert_eq!(
            ambiguity("05/04/2027").as_deref(),
            Some(
                "ambiguous date '05/04/2027': it could be 4 May or 5 April 2027; \
                 write 2027-05-04 or 2027-04-05"
            )
        );
        assert_eq!(
            ambiguity("1/2/2026").as_deref(),
            Some(
                "ambiguous date '1/2/2026': it could be 2 January or 1 February 2026; \
                 write 2026-01-02 or 2026-02-01"
            )
        );
        for one in [
            "04/15/2027",
            "05/05/2027",
            "15.04.2027",
            "05.04.2027",
            "soon",
        ] {
            assert_eq!(ambiguity(one), None, "{one}");
        }
    }
}
