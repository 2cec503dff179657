//! The `--date-format` of an import, checked up front. The dates themselves are read by
//! `io::dates_in` (ISO 8601, month names, a numeric order settled per column).

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_format_patterns() {
        for good in ["%m/%d/%Y", "%d.%m.%Y %H:%M", "%F"] {
            assert_eq!(check_date_format(good), Ok(()), "{good}");
        }
        for bad in ["%Q", "%H:%M", "", "%"] {
            assert!(check_date_format(bad).is_err(), "{bad}");
        }
    }
}
