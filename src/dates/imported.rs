//! Dates in imported files: ISO 8601, dates with a month name, and numeric dates whose
//! day/month order the file itself shows (a column where some day is above 12 settles
//! it for the whole column; the reader keeps that per column and passes it here).
//!
//! Nothing is guessed: a date that is still ambiguous, or that cannot be read, is an
//! `Unread` with the `--date-format` that would read it, and the caller keeps the row.
//! Two-digit years read as POSIX `%y` does: 00-68 -> 20xx, 69-99 -> 19xx. Dates lie
//! between 1900 and 2199. A date or time written without a time zone is in the local
//! one (the seller's, `TZ`), as the tool that wrote it showed it. An import's
//! `--date-format` is checked once, up front (`check_date_format`).
use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::{in_range, local_to_utc, month_number, parse_iso};

/// A moment as the local wall clock shows it, written as the tests write UTC
/// (`2025-03-04T14:30:00Z`): the tests read the same on a machine in any zone.
#[cfg(test)]
pub fn wall_clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .naive_local()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A wall-clock time written without a zone, in the local time zone. The zone's offset
/// is looked up once an hour of the calendar (a large import has a date in every row,
/// and the lookup costs more than the rest of reading it); offsets change on the hour.
pub fn local(naive: NaiveDateTime) -> DateTime<Utc> {
    use chrono::{Offset, TimeZone, Timelike};
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static OFFSETS: RefCell<HashMap<(NaiveDate, u32), i32>> = RefCell::new(HashMap::new());
    }
    let hour = (naive.date(), naive.hour());
    if let Some(seconds) = OFFSETS.with(|offsets| offsets.borrow().get(&hour).copied()) {
        return (naive - chrono::Duration::seconds(i64::from(seconds))).and_utc();
    }
    match Local.from_local_datetime(&naive) {
        chrono::LocalResult::Single(at) => {
            let seconds = at.offset().fix().local_minus_utc();
            OFFSETS.with(|offsets| {
                let mut offsets = offsets.borrow_mut();
                if offsets.len() > 100_000 {
                    offsets.clear();
                }
                offsets.insert(hour, seconds);
            });
            at.with_timezone(&Utc)
        }
        // The hour a clock change skips or repeats: worked out each time.
        _ => local_to_utc(naive, &Local).unwrap_or_else(|| naive.and_utc()),
    }
}

/// How the numeric dates of a column read, as far as its values have shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// No value has settled it yet.
    #[default]
    Unknown,
    /// `3/20/2024`: some value had a second number above 12.
    MonthFirst,
    /// `20/3/2024`: some value had a first number above 12.
    DayFirst,
    /// Both were seen: the column's ambiguous values stay ambiguous.
    Mixed,
}

impl Order {
    /// What this order becomes once a value shows `evidence`.
    pub fn settle(self, evidence: Order) -> Order {
        match (self, evidence) {
            (current, Order::Unknown) => current,
            (Order::Unknown, seen) => seen,
            (current, seen) if current == seen => current,
            _ => Order::Mixed,
        }
    }

    pub fn is_settled(self) -> bool {
        self != Order::Unknown
    }
}

/// Why a date could not be read: the message says what was wrong and which
/// `--date-format` would read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    pub message: String,
}

/// A numeric date `a/b/y` (with `/`, `.` or `-`), optionally followed by a time.
struct Numeric<'a> {
    first: u32,
    second: u32,
    year: i32,
    separator: char,
    four_digit_year: bool,
    /// A comma after the date, before the time.
    comma: bool,
    time: &'a str,
}

/// What a value says about its column's order: `DayFirst` when the first number is above
/// 12 (a day), `MonthFirst` when the second is; `Unknown` otherwise (or not numeric).
pub fn evidence(text: &str) -> Order {
    let text = text.trim();
    if year_first(text) {
        return Order::Unknown;
    }
    match numeric(text).filter(|date| date.separator != 'y') {
        // `04.03.2024`: dots are written day first (German, Dutch, Russian...), never
        // month first.
        Some(date) if date.separator == '.' && date.four_digit_year => Order::DayFirst,
        Some(date) if date.first > 12 && date.second <= 12 => Order::DayFirst,
        Some(date) if date.second > 12 && date.first <= 12 => Order::MonthFirst,
        _ => Order::Unknown,
    }
}

/// `2024-03-20...`, `2024/3/20`: four digits then a separator, what `numeric` reads
/// year first (or not at all), so never evidence nor ambiguous. Checked first because the
/// reader asks for every row of an ISO column, and parsing it costs more than the answer.
fn year_first(text: &str) -> bool {
    matches!(
        text.as_bytes(),
        [
            b'0'..=b'9',
            b'0'..=b'9',
            b'0'..=b'9',
            b'0'..=b'9',
            b'/' | b'.' | b'-',
            ..
        ]
    )
}

/// Does the value look like a numeric date whose order is not shown by itself? (The
/// reader looks ahead in the file only for these.)
pub fn is_ambiguous(text: &str) -> bool {
    let text = text.trim();
    !year_first(text)
        && numeric(text).is_some_and(|date| {
            date.separator != 'y'
                && !(date.separator == '.' && date.four_digit_year)
                && date.first <= 12
                && date.second <= 12
                && date.first != date.second
        })
}

/// Does this read as a date in either day/month order (which one is for the column to
/// settle)?
pub fn is_date(text: &str) -> bool {
    [Order::MonthFirst, Order::DayFirst]
        .into_iter()
        .any(|order| read_date(text, None, order).is_ok())
}

/// Read a date of an imported file. `format` is `--date-format`; `order` what the column
/// has shown. Naive values are UTC.
pub fn read_date(text: &str, format: Option<&str>, order: Order) -> Result<DateTime<Utc>, Unread> {
    let text = text.trim();
    let at = match format {
        Some(format) => with_format(text, format)?,
        None => match parse_iso(text, &Local) {
            Some(at) => at,
            None => match numeric(text) {
                Some(date) => read_numeric(text, &date, order)?,
                None => with_month_name(text).ok_or_else(|| Unread {
                    message: format!(
                        "unrecognized date '{text}' (expected ISO 8601 like 2025-03-04 14:30, \
                         a month name like 15 Apr 2021, or numbers; give --date-format, \
                         e.g. %d/%m/%Y)"
                    ),
                })?,
            },
        },
    };
    check_range(text, at)
}

/// Dates outside 1900-2199 break every later read: unreadable.
fn check_range(text: &str, at: DateTime<Utc>) -> Result<DateTime<Utc>, Unread> {
    // The range of `dates`, shared with every flag and recurrence.
    if in_range(at) {
        Ok(at)
    } else {
        Err(Unread {
            message: format!("date '{text}' is outside the years 1900-2199"),
        })
    }
}

fn with_format(text: &str, format: &str) -> Result<DateTime<Utc>, Unread> {
    let parsed = DateTime::parse_from_str(text, format)
        .map(|at| at.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(text, format).map(local))
        .or_else(|_| {
            NaiveDate::parse_from_str(text, format).map(|day| local(day.and_time(NaiveTime::MIN)))
        });
    match parsed {
        // chrono's %Y takes any number of digits: `24` would be the year 24 AD.
        Ok(at) if at.year() < 1000 && format.contains("%Y") => Err(Unread {
            message: format!(
                "date '{text}' has a short year, which %Y does not take (it means all four \
                 digits); for a two-digit year use %y in --date-format"
            ),
        }),
        Ok(at) => Ok(at),
        Err(_) => match parse_iso(text, &Local) {
            Some(at) => Ok(at),
            None => Err(Unread {
                message: format!("date '{text}' does not match --date-format '{format}'"),
            }),
        },
    }
}

fn numeric(text: &str) -> Option<Numeric<'_>> {
    let (day, time) = match text.find([' ', 'T']) {
        Some(at) => (&text[..at], text[at + 1..].trim()),
        None => (text, ""),
    };
    // `2/18/21, 11:08 AM`: a comma between the date and the time (Excel, Google Forms).
    let (day, comma) = match day.strip_suffix(',') {
        Some(day) => (day, true),
        None => (day, false),
    };
    let separator = day.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut parts = day.split(separator);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || [a, b, c]
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let number = |p: &str| p.parse::<u32>().ok();
    if a.len() == 4 {
        // 2024/3/20: year first is never ambiguous; read as month then day.
        return Some(Numeric {
            first: number(b)?,
            second: number(c)?,
            year: number(a)? as i32,
            separator: 'y',
            four_digit_year: true,
            comma,
            time,
        });
    }
    let year = match c.len() {
        4 => number(c)? as i32,
        2 => posix_year(number(c)?),
        _ => return None,
    };
    if a.len() > 2 || b.len() > 2 {
        return None;
    }
    Some(Numeric {
        first: number(a)?,
        second: number(b)?,
        year,
        separator,
        four_digit_year: c.len() == 4,
        comma,
        time,
    })
}

/// `%y` as POSIX reads it: 69-99 are 1969-1999, 00-68 are 2000-2068.
fn posix_year(two: u32) -> i32 {
    if two >= 69 {
        1900 + two as i32
    } else {
        2000 + two as i32
    }
}

fn read_numeric(text: &str, date: &Numeric<'_>, order: Order) -> Result<DateTime<Utc>, Unread> {
    let unreadable = || Unread {
        message: format!(
            "unrecognized date '{text}'; give --date-format {} or {}",
            suggestion(date, true),
            suggestion(date, false)
        ),
    };
    let time = time_of_day(date.time).ok_or_else(unreadable)?;
    let (month, day) = if date.separator == 'y' {
        (date.first, date.second)
    } else if date.first > 12 || date.first == date.second {
        (date.second, date.first)
    } else if date.second > 12 {
        (date.first, date.second)
    } else if date.separator == '.' && date.four_digit_year {
        (date.second, date.first)
    } else {
        match order {
            Order::MonthFirst => (date.first, date.second),
            Order::DayFirst => (date.second, date.first),
            Order::Unknown | Order::Mixed => {
                return Err(Unread {
                    message: format!(
                        "ambiguous date '{text}': day and month could be either way and no \
                         date of the column settles it; --date-format '{}' or '{}' would read it",
                        suggestion(date, true),
                        suggestion(date, false)
                    ),
                })
            }
        }
    };
    let day = NaiveDate::from_ymd_opt(date.year, month, day).ok_or_else(unreadable)?;
    Ok(local(day.and_time(time)))
}

/// The strftime pattern that reads `date` month first (or day first).
fn suggestion(date: &Numeric<'_>, month_first: bool) -> String {
    let s = date.separator;
    let year = if date.four_digit_year { "%Y" } else { "%y" };
    let mut pattern = if month_first {
        format!("%m{s}%d{s}{year}")
    } else {
        format!("%d{s}%m{s}{year}")
    };
    if !date.time.is_empty() {
        if date.comma {
            pattern.push(',');
        }
        let twelve = date.time.to_ascii_lowercase().ends_with('m');
        let seconds = date.time.matches(':').count() >= 2;
        pattern.push_str(match (twelve, seconds) {
            (true, true) => " %I:%M:%S %p",
            (true, false) => " %I:%M %p",
            (false, true) => " %H:%M:%S",
            (false, false) => " %H:%M",
        });
    }
    pattern
}

/// `14:30`, `14:30:15`, `2:30 PM`, `2:30:15pm`, or nothing (midnight).
fn time_of_day(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    if text.is_empty() {
        return Some(NaiveTime::MIN);
    }
    let lower = text.to_ascii_lowercase();
    let (clock, pm) = if let Some(clock) = lower.strip_suffix("pm") {
        (clock.trim(), Some(true))
    } else if let Some(clock) = lower.strip_suffix("am") {
        (clock.trim(), Some(false))
    } else {
        (lower.as_str(), None)
    };
    let mut parts = clock.split(':');
    let hour: u32 = parts.next()?.parse().ok()?;
    let minute: u32 = parts.next()?.parse().ok()?;
    let second: u32 = match parts.next() {
        Some(seconds) => seconds.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let hour = match pm {
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(true) => hour % 12 + 12,
        Some(false) => hour % 12,
        None => hour,
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// A date with a month name, in either order: `15 Apr, 2021 00:03:00`, `Apr 15 2021`,
/// `April 15, 2021 2:22 PM`, `12 Jan 2024`, `Tue, 5 Mar 2024 10:00`.
fn with_month_name(text: &str) -> Option<DateTime<Utc>> {
    let mut month = None;
    let mut numbers: Vec<&str> = Vec::new();
    let mut clock = String::new();
    for token in text
        .split([' ', ',', '-', '/', '.'])
        .filter(|t| !t.is_empty())
    {
        if token.contains(':')
            || token.eq_ignore_ascii_case("am")
            || token.eq_ignore_ascii_case("pm")
        {
            clock.push_str(token);
        } else if token.bytes().all(|b| b.is_ascii_digit()) {
            numbers.push(token);
        } else if let Some(number) = month_number(token) {
            if month.replace(number).is_some() {
                return None;
            }
        } else if !is_weekday(token) && !matches!(token, "UTC" | "GMT" | "Z" | "at") {
            return None;
        }
    }
    let month = month?;
    let (day, year) = match numbers.as_slice() {
        [a, b] if b.len() == 4 => (*a, b.parse().ok()?),
        [a, b] if a.len() == 4 => (*b, a.parse().ok()?),
        [a, b] if b.len() == 2 => (*a, posix_year(b.parse().ok()?)),
        _ => return None,
    };
    if day.len() > 2 {
        return None;
    }
    let day = NaiveDate::from_ymd_opt(year, month, day.parse().ok()?)?;
    Some(local(day.and_time(time_of_day(&clock)?)))
}

fn is_weekday(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.len() >= 3
        && [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
        .iter()
        .any(|name| name.starts_with(lower.as_str()))
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

    fn read(text: &str, order: Order) -> Result<String, String> {
        read_date(text, None, order)
            .map(wall_clock)
            .map_err(|unread| unread.message)
    }

    #[test]
    fn the_date_shapes_of_real_exports() {
        let cases = [
            ("2024-02-05", "2024-02-05T00:00:00Z"),
            ("2024-02-05 13:51", "2024-02-05T13:51:00Z"),
            ("15 Apr, 2021 00:03:00", "2021-04-15T00:03:00Z"),
            ("Apr 15 2021", "2021-04-15T00:00:00Z"),
            ("April 15, 2021 2:22 PM", "2021-04-15T14:22:00Z"),
            ("12 Jan 2024", "2024-01-12T00:00:00Z"),
            ("05 Oct 2018", "2018-10-05T00:00:00Z"),
            ("Tue, 5 Mar 2024 10:00", "2024-03-05T10:00:00Z"),
            ("6/20/24", "2024-06-20T00:00:00Z"),
            ("20/6/24", "2024-06-20T00:00:00Z"),
            ("20.06.2024 14:22", "2024-06-20T14:22:00Z"),
            ("5/5/99", "1999-05-05T00:00:00Z"),
            ("1/13/68 12:00 AM", "2068-01-13T00:00:00Z"),
            ("2024/3/20", "2024-03-20T00:00:00Z"),
            // A comma before the time; dots written day first.
            ("2/18/21, 11:08 AM", "2021-02-18T11:08:00Z"),
            ("04.03.2024", "2024-03-04T00:00:00Z"),
        ];
        for (text, expected) in cases {
            assert_eq!(
                read(text, Order::Unknown).as_deref(),
                Ok(expected),
                "{text}"
            );
        }
    }

    #[test]
    fn the_suggested_format_reads_the_column_s_own_values() {
        let message = read("2/3/21, 11:08 AM", Order::Unknown).unwrap_err();
        assert!(
            message.contains("'%m/%d/%y, %I:%M %p' or '%d/%m/%y, %I:%M %p'"),
            "{message}"
        );
        for pattern in ["%m/%d/%y, %I:%M %p", "%d/%m/%y, %I:%M %p"] {
            assert!(read_date("2/3/21, 11:08 AM", Some(pattern), Order::Unknown).is_ok());
        }
    }

    #[test]
    fn the_column_settles_the_order() {
        assert_eq!(
            read("2/5/24 1:51", Order::MonthFirst).as_deref(),
            Ok("2024-02-05T01:51:00Z")
        );
        assert_eq!(
            read("2/5/24 1:51", Order::DayFirst).as_deref(),
            Ok("2024-05-02T01:51:00Z")
        );
        let err = read("2/5/24 1:51", Order::Unknown).unwrap_err();
        assert_eq!(
            err,
            "ambiguous date '2/5/24 1:51': day and month could be either way and no date of \
             the column settles it; --date-format '%m/%d/%y %H:%M' or '%d/%m/%y %H:%M' would \
             read it"
        );
        assert!(read("2/5/24", Order::Mixed).is_err());
        assert_eq!(evidence("2/13/24"), Order::MonthFirst);
        assert_eq!(evidence("13/2/24"), Order::DayFirst);
        assert_eq!(evidence("2/5/24"), Order::Unknown);
        assert!(is_ambiguous("2/5/24") && !is_ambiguous("5/5/24") && !is_ambiguous("x"));
        assert_eq!(Order::MonthFirst.settle(Order::DayFirst), Order::Mixed);
        assert_eq!(Order::Unknown.settle(Order::DayFirst), Order::DayFirst);
    }

    #[test]
    fn formats_and_ranges() {
        let with = |text: &str, format: &str| {
            read_date(text, Some(format), Order::Unknown)
                .map(wall_clock)
                .map_err(|u| u.message)
        };
        assert_eq!(
            with("2/5/24 1:51", "%m/%d/%y %H:%M").as_deref(),
            Ok("2024-02-05T01:51:00Z")
        );
        let err = with("2/5/24 1:51", "%m/%d/%Y %H:%M").unwrap_err();
        assert!(err.contains("%Y does not take"), "{err}");
        assert_eq!(
            with("2024-02-05", "%d/%m/%Y").as_deref(),
            Ok("2024-02-05T00:00:00Z")
        );
        assert!(read("1899-12-31", Order::Unknown).is_err());
        assert!(read("9999-12-31T23:59:59-23:59", Order::Unknown).is_err());
        assert!(read("2199-12-31", Order::Unknown).is_ok());
        for junk in [
            "soon",
            "13/13/2024",
            "2/30/2024",
            "Apr 2024",
            "1/2/3/4",
            "12:00",
        ] {
            assert!(read(junk, Order::MonthFirst).is_err(), "{junk}");
        }
    }
}
