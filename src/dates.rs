//! WHEN and INTERVAL parsing: "tomorrow", "friday", "+3d", "in 2 weeks", ISO dates.
//!
//! Pure: `now` and the time zone are passed in. A date without a time means the start
//! of that day in the given time zone; results are in UTC.
use std::fmt;

use chrono::{
    DateTime, Datelike, Days, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc, Weekday,
};

/// What the WHEN error messages list as accepted.
pub const WHEN_FORMS: &str = "accepted: now, today, tomorrow, yesterday, noon, tonight, a weekday \
(friday: the coming one; the latest one for when something happened), last friday, next week, \
last week, next month, end of month, a day with a time (tomorrow 14:30, friday 9am, friday noon), \
+3d, +2w, +4h, -1d, in 3 days, in a week, 2 days ago, a month name with a day (Dec 5, 5 dec, \
December 5 2027), 2026-03-05, 2026-03-05 14:30, 2026-03-05T14:30:00Z";

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
        let local = || at.with_timezone(tz).naive_local();
        let moved = match self {
            Interval::Minutes(n) => return exact(Duration::minutes(n.into())),
            Interval::Hours(n) => return exact(Duration::hours(n.into())),
            Interval::Days(n) | Interval::Weeks(n) => {
                let days = Days::new(
                    u64::from(n)
                        * if matches!(self, Interval::Weeks(_)) {
                            7
                        } else {
                            1
                        },
                );
                if sign < 0 {
                    local().checked_sub_days(days)?
                } else {
                    local().checked_add_days(days)?
                }
            }
            Interval::Months(n) => {
                if sign < 0 {
                    local().checked_sub_months(Months::new(n))?
                } else {
                    local().checked_add_months(Months::new(n))?
                }
            }
        };
        local_to_utc(moved, tz)
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
    pub fn next_after<Tz: TimeZone>(
        self,
        start: DateTime<Utc>,
        after: DateTime<Utc>,
        tz: &Tz,
    ) -> Option<DateTime<Utc>> {
        if self.approx_duration().is_zero() {
            return None; // zero steps never get past `after`
        }
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
            let next = self.times(k)?.shift(start, 1, tz)?;
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

/// Which way a WHEN without a year or a week leans: a due date looks ahead ("friday" is
/// the coming one), a moment that happened looks back ("friday" is the latest one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lean {
    Ahead,
    Back,
}

/// Parse a WHEN as the salesperson types it, relative to `now` in `tz`.
///
/// A day alone ("tomorrow", "friday", "2026-03-05", "Dec 5") means the start of that day; a
/// day may be followed by a time of day ("tomorrow 14:30", "friday at 9am", "friday noon").
/// Offsets ("+3d", "in 2 weeks") keep the time of `now`. A weekday is the coming one, a
/// month and day without a year the next one (today included).
pub fn parse_when<Tz: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<DateTime<Utc>, String> {
    parse_leaning(text, now, tz, Lean::Ahead)
}

/// Like `parse_when`, for when something happened (`log --at`, `--since`): a weekday
/// ("friday", "friday 14:30") is the latest one, today included, and a month and day
/// without a year the latest one.
pub fn parse_past_when<Tz: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<DateTime<Utc>, String> {
    parse_leaning(text, now, tz, Lean::Back)
}

fn parse_leaning<Tz: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    tz: &Tz,
    lean: Lean,
) -> Result<DateTime<Utc>, String> {
    let bad = || format!("invalid date '{text}' ({WHEN_FORMS})");
    let lower = text.trim().to_lowercase();
    // "Dec 5, 2027" and "5. December" read as "Dec 5 2027" and "5 December".
    let spaced = lower.replace([',', '.'], " ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let today = now.with_timezone(tz).date_naive();
    let local = |date: NaiveDate, time: NaiveTime| local_to_utc(date.and_time(time), tz);

    match words.as_slice() {
        [] => return Err(bad()),
        ["now"] => return Ok(now),
        ["in", rest @ ..] if !rest.is_empty() => {
            let interval = parse_interval(&amount_text(rest)).map_err(|_| bad())?;
            return interval.shift(now, 1, tz).ok_or_else(bad);
        }
        [amount @ .., "ago"] if !amount.is_empty() => {
            let interval = parse_interval(&amount_text(amount)).map_err(|_| bad())?;
            return interval.shift(now, -1, tz).ok_or_else(bad);
        }
        ["noon" | "midday"] => {
            return local(today, NaiveTime::from_hms_opt(12, 0, 0).ok_or_else(bad)?).ok_or_else(bad)
        }
        ["tonight"] => return local(today, TONIGHT).ok_or_else(bad),
        _ => {}
    }
    if let Some(rest) = lower.strip_prefix('+') {
        let interval = parse_interval(rest).map_err(|_| bad())?;
        return interval.shift(now, 1, tz).ok_or_else(bad);
    }
    if let Some(rest) = lower.strip_prefix('-') {
        let interval = parse_interval(rest).map_err(|_| bad())?;
        return interval.shift(now, -1, tz).ok_or_else(bad);
    }
    if let Some(date) = parse_day(&words, today, lean) {
        return local(date, NaiveTime::MIN).ok_or_else(bad);
    }
    if let [day @ .., time] = words.as_slice() {
        let day = day.strip_suffix(&["at"]).unwrap_or(day);
        if let (Some(date), Some(time)) = (parse_day(day, today, lean), parse_time_of_day(time)) {
            return local(date, time).ok_or_else(bad);
        }
    }
    parse_iso(text.trim(), tz).ok_or_else(bad)
}

/// What "tonight" means: 20:00 today.
const TONIGHT: NaiveTime = match NaiveTime::from_hms_opt(20, 0, 0) {
    Some(time) => time,
    None => NaiveTime::MIN,
};

/// Days from the latest `weekday` (today included) to `today`: 0 to 6.
fn days_since(today: NaiveDate, weekday: Weekday) -> u32 {
    (7 + today.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7
}

/// "3 days", "a week": the words of an amount, as `parse_interval` reads them.
fn amount_text(words: &[&str]) -> String {
    match words {
        ["a" | "an", unit] => format!("1{unit}"),
        _ => words.concat(),
    }
}

/// A day named relative to `today`: today, tomorrow, yesterday, next week (its Monday),
/// last week (its Monday), next month (its first day), end of month (its last day), a
/// weekday (ahead: the coming one, never today, at most a week ahead, "next friday" is the
/// same day; back: the latest one, today included), a month and day ("Dec 5", "5 december",
/// with or without a year) or an ISO date.
fn parse_day(words: &[&str], today: NaiveDate, lean: Lean) -> Option<NaiveDate> {
    let monday =
        || today.checked_sub_days(Days::new(today.weekday().num_days_from_monday().into()));
    match words {
        ["today"] => Some(today),
        ["tomorrow"] => today.checked_add_days(Days::new(1)),
        ["yesterday"] => today.checked_sub_days(Days::new(1)),
        ["next", "week"] => monday()?.checked_add_days(Days::new(7)),
        ["last", "week"] => monday()?.checked_sub_days(Days::new(7)),
        ["this", "week"] => monday(),
        ["next", "month"] => NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?
            .checked_add_months(Months::new(1)),
        ["end", "of", "month"] | ["end", "of", "the", "month"] => {
            NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?
                .checked_add_months(Months::new(1))?
                .pred_opt()
        }
        ["last", day] => {
            // The latest one before today: "last friday" on a Friday is a week ago.
            let weekday = day.parse::<Weekday>().ok()?;
            let back = match days_since(today, weekday) {
                0 => 7,
                back => back,
            };
            today.checked_sub_days(Days::new(back.into()))
        }
        ["next", day] => {
            let weekday = day.parse::<Weekday>().ok()?;
            coming(today, weekday)
        }
        [day] => {
            if let Ok(weekday) = day.parse::<Weekday>() {
                match lean {
                    Lean::Ahead => coming(today, weekday),
                    Lean::Back => {
                        today.checked_sub_days(Days::new(days_since(today, weekday).into()))
                    }
                }
            } else {
                NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
            }
        }
        _ => month_and_day(words, today, lean),
    }
}

/// The coming `weekday`: never today, at most a week ahead.
fn coming(today: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead =
        match (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7 {
            0 => 7,
            ahead => ahead,
        };
    today.checked_add_days(Days::new(ahead.into()))
}

/// "dec 5", "5 dec", "december 5 2027", "5 december 2027" (any case, commas already
/// spaces). Without a year: ahead, the next such day (today included); back, the latest.
fn month_and_day(words: &[&str], today: NaiveDate, lean: Lean) -> Option<NaiveDate> {
    let (month, day, year) = match words {
        [first, second] | [first, second, _] => {
            if let Some(month) = month_number(first) {
                (month, *second, words.get(2))
            } else {
                (month_number(second)?, *first, words.get(2))
            }
        }
        _ => return None,
    };
    let day = day
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse::<u32>()
        .ok()
        .filter(|_| day.starts_with(|c: char| c.is_ascii_digit()))?;
    match year {
        Some(year) if year.len() == 4 => NaiveDate::from_ymd_opt(year.parse().ok()?, month, day),
        Some(_) => None,
        None => {
            // Feb 29 is the next (or latest) year that has one.
            let candidates = (0..=8).filter_map(|k| {
                let year = match lean {
                    Lean::Ahead => today.year().checked_add(k)?,
                    Lean::Back => today.year().checked_sub(k)?,
                };
                NaiveDate::from_ymd_opt(year, month, day)
            });
            let mut candidates = candidates.filter(|date| match lean {
                Lean::Ahead => *date >= today,
                Lean::Back => *date <= today,
            });
            candidates.next()
        }
    }
}

/// 1-12 for a month's English name, full or in three or more letters ("sept" too).
fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word.len() < 3 || !word.is_ascii() {
        return None;
    }
    MONTHS
        .iter()
        .position(|month| month.starts_with(word))
        .map(|index| index as u32 + 1)
}

/// A time of day after a day: "14:30", "9:05", "9am", "12pm", "9:30pm".
fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    let (clock, afternoon) = if let Some(clock) = text.strip_suffix("am") {
        (clock, Some(false))
    } else if let Some(clock) = text.strip_suffix("pm") {
        (clock, Some(true))
    } else {
        (text, None)
    };
    if matches!(text, "noon" | "midday") {
        return NaiveTime::from_hms_opt(12, 0, 0);
    }
    if text == "midnight" {
        return Some(NaiveTime::MIN);
    }
    let (hour, minute) = match (clock.split_once(':'), afternoon) {
        (Some((hour, minute)), _) if minute.len() == 2 => (hour, minute),
        (None, Some(_)) => (clock, "00"),
        _ => return None,
    };
    if hour.is_empty() || hour.len() > 2 || !hour.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hour: u32 = hour.parse().ok()?;
    let minute: u32 = minute
        .parse()
        .ok()
        .filter(|_| minute.bytes().all(|b| b.is_ascii_digit()))?;
    let hour = match afternoon {
        None => hour,
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(false) => hour % 12,
        Some(true) => hour % 12 + 12,
    };
    NaiveTime::from_hms_opt(hour, minute, 0)
}

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

/// The years leads accepts and stores. Every date a flag, a file or a recurrence produces
/// is checked here, so every stored date can be read back (and means something).
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;

/// `at` when it lies between the years `FIRST_YEAR` and `LAST_YEAR` as read in `tz` (a
/// date typed as 1900-01-01 in Auckland is still 1900 there); an error naming it otherwise.
pub fn check_range<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> Result<DateTime<Utc>, String> {
    let year = at.with_timezone(tz).year();
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(at)
    } else {
        Err(format!(
            "the date {} is out of range (dates lie between the years {FIRST_YEAR} and {LAST_YEAR})",
            at.with_timezone(tz).naive_local().format("%Y-%m-%d")
        ))
    }
}

/// Whether `at` lies between the years `FIRST_YEAR` and `LAST_YEAR` in UTC: the check for
/// imported dates (read as UTC) and recurrences.
pub fn in_range(at: DateTime<Utc>) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&at.year())
}

/// A local wall-clock time in UTC. In a DST gap the time does not exist: take the
/// moment just after the gap; in a fold take the earlier of the two.
fn local_to_utc<Tz: TimeZone>(local: NaiveDateTime, tz: &Tz) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(at) => Some(at.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(early, _) => Some(early.with_timezone(&Utc)),
        chrono::LocalResult::None => tz
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map(|at| at.with_timezone(&Utc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::at;

    /// Sunday 2026-03-01 09:30 UTC.
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap()
    }

    #[test]
    fn when_forms() {
        let cases = [
            ("now", "2026-03-01T09:30:00Z"),
            ("today", "2026-03-01T00:00:00Z"),
            ("Tomorrow", "2026-03-02T00:00:00Z"),
            ("yesterday", "2026-02-28T00:00:00Z"),
            ("monday", "2026-03-02T00:00:00Z"),
            ("sunday", "2026-03-08T00:00:00Z"),
            ("fri", "2026-03-06T00:00:00Z"),
            ("next friday", "2026-03-06T00:00:00Z"),
            ("next week", "2026-03-02T00:00:00Z"),
            ("next month", "2026-04-01T00:00:00Z"),
            ("+3d", "2026-03-04T09:30:00Z"),
            ("+2w", "2026-03-15T09:30:00Z"),
            ("+4h", "2026-03-01T13:30:00Z"),
            ("-1d", "2026-02-28T09:30:00Z"),
            ("+1mo", "2026-04-01T09:30:00Z"),
            ("in 3 days", "2026-03-04T09:30:00Z"),
            ("in 2 weeks", "2026-03-15T09:30:00Z"),
            ("2 days ago", "2026-02-27T09:30:00Z"),
            ("2026-03-05", "2026-03-05T00:00:00Z"),
            ("2026-03-05 14:30", "2026-03-05T14:30:00Z"),
            ("2026-03-05T14:30:15", "2026-03-05T14:30:15Z"),
            ("2026-03-05T14:30:00+01:00", "2026-03-05T13:30:00Z"),
            ("2026-03-05T14:30:00Z", "2026-03-05T14:30:00Z"),
            ("tomorrow 14:30", "2026-03-02T14:30:00Z"),
            ("tomorrow at 9am", "2026-03-02T09:00:00Z"),
            ("today 5pm", "2026-03-01T17:00:00Z"),
            ("friday 9:30am", "2026-03-06T09:30:00Z"),
            ("next monday 12pm", "2026-03-02T12:00:00Z"),
            ("monday 12am", "2026-03-02T00:00:00Z"),
            ("next week 8:00", "2026-03-02T08:00:00Z"),
            ("2026-03-05 2pm", "2026-03-05T14:00:00Z"),
            ("monday at 5:30pm", "2026-03-02T17:30:00Z"),
            ("2026-03-05T14:30+01:00", "2026-03-05T13:30:00Z"),
            ("in a week", "2026-03-08T09:30:00Z"),
            ("in an hour", "2026-03-01T10:30:00Z"),
            ("  IN 3 DAYS ", "2026-03-04T09:30:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_when(input, now(), &Utc), Ok(at(expected)), "{input}");
        }
    }

    #[test]
    fn when_forms_people_write() {
        // now() is Sunday 2026-03-01 09:30 UTC.
        let cases = [
            ("Dec 5", "2026-12-05T00:00:00Z"),
            ("5 dec", "2026-12-05T00:00:00Z"),
            ("December 5", "2026-12-05T00:00:00Z"),
            ("5 December 2027", "2027-12-05T00:00:00Z"),
            ("DEC 5, 2027", "2027-12-05T00:00:00Z"),
            ("5th of", "error"),
            ("5th december", "2026-12-05T00:00:00Z"),
            ("sept 30", "2026-09-30T00:00:00Z"),
            ("mar 1", "2026-03-01T00:00:00Z"),
            ("feb 28", "2027-02-28T00:00:00Z"),
            ("feb 29", "2028-02-29T00:00:00Z"),
            ("dec 5 14:30", "2026-12-05T14:30:00Z"),
            ("5 Dec 2027 at 9am", "2027-12-05T09:00:00Z"),
            ("noon", "2026-03-01T12:00:00Z"),
            ("tonight", "2026-03-01T20:00:00Z"),
            ("tomorrow noon", "2026-03-02T12:00:00Z"),
            ("end of month", "2026-03-31T00:00:00Z"),
            ("End of the month", "2026-03-31T00:00:00Z"),
            ("last week", "2026-02-16T00:00:00Z"),
            ("this week", "2026-02-23T00:00:00Z"),
            ("next week", "2026-03-02T00:00:00Z"),
        ];
        for (input, expected) in cases {
            let parsed = parse_when(input, now(), &Utc);
            if expected == "error" {
                assert!(parsed.is_err(), "{input}");
            } else {
                assert_eq!(parsed, Ok(at(expected)), "{input}");
            }
        }
        for input in [
            "dec 32",
            "feb 30 2026",
            "5 decembre",
            "de 5",
            "may",
            "5 may 26",
            "dec 5 2027 2028",
        ] {
            assert!(parse_when(input, now(), &Utc).is_err(), "{input}");
        }
        let err = parse_when("someday", now(), &Utc).unwrap_err();
        assert!(
            err.contains("Dec 5") && err.contains("end of month") && err.contains("noon"),
            "{err}"
        );
    }

    #[test]
    fn past_forms_look_back() {
        // now() is Sunday 2026-03-01 09:30 UTC.
        let cases = [
            ("monday", "2026-02-23T00:00:00Z"),
            ("Friday", "2026-02-27T00:00:00Z"),
            ("sunday", "2026-03-01T00:00:00Z"),
            ("last week", "2026-02-16T00:00:00Z"),
            ("2 days ago", "2026-02-27T09:30:00Z"),
            ("a week ago", "2026-02-22T09:30:00Z"),
            ("Dec 5", "2025-12-05T00:00:00Z"),
            ("mar 1", "2026-03-01T00:00:00Z"),
            ("mar 2", "2025-03-02T00:00:00Z"),
            ("feb 29", "2024-02-29T00:00:00Z"),
            ("5 December 2027", "2027-12-05T00:00:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_past_when(input, now(), &Utc),
                Ok(at(expected)),
                "{input}"
            );
        }
    }

    #[test]
    fn when_uses_the_given_time_zone() {
        let paris = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            parse_when("tomorrow", now(), &paris),
            Ok(at("2026-03-01T23:00:00Z"))
        );
        assert_eq!(
            parse_when("2026-03-05 14:30", now(), &paris),
            Ok(at("2026-03-05T13:30:00Z"))
        );
    }

    #[test]
    fn weekdays_are_the_coming_one() {
        // now() is a Sunday: each weekday lands in the next seven days, never today.
        let cases = [
            ("monday", "2026-03-02"),
            ("tue", "2026-03-03"),
            ("wednesday", "2026-03-04"),
            ("thursday", "2026-03-05"),
            ("friday", "2026-03-06"),
            ("saturday", "2026-03-07"),
            ("sunday", "2026-03-08"),
        ];
        for (input, day) in cases {
            assert_eq!(
                parse_when(input, now(), &Utc),
                Ok(at(&format!("{day}T00:00:00Z"))),
                "{input}"
            );
        }
    }

    #[test]
    fn a_local_day_starts_at_local_midnight() {
        // 23:30 UTC on Sunday is already Monday in Paris: "tomorrow" is Tuesday there.
        let late = at("2026-03-01T23:30:00Z");
        let paris = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            parse_when("tomorrow", late, &paris),
            Ok(at("2026-03-02T23:00:00Z"))
        );
        assert_eq!(
            parse_when("tomorrow 9am", late, &paris),
            Ok(at("2026-03-03T08:00:00Z"))
        );
    }

    #[test]
    fn bad_when_lists_what_is_accepted() {
        for input in [
            "",
            "soon",
            "+3x",
            "in three days",
            "2026-13-01",
            "+0d",
            "32/01/2026",
            "tomorrow 25:00",
            "tomorrow 13pm",
            "tomorrow 9",
            "friday 9:5",
            "soon 14:30",
            "next",
            "next soon",
            "in",
            "ago",
            "a week ago ago",
        ] {
            let err = parse_when(input, now(), &Utc).unwrap_err();
            assert!(err.contains(&format!("'{input}'")), "{err}");
            assert!(err.contains("tomorrow") && err.contains("+3d"), "{err}");
        }
    }

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
        assert_eq!(Interval::Days(0).next_after(start, start, &Utc), None);
    }

    #[test]
    fn weekdays_in_the_past() {
        // now() is Sunday 2026-03-01 09:30 UTC.
        let cases = [
            ("friday", "2026-02-27T00:00:00Z"),
            ("sunday", "2026-03-01T00:00:00Z"),
            ("friday 14:30", "2026-02-27T14:30:00Z"),
            ("fri at 9am", "2026-02-27T09:00:00Z"),
            ("yesterday", "2026-02-28T00:00:00Z"),
            ("-2d", "2026-02-27T09:30:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_past_when(input, now(), &Utc),
                Ok(at(expected)),
                "{input}"
            );
        }
        assert_eq!(
            parse_when("last sunday", now(), &Utc),
            Ok(at("2026-02-22T00:00:00Z"))
        );
        assert_eq!(
            parse_when("last friday", now(), &Utc),
            Ok(at("2026-02-27T00:00:00Z"))
        );
        assert!(parse_past_when("friday 25:00", now(), &Utc).is_err());
    }

    #[test]
    fn intervals_are_at_most_a_century() {
        for input in ["4000000000mo", "100000000w", "36526d", "1201mo"] {
            let err = parse_interval(input).unwrap_err();
            assert!(err.contains("at most 100 years"), "{input}: {err}");
        }
        assert_eq!(parse_interval("1200mo"), Ok(Interval::Months(1200)));
        let far = Interval::Months(12).next_after(now(), now() + Duration::days(150 * 365), &Utc);
        assert!(far.is_some());
        // A recurrence that would leave the years 1900-2199 ends there.
        let beyond =
            Interval::Months(1200).next_after(now(), now() + Duration::days(400 * 365), &Utc);
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
            Interval::Days(1).next_after(before, at("2026-04-02T12:00:00Z"), &paris),
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
                interval.next_after(start, at(after), &Utc),
                Some(at(next)),
                "{interval} after {after}"
            );
        }
        let end_of_month = at("2026-01-31T09:00:00Z");
        assert_eq!(
            Interval::Months(1).next_after(end_of_month, at("2026-03-01T00:00:00Z"), &Utc),
            Some(at("2026-03-31T09:00:00Z"))
        );
    }

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

    #[test]
    fn random_text_never_panics() {
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let alphabet: Vec<char> = "0123456789-+:/TZ .dwhmoinagtxyzé\u{0}".chars().collect();
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            let text: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 50)) as usize + i * 7) % alphabet.len()])
                .collect();
            let _ = parse_when(&text, now(), &Utc);
            let _ = parse_import_date(&text, None);
            let _ = parse_import_date(&text, Some("%d/%m/%Y %H"));
            let _ = parse_interval(&text);
        }
    }
}
