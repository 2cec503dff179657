//! Moments as leads stores them (`2026-03-01T09:00:00Z`, RFC 3339 in UTC to the second),
//! read by hand: a report reads a million of them and a table a column of them, where
//! chrono's general parser was most of the cost. Any other shape (an offset, a fraction)
//! is left to the caller's general reader: None.

/// The year, month, day, hour, minute and second of a moment in the stored shape, each
/// within its range (the day 1 to 31, the second 0 to 60), or None for any other text.
/// Whether such a day exists is the caller's question (a table shows `2026-02-31` as it
/// is; the report counts it where its seconds fall).
pub fn stored_parts(text: &[u8]) -> Option<[i64; 6]> {
    if text.len() != 20 || text[19] != b'Z' || text[10] != b'T' {
        return None;
    }
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|(at, byte)| text[*at] != *byte) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        text[range].iter().try_fold(0i64, |total, byte| {
            byte.is_ascii_digit()
                .then(|| total * 10 + i64::from(byte - b'0'))
        })
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    Some([year, month, day, hour, minute, second])
}

/// Seconds since 1970 of a moment in the stored shape (`stored_parts`), or None.
pub fn stored_seconds(text: &[u8]) -> Option<i64> {
    let [year, month, day, hour, minute, second] = stored_parts(text)?;
    // Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let shifted = if month <= 2 { year - 1 } else { year };
    let era = shifted.div_euclid(400);
    let year_of_era = shifted - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::test_support::at;

    #[test]
    fn the_stored_shape_is_read_as_chrono_reads_it() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2026-03-01T09:00:00Z",
            "2000-02-29T23:59:59Z",
            "1969-12-31T00:00:00Z",
            "1900-01-01T00:00:00Z",
            "2199-12-31T23:59:59Z",
        ] {
            assert_eq!(
                stored_seconds(text.as_bytes()),
                Some(at(text).timestamp()),
                "{text}"
            );
        }
    }

    #[test]
    fn any_other_text_is_left_to_the_general_reader() {
        for text in [
            "2026-03-01T09:00:00+01:00",
            "2026-03-01T09:00:00.5Z",
            "2026-13-01T09:00:00Z",
            "2026-03-32T09:00:00Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01 09:00:00Z",
            "２０２６-03-01T09:00:00Z",
            "",
        ] {
            assert_eq!(stored_seconds(text.as_bytes()), None, "{text}");
        }
    }
}
