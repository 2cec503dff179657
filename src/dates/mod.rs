//! Dates, read two ways. What a seller types (WHEN and INTERVAL: "tomorrow", "friday
//! afternoon", "+3d", "in two weeks", "15.04.2027", ISO dates; a timeline's "Q2" and
//! "april"): `parse_when`, `parse_past_when`, `parse_timeline`, `parse_interval`. What a
//! file's cells hold (an import's dates, whose day/month order the column settles):
//! `imported::read_date`. Both share the ISO, numeric and month-name readers below.
//!
//! Pure: `now` and the time zone are passed in. A date without a time means the start
//! of that day in the given time zone; results are in UTC.
//!
//! One file a job: `when` (the WHEN reader), `timeline` (a purchase timeline: WHEN, a
//! quarter or a month), `interval` (spans and recurrences), `months` (month names),
//! `numeric` (dates with dots and slashes), `iso` (ISO 8601), `imported` (dates in imported
//! files, and the `--date-format` check), `range` (the years a date may lie in). Everything is re-exported here.
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};

pub mod imported;
mod interval;
mod iso;
mod months;
mod numeric;
mod range;
mod timeline;
mod when;

pub use imported::check_date_format;
pub use interval::{parse_delay, parse_interval, Interval, INTERVAL_FORMS};
pub use iso::parse_iso;
pub use months::month_number;
pub use range::{check_range, in_range, FIRST_YEAR, LAST_YEAR};
pub use timeline::parse_timeline;
pub use when::{parse_past_when, parse_when, WHEN_FORMS};

/// The clock: `LEADS_NOW` (RFC 3339) when set, so tests and cron checks can pin it, else
/// the system's. The one reading of it: `lib::clock` for a run, the command line's WHEN
/// checks (which only validate) alike.
pub fn now() -> Result<DateTime<Utc>, String> {
    match std::env::var("LEADS_NOW") {
        Ok(text) if !text.trim().is_empty() => DateTime::parse_from_rfc3339(text.trim())
            .map(|at| at.with_timezone(&Utc))
            .map_err(|_| {
                format!(
                    "LEADS_NOW '{text}' is not an RFC 3339 date-time (e.g. 2026-03-01T09:00:00Z)"
                )
            }),
        _ => Ok(Utc::now()),
    }
}

/// A local wall-clock time in UTC. In a DST gap the time does not exist: take the
/// moment just after the gap; in a fold take the earlier of the two.
pub fn local_to_utc<Tz: TimeZone>(local: NaiveDateTime, tz: &Tz) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(at) => Some(at.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(early, _) => Some(early.with_timezone(&Utc)),
        chrono::LocalResult::None => tz
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map(|at| at.with_timezone(&Utc)),
    }
}

/// Sunday 2026-03-01 09:30 UTC: `now` in the unit tests.
#[cfg(test)]
fn test_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_text_never_panics() {
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let alphabet: Vec<char> = "0123456789-+:/TZ .,dwhmoinagtxyzqé\u{0}".chars().collect();
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            let text: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 50)) as usize + i * 7) % alphabet.len()])
                .collect();
            let _ = parse_when(&text, test_now(), &Utc);
            let _ = parse_past_when(&text, test_now(), &Utc);
            let _ = parse_timeline(&text, test_now(), &Utc);
            let _ = parse_interval(&text);
            // The import's reader of dates, with and without a --date-format.
            use imported::{read_date, Order};
            let _ = read_date(&text, None, Order::Unknown);
            let _ = read_date(&text, Some("%d/%m/%Y %H"), Order::DayFirst);
        }
    }
}
