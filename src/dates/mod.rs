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
//! files, and the `--date-format` check), `range` (the years a date may lie in), `stored`
//! (moments as leads stores them, read fast). Everything is re-exported here.
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};

pub mod imported;
mod interval;
mod iso;
mod months;
mod numeric;
mod range;
mod stored;
mod timeline;
mod when;

pub use imported::check_date_format;
pub use interval::{parse_delay, parse_interval, Interval, INTERVAL_FORMS};
pub use iso::parse_iso;
pub use months::month_number;
pub use range::{check_range, in_range, FIRST_YEAR, LAST_YEAR};
pub use stored::{stored_parts, stored_seconds};
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

    /// Every reader of a typed or imported date, on `text`.
    fn read_every_way(text: &str) {
        let _ = parse_when(text, test_now(), &Utc);
        let _ = parse_past_when(text, test_now(), &Utc);
        let _ = parse_timeline(text, test_now(), &Utc);
        let _ = parse_interval(text);
        // The import's reader of dates, with and without a --date-format.
        use imported::{read_date, Order};
        let _ = read_date(text, None, Order::Unknown);
        let _ = read_date(text, Some("%d/%m/%Y %H"), Order::DayFirst);
    }

    /// Text made of what dates are made of: digits, signs, units, words' letters.
    fn date_soup(
        length: std::ops::Range<usize>,
    ) -> impl proptest::strategy::Strategy<Value = String> {
        let alphabet: Vec<char> = "0123456789-+:/TZ .,dwhmoinagtxyzqé\u{0}".chars().collect();
        proptest::collection::vec(proptest::sample::select(alphabet), length)
            .prop_map(|chars| chars.into_iter().collect())
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        #[test]
        fn random_text_never_panics(text in date_soup(0..24)) {
            read_every_way(&text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20))]

        /// A long text (a pasted paragraph, a file's cell) is read in linear time: a
        /// quadratic reader would take minutes on 20,000 characters.
        #[test]
        fn long_text_is_read_in_linear_time(text in date_soup(5_000..20_000)) {
            let started = std::time::Instant::now();
            read_every_way(&text);
            prop_assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{} characters took {:?}",
                text.len(),
                started.elapsed()
            );
        }
    }
}

/// For tests of every floor: the lowest one holds it, so no test imports upward.
#[cfg(test)]
pub(crate) mod test_support {
    use chrono::{DateTime, Utc};

    /// An RFC 3339 moment, for writing expected times plainly.
    pub fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("an RFC 3339 date-time")
            .with_timezone(&Utc)
    }
}
