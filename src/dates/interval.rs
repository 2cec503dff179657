//! INTERVAL: a span of time ("3d", "2w", "1mo"), how it moves a date on the local
//! calendar, and the next date of a recurrence.
use std::fmt;

use chrono::{DateTime, Datelike, Days, Duration, Months, NaiveDateTime, NaiveTime, TimeZone, Utc};

use super::{in_range, local_to_utc};

/// What the INTERVAL error messages list as accepted.
pub const INTERVAL_FORMS: &str = "accepted: 4h, 3d, 2w, 1mo (also '3 days', '2 weeks')";

/// A span of time: minutes and hours are exact lengths; days, weeks and months are steps
/// on the local calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Minutes(u32),
    Hours(u32),
    Days(u32),
    Weeks(u32),
    Months(u32),
}

impl Interval {
    /// `at` moved forward (or back, with `sign` -1) by this interval. Days, weeks and
    /// months are steps on the local calendar in `tz` (a daily 9:00 stays 9:00 across a
    /// change of summer time); minutes and hours are exact lengths.
    pub fn shift<Tz: TimeZone>(
        self,
        at: DateTime<Utc>,
        sign: i64,
        tz: &Tz,
    ) -> Option<DateTime<Utc>> {
        let exact = |duration: Duration| at.checked_add_signed(duration * sign as i32);
        match self {
            Interval::Minutes(n) => exact(Duration::minutes(n.into())),
            Interval::Hours(n) => exact(Duration::hours(n.into())),
            Interval::Days(_) | Interval::Weeks(_) | Interval::Months(_) => {
                let local = at.with_timezone(tz).naive_local();
                local_to_utc(self.step_local(local, sign)?, tz)
            }
        }
    }

    /// A local date and time moved by this calendar step (days, weeks or months; None for
    /// minutes and hours, which are no calendar steps).
    fn step_local(self, local: NaiveDateTime, sign: i64) -> Option<NaiveDateTime> {
        let days = |n: u32, per: u64| Days::new(u64::from(n) * per);
        match self {
            Interval::Minutes(_) | Interval::Hours(_) => None,
            Interval::Days(n) | Interval::Weeks(n) => {
                let days = days(
                    n,
                    if matches!(self, Interval::Weeks(_)) {
                        7
                    } else {
                        1
                    },
                );
                if sign < 0 {
                    local.checked_sub_days(days)
                } else {
                    local.checked_add_days(days)
                }
            }
            Interval::Months(n) => {
                if sign < 0 {
                    local.checked_sub_months(Months::new(n))
                } else {
                    local.checked_add_months(Months::new(n))
                }
            }
        }
    }

    /// Whether the steps are on the calendar (days, weeks, months), where a time of day
    /// means something; minutes and hours are exact lengths.
    pub fn is_calendar(self) -> bool {
        !matches!(self, Interval::Minutes(_) | Interval::Hours(_))
    }

    /// This interval `k` times over ("2w" three times is "6w").
    fn times(self, k: u32) -> Option<Interval> {
        Some(match self {
            Interval::Minutes(n) => Interval::Minutes(n.checked_mul(k)?),
            Interval::Hours(n) => Interval::Hours(n.checked_mul(k)?),
            Interval::Days(n) => Interval::Days(n.checked_mul(k)?),
            Interval::Weeks(n) => Interval::Weeks(n.checked_mul(k)?),
            Interval::Months(n) => Interval::Months(n.checked_mul(k)?),
        })
    }

    /// The first of `start + k * self` (k >= 1) strictly after `after`: the next date of a
    /// cadence, skipping those already missed so a neglected cadence does not pile up.
    /// Steps count from `start` (Jan 31, Feb 28, Mar 31), never drifting.
    ///
    /// `wall` is the time of day the seller asked for (days, weeks and months): steps count
    /// days on the local calendar from the day `start` was for, and each occurrence is at
    /// that time; one that does not exist that day (a change to summer time) moves to the
    /// next valid time, that day only. Without it, the time of day is `start`'s own.
    pub fn next_after<Tz: TimeZone>(
        self,
        start: DateTime<Utc>,
        after: DateTime<Utc>,
        tz: &Tz,
        wall: Option<NaiveTime>,
    ) -> Option<DateTime<Utc>> {
        if self.approx_duration().is_zero() {
            return None; // zero steps never get past `after`
        }
        let anchor = self.is_calendar().then(|| wall_anchor(start, tz, wall));
        let behind = if let Interval::Months(n) = self {
            let months =
                (after.year() - start.year()) * 12 + after.month() as i32 - start.month() as i32;
            i64::from(months / n as i32)
        } else {
            (after - start).num_seconds() / self.approx_duration().num_seconds().max(1)
        };
        // Start a step short of the estimate: month lengths, summer time and the time of
        // day may round it either way.
        let mut k = u32::try_from(behind - 1).unwrap_or(0).max(1);
        loop {
            let steps = self.times(k)?;
            let next = match anchor {
                Some(anchor) => local_to_utc(steps.step_local(anchor, 1)?, tz)?,
                None => steps.shift(start, 1, tz)?,
            };
            if next > after {
                // A recurrence that would leave the years leads stores ends there.
                return in_range(next).then_some(next);
            }
            k = k.checked_add(1)?;
        }
    }

    /// An approximate length, for filters such as `--due-within`.
    pub fn approx_duration(self) -> Duration {
        match self {
            Interval::Minutes(n) => Duration::minutes(n.into()),
            Interval::Hours(n) => Duration::hours(n.into()),
            Interval::Days(n) => Duration::days(n.into()),
            Interval::Weeks(n) => Duration::weeks(n.into()),
            Interval::Months(n) => Duration::days(30 * i64::from(n)),
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interval::Minutes(n) => write!(f, "{n}min"),
            Interval::Hours(n) => write!(f, "{n}h"),
            Interval::Days(n) => write!(f, "{n}d"),
            Interval::Weeks(n) => write!(f, "{n}w"),
            Interval::Months(n) => write!(f, "{n}mo"),
        }
    }
}

/// Where a recurrence's steps count from, on the local calendar: `start`'s local date and
/// time, or with `wall` the day `start` was for at that time of day. An occurrence that a
/// gap at midnight moved into the next day was for the day before.
fn wall_anchor<Tz: TimeZone>(
    start: DateTime<Utc>,
    tz: &Tz,
    wall: Option<NaiveTime>,
) -> NaiveDateTime {
    let local = start.with_timezone(tz).naive_local();
    let Some(wall) = wall else {
        return local;
    };
    let day = local.date();
    if let Some(before) = day.pred_opt().map(|d| d.and_time(wall)) {
        if local.time() < wall && local_to_utc(before, tz) == Some(start) {
            return before;
        }
    }
    day.and_time(wall)
}

/// Parse "3d", "2w", "4h", "1mo", "3 days", "2 weeks". Zero is refused: it would never move.
pub fn parse_interval(text: &str) -> Result<Interval, String> {
    parse_span(text, false)
}

/// Parse the delay of a cadence step: an interval, where zero ("0d": at once) is allowed.
pub fn parse_delay(text: &str) -> Result<Interval, String> {
    parse_span(text, true)
}

fn parse_span(text: &str, zero_allowed: bool) -> Result<Interval, String> {
    let bad = || format!("invalid interval '{text}' ({INTERVAL_FORMS})");
    let compact: String = text.trim().to_lowercase().split_whitespace().collect();
    let digits_end = compact
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(compact.len());
    let (number, unit) = compact.split_at(digits_end);
    let n: u32 = number.parse().map_err(|_| bad())?;
    if n == 0 && !zero_allowed {
        return Err(format!(
            "invalid interval '{text}': it must be more than zero ({INTERVAL_FORMS})"
        ));
    }
    // At most about a century: beyond that no calendar arithmetic is meaningful.
    let (interval, most) = match unit {
        "min" | "mins" | "minute" | "minutes" => (Interval::Minutes(n), 52_596_000),
        "h" | "hr" | "hrs" | "hour" | "hours" => (Interval::Hours(n), 876_600),
        "d" | "day" | "days" => (Interval::Days(n), 36_525),
        "w" | "wk" | "wks" | "week" | "weeks" => (Interval::Weeks(n), 5_218),
        "mo" | "mon" | "month" | "months" => (Interval::Months(n), 1_200),
        _ => return Err(bad()),
    };
    if n > most {
        return Err(format!(
            "invalid interval '{text}': at most 100 years ({most}{}) ({INTERVAL_FORMS})",
            &interval.to_string()[n.to_string().len()..]
        ));
    }
    Ok(interval)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::test_now as now;
    use crate::dates::test_support::at;
    use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

    #[test]
    fn intervals() {
        let cases = [
            ("3d", Interval::Days(3)),
            ("2w", Interval::Weeks(2)),
            ("4h", Interval::Hours(4)),
            ("1mo", Interval::Months(1)),
            ("3 days", Interval::Days(3)),
            ("2 Weeks", Interval::Weeks(2)),
            ("90min", Interval::Minutes(90)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_interval(input), Ok(expected), "{input}");
        }
        for input in ["", "w", "0d", "3x", "-2d", "2.5d"] {
            assert!(parse_interval(input).is_err(), "{input}");
        }
        assert_eq!(Interval::Weeks(2).to_string(), "2w");
    }

    #[test]
    fn a_step_delay_may_be_zero_and_zero_never_recurs() {
        assert_eq!(parse_delay("0d"), Ok(Interval::Days(0)));
        assert_eq!(parse_delay("3 days"), Ok(Interval::Days(3)));
        assert!(parse_delay("-1d").is_err());
        assert_eq!(Interval::Days(0).to_string(), "0d");
        let start = now();
        assert_eq!(Interval::Days(0).shift(start, 1, &Utc), Some(start));
        assert_eq!(Interval::Days(0).next_after(start, start, &Utc, None), None);
    }

    #[test]
    fn intervals_are_at_most_a_century() {
        for input in ["4000000000mo", "100000000w", "36526d", "1201mo"] {
            let err = parse_interval(input).unwrap_err();
            assert!(err.contains("at most 100 years"), "{input}: {err}");
        }
        assert_eq!(parse_interval("1200mo"), Ok(Interval::Months(1200)));
        let far =
            Interval::Months(12).next_after(now(), now() + Duration::days(150 * 365), &Utc, None);
        assert!(far.is_some());
        // A recurrence that would leave the years 1900-2199 ends there.
        let beyond =
            Interval::Months(1200).next_after(now(), now() + Duration::days(400 * 365), &Utc, None);
        assert_eq!(beyond, None);
    }

    #[test]
    fn days_and_weeks_keep_the_local_time_across_summer_time() {
        // Paris moves to summer time on 2026-03-29: a daily 09:00 stays 09:00 local.
        let paris = chrono_tz_paris();
        let before = at("2026-03-28T08:00:00Z"); // 09:00 in Paris (UTC+1)
        assert_eq!(
            Interval::Days(1).shift(before, 1, &paris),
            Some(at("2026-03-29T07:00:00Z"))
        );
        assert_eq!(
            Interval::Weeks(1).shift(before, 1, &paris),
            Some(at("2026-04-04T07:00:00Z"))
        );
        assert_eq!(
            Interval::Hours(24).shift(before, 1, &paris),
            Some(at("2026-03-29T08:00:00Z"))
        );
        assert_eq!(
            Interval::Days(1).next_after(before, at("2026-04-02T12:00:00Z"), &paris, None),
            Some(at("2026-04-03T07:00:00Z"))
        );
    }

    /// Europe/Paris around March 2026 without a time-zone database: UTC+1 before
    /// 2026-03-29 01:00 UTC, UTC+2 after.
    fn chrono_tz_paris() -> SummerTime {
        SummerTime
    }

    #[derive(Debug, Clone, Copy)]
    struct SummerTime;

    impl SummerTime {
        fn switch() -> NaiveDateTime {
            NaiveDate::from_ymd_opt(2026, 3, 29)
                .unwrap()
                .and_hms_opt(1, 0, 0)
                .unwrap()
        }
    }

    impl TimeZone for SummerTime {
        type Offset = FixedOffset;
        fn from_offset(_: &FixedOffset) -> Self {
            SummerTime
        }
        fn offset_from_local_date(&self, local: &NaiveDate) -> chrono::LocalResult<FixedOffset> {
            self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
        }
        fn offset_from_local_datetime(
            &self,
            local: &NaiveDateTime,
        ) -> chrono::LocalResult<FixedOffset> {
            let winter = FixedOffset::east_opt(3600).unwrap();
            let summer = FixedOffset::east_opt(7200).unwrap();
            // Local 02:00-03:00 on the switch day does not exist.
            let gap_start = Self::switch() + Duration::hours(1);
            if *local < gap_start {
                chrono::LocalResult::Single(winter)
            } else if *local < gap_start + Duration::hours(1) {
                chrono::LocalResult::None
            } else {
                chrono::LocalResult::Single(summer)
            }
        }
        fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
            self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
        }
        fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
            FixedOffset::east_opt(if *utc < Self::switch() { 3600 } else { 7200 }).unwrap()
        }
    }

    #[test]
    fn a_wall_time_that_does_not_exist_moves_that_day_only() {
        // 02:30 does not exist in Paris on 2026-03-29 (02:00 -> 03:00).
        let paris = chrono_tz_paris();
        let half_past_two = NaiveTime::from_hms_opt(2, 30, 0);
        let saturday = at("2026-03-28T01:30:00Z"); // 02:30 CET
        let sunday = at("2026-03-29T01:30:00Z"); // 03:30 CEST, the next valid time
        let monday = at("2026-03-30T00:30:00Z"); // 02:30 CEST
        let next = |start, wall| Interval::Days(1).next_after(start, start, &paris, wall);
        assert_eq!(next(saturday, half_past_two), Some(sunday));
        assert_eq!(next(sunday, half_past_two), Some(monday));
        // Without the wall-clock time (a follow-up stored before it was kept), the time
        // of day is the previous occurrence's.
        assert_eq!(next(sunday, None), Some(at("2026-03-30T01:30:00Z")));
        // Hours are exact lengths: a wall time means nothing to them.
        assert_eq!(
            Interval::Hours(24).next_after(saturday, saturday, &paris, half_past_two),
            Some(at("2026-03-29T01:30:00Z"))
        );
    }

    #[test]
    fn months_are_calendar_months() {
        let jan31 = at("2026-01-31T10:00:00Z");
        assert_eq!(
            Interval::Months(1).shift(jan31, 1, &Utc),
            Some(at("2026-02-28T10:00:00Z"))
        );
    }

    #[test]
    fn a_cadence_skips_what_was_missed() {
        let start = at("2026-01-05T09:00:00Z");
        let cases = [
            // (interval, after, next)
            (
                Interval::Weeks(2),
                "2026-01-06T00:00:00Z",
                "2026-01-19T09:00:00Z",
            ),
            (
                Interval::Weeks(2),
                "2026-01-19T09:00:00Z",
                "2026-02-02T09:00:00Z",
            ),
            (
                Interval::Weeks(2),
                "2026-03-01T09:00:00Z",
                "2026-03-02T09:00:00Z",
            ),
            (
                Interval::Days(1),
                "2025-12-01T00:00:00Z",
                "2026-01-06T09:00:00Z",
            ),
            (
                Interval::Hours(4),
                "2026-01-05T20:00:00Z",
                "2026-01-05T21:00:00Z",
            ),
            (
                Interval::Months(1),
                "2026-01-20T00:00:00Z",
                "2026-02-05T09:00:00Z",
            ),
            (
                Interval::Months(1),
                "2026-03-05T09:00:00Z",
                "2026-04-05T09:00:00Z",
            ),
            (
                Interval::Months(3),
                "2027-06-30T00:00:00Z",
                "2027-07-05T09:00:00Z",
            ),
        ];
        for (interval, after, next) in cases {
            assert_eq!(
                interval.next_after(start, at(after), &Utc, None),
                Some(at(next)),
                "{interval} after {after}"
            );
        }
        let end_of_month = at("2026-01-31T09:00:00Z");
        assert_eq!(
            Interval::Months(1).next_after(end_of_month, at("2026-03-01T00:00:00Z"), &Utc, None),
            Some(at("2026-03-31T09:00:00Z"))
        );
    }
}
