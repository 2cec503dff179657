//! ISO 8601 dates and times as exports and people write them.
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use super::local_to_utc;

/// ISO 8601 as exports write it: a date, a date-time with `T` or a space, with or without
/// seconds and fractions, with or without an offset. Naive values are read in `tz`.
pub fn parse_iso<Tz: TimeZone>(text: &str, tz: &Tz) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    let normalized = text.replacen(' ', "T", 1);
    for pattern in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(at) = DateTime::<FixedOffset>::parse_from_str(&normalized, pattern) {
            return Some(at.with_timezone(&Utc));
        }
    }
    if let Some(naive) = normalized.strip_suffix('Z') {
        return parse_naive_iso(naive).map(|at| at.and_utc());
    }
    local_to_utc(parse_naive_iso(&normalized)?, tz)
}

fn parse_naive_iso(text: &str) -> Option<NaiveDateTime> {
    for pattern in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, pattern) {
            return Some(at);
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|date| date.and_time(NaiveTime::MIN))
}
