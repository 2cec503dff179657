//! A purchase timeline (`qualify --timeline`): any WHEN, and also a quarter ("Q2", "q2
//! 2027") or a month ("april", "april 2027") as buyers say when they mean to buy.
//!
//! A quarter or a month stands for its last day (at the start of it, as every day without
//! a time): a timeline is when the lead means to buy *by*, so "Q2" is "by the end of Q2".
//! Readiness counts the days until the timeline (the sooner, the readier), and the last
//! day keeps that honest: the first day would make the current quarter "passed" and worth
//! the most points while the buyer still has weeks. It also agrees with `end of month`
//! ("april" typed in April is `end of month`).
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, TimeZone, Utc};

use super::{local_to_utc, month_number, when::parse_when_or};

/// What a timeline takes beyond WHEN, as its error message lists it.
const PERIOD_FORMS: &str = "; a timeline also takes a quarter or a month: Q2, Q2 2027, april, \
april 2027 (the current one while inside it, else the next; its last day)";

/// Parse a purchase timeline: a quarter or a month (its last day: the current one while
/// inside it, else the next; or that of the year given), else any WHEN (`parse_when`).
pub fn parse_timeline<Tz: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<DateTime<Utc>, String> {
    let today = now.with_timezone(tz).date_naive();
    match period_end(text, today) {
        Some(last) => local_to_utc(last.and_time(NaiveTime::MIN), tz)
            .ok_or_else(|| format!("invalid date '{text}'")),
        None => parse_when_or(text, now, tz, PERIOD_FORMS),
    }
}

/// The last day of the quarter or month `text` names, with a year or not.
fn period_end(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let lower = text.trim().to_lowercase();
    let (period, year) = match lower.split_whitespace().collect::<Vec<_>>().as_slice() {
        [period] => (*period, None),
        [period, year] if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => {
            (*period, Some(year.parse::<i32>().ok()?))
        }
        _ => return None,
    };
    let (first_month, months) = match period {
        "q1" => (1, 3),
        "q2" => (4, 3),
        "q3" => (7, 3),
        "q4" => (10, 3),
        month => (month_number(month)?, 1),
    };
    let last_day = |year: i32| {
        NaiveDate::from_ymd_opt(year, first_month, 1)?
            .checked_add_months(Months::new(months))?
            .pred_opt()
    };
    match year {
        Some(year) => last_day(year),
        // This year's while it has not ended (inside it or still to come), else next year's.
        None => [today.year(), today.year() + 1]
            .into_iter()
            .filter_map(last_day)
            .find(|last| *last >= today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::test_now as now;
    use crate::dates::test_support::at;
    use chrono::FixedOffset;

    #[test]
    fn quarters_and_months_are_their_last_day() {
        // now() is Sunday 2026-03-01 09:30 UTC: inside Q1 and March.
        let cases = [
            ("Q1", "2026-03-31T00:00:00Z"),
            ("q2", "2026-06-30T00:00:00Z"),
            ("Q3", "2026-09-30T00:00:00Z"),
            ("Q4", "2026-12-31T00:00:00Z"),
            ("Q2 2027", "2027-06-30T00:00:00Z"),
            ("q1 2025", "2025-03-31T00:00:00Z"),
            ("march", "2026-03-31T00:00:00Z"),
            ("April", "2026-04-30T00:00:00Z"),
            ("feb", "2027-02-28T00:00:00Z"),
            ("January", "2027-01-31T00:00:00Z"),
            ("sept", "2026-09-30T00:00:00Z"),
            ("february 2028", "2028-02-29T00:00:00Z"),
            (" DEC 2026 ", "2026-12-31T00:00:00Z"),
            // Any WHEN is a timeline too.
            ("tomorrow", "2026-03-02T00:00:00Z"),
            ("in two weeks", "2026-03-15T09:30:00Z"),
            ("Dec 5", "2026-12-05T00:00:00Z"),
            ("15.04.2027", "2027-04-15T00:00:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_timeline(input, now(), &Utc),
                Ok(at(expected)),
                "{input}"
            );
        }
    }

    #[test]
    fn the_current_period_until_its_last_day_then_the_next() {
        let cases = [
            // (now, text, timeline)
            ("2026-06-30T23:00:00Z", "Q2", "2026-06-30T00:00:00Z"),
            ("2026-07-01T00:00:00Z", "Q2", "2027-06-30T00:00:00Z"),
            ("2026-12-31T12:00:00Z", "Q4", "2026-12-31T00:00:00Z"),
            ("2027-01-01T00:00:00Z", "Q4", "2027-12-31T00:00:00Z"),
            ("2026-04-30T18:00:00Z", "april", "2026-04-30T00:00:00Z"),
            ("2026-05-01T00:00:00Z", "april", "2027-04-30T00:00:00Z"),
        ];
        for (now, text, expected) in cases {
            assert_eq!(
                parse_timeline(text, at(now), &Utc),
                Ok(at(expected)),
                "{text} at {now}"
            );
        }
    }

    #[test]
    fn a_period_ends_on_the_local_calendar() {
        // 2026-03-31 23:30 UTC is already April 1 in Auckland (UTC+13): Q1 is over there.
        let auckland = FixedOffset::east_opt(13 * 3600).unwrap();
        assert_eq!(
            parse_timeline("Q1", at("2026-03-31T23:30:00Z"), &auckland),
            Ok(at("2027-03-30T11:00:00Z"))
        );
        assert_eq!(
            parse_timeline("Q1", at("2026-03-31T23:30:00Z"), &Utc),
            Ok(at("2026-03-31T00:00:00Z"))
        );
    }

    #[test]
    fn a_bad_timeline_lists_quarters_and_months_too() {
        for input in [
            "Q5",
            "q2 27",
            "april 5 2027 2028",
            "soon",
            "2027 Q2",
            "quarter",
        ] {
            let err = parse_timeline(input, now(), &Utc).unwrap_err();
            assert!(err.contains(&format!("'{input}'")), "{err}");
            assert!(
                err.contains("tomorrow") && err.contains("Q2 2027, april"),
                "{err}"
            );
        }
        // A quarter or a month alone is a timeline's form only.
        let due = crate::dates::parse_when("april", now(), &Utc).unwrap_err();
        assert!(!due.contains("Q2"), "{due}");
    }
}
