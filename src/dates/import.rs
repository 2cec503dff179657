//! Dates in imported files: ISO 8601, or the `--date-format` the user gave; day and month
//! orders are never guessed.
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::parse_iso;

/// A `--date-format` pattern chrono can use and that names a day, a month and a year:
/// checked once, up front, rather than failing on every row.
pub fn check_date_format(pattern: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    let broken = StrftimeItems::new(pattern).any(|item| matches!(item, Item::Error));
    let has_date = [
        "%d", "%e", "%m", "%b", "%B", "%y", "%Y", "%F", "%D", "%x", "%j",
    ]
    .iter()
    .any(|part| pattern.contains(part));
    if broken || !has_date {
        return Err(format!(
            "invalid pattern '{pattern}' (a strftime pattern with a day, a month and a year, \
             e.g. %m/%d/%Y, %d/%m/%Y or %d.%m.%Y %H:%M)"
        ));
    }
    Ok(())
}

/// A date from an imported file: ISO 8601, or the strftime `format` the user gave.
/// Naive values are UTC. Day/month orders are never guessed.
pub fn parse_import_date(text: &str, format: Option<&str>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Some(at) = parse_iso(text, &Utc) {
        return Ok(at);
    }
    if let Some(format) = format {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Ok(at.with_timezone(&Utc));
        }
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(at.and_utc());
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Ok(date.and_time(NaiveTime::MIN).and_utc());
        }
        return Err(format!(
            "date '{text}' does not match --date-format '{format}'"
        ));
    }
    let numbers: Vec<&str> = text.split(['/', '.', '-']).collect();
    let ambiguous = numbers.len() == 3
        && numbers[..2]
            .iter()
            .all(|n| n.parse::<u32>().is_ok_and(|n| (1..=12).contains(&n)));
    if ambiguous {
        Err(format!(
            "ambiguous date '{text}': day and month could be either way; \
             give --date-format %m/%d/%Y or --date-format %d/%m/%Y"
        ))
    } else {
        Err(format!(
            "unrecognized date '{text}' (expected ISO 8601 like 2025-03-04 or 2025-03-04 14:30; \
             give --date-format for others, e.g. %d/%m/%Y)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::at;

    #[test]
    fn date_format_patterns() {
        for good in ["%m/%d/%Y", "%d.%m.%Y %H:%M", "%F"] {
            assert_eq!(check_date_format(good), Ok(()), "{good}");
        }
        for bad in ["%Q", "%H:%M", "", "%"] {
            assert!(check_date_format(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn import_dates() {
        let ok = [
            ("2025-03-04", None, "2025-03-04T00:00:00Z"),
            ("2025-03-04 14:05", None, "2025-03-04T14:05:00Z"),
            ("2025-03-04T14:05:06.123Z", None, "2025-03-04T14:05:06.123Z"),
            ("03/04/2025", Some("%m/%d/%Y"), "2025-03-04T00:00:00Z"),
            ("03/04/2025", Some("%d/%m/%Y"), "2025-04-03T00:00:00Z"),
            (
                "03/04/2025 10:00",
                Some("%d/%m/%Y %H:%M"),
                "2025-04-03T10:00:00Z",
            ),
        ];
        for (input, format, expected) in ok {
            assert_eq!(
                parse_import_date(input, format),
                Ok(at(expected)),
                "{input}"
            );
        }
        let ambiguous = parse_import_date("03/04/2025", None).unwrap_err();
        assert!(ambiguous.contains("ambiguous"), "{ambiguous}");
        let unknown = parse_import_date("13/04/2025", None).unwrap_err();
        assert!(unknown.contains("--date-format"), "{unknown}");
        assert!(parse_import_date("2025-03-04", Some("%d/%m/%Y")).is_ok());
        assert!(parse_import_date("nope", Some("%d/%m/%Y")).is_err());
    }
}
