//! WHEN: a moment as the salesperson types it ("tomorrow 14:30", "friday afternoon",
//! "3pm friday", "+3d", "in two weeks", "Dec 5", "15.04.2027", ISO), read relative to
//! `now` in a time zone, leaning ahead for what is due and back for what happened.
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

use super::numeric::{ambiguity, is_numeric_date, numeric_date};
use super::{local_to_utc, month_number, parse_interval, parse_iso};

/// What the WHEN error messages list as accepted.
pub const WHEN_FORMS: &str = "accepted: now, today, tomorrow, yesterday, noon, tonight, a weekday \
(friday: the coming one; the latest one for when something happened), last friday, next week, \
last week, next month, end of week (friday; on a weekend the coming one), end of month, \
a day with a time (tomorrow 14:30, friday 9 am, 3pm friday, 10:30 tomorrow, friday noon), \
a day with a part of it (tomorrow morning 9:00, friday afternoon 14:00, monday evening 18:00, \
this evening, friday night 20:00), a time alone (9am: today's, or tomorrow's once past), \
+3d, +2w, +4h, -1d, in 3 days, in two days (numbers one to twelve in words), in a week, \
2 days ago, a month name with a day (Dec 5, 5 dec, December 5 2027), 15.04.2027 (day first), \
04/15/2027 or 15/04/2027 (when only one reading is a date), 2026-03-05, 2026-03-05 14:30, \
2026-03-05T14:30:00Z";

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
    parse_leaning(text, now, tz, Lean::Ahead, "")
}

/// `parse_when` for a reader that takes more forms than WHEN (a timeline's quarters and
/// months): its refusal lists `more_forms` after the WHEN forms.
pub(super) fn parse_when_or<Tz: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    tz: &Tz,
    more_forms: &str,
) -> Result<DateTime<Utc>, String> {
    parse_leaning(text, now, tz, Lean::Ahead, more_forms)
}

/// Like `parse_when`, for when something happened (`log --at`, `--since`): a weekday
/// ("friday", "friday 14:30") is the latest one, today included, and a month and day
/// without a year the latest one.
pub fn parse_past_when<Tz: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<DateTime<Utc>, String> {
    parse_leaning(text, now, tz, Lean::Back, "")
}

fn parse_leaning<Tz: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    tz: &Tz,
    lean: Lean,
    more_forms: &str,
) -> Result<DateTime<Utc>, String> {
    let bad = || format!("invalid date '{text}' ({WHEN_FORMS}{more_forms})");
    let lower = text.trim().to_lowercase();
    let spaced = join_meridiem(&spaced_words(&lower));
    let words: Vec<&str> = spaced.split_whitespace().collect();
    if let Some(refusal) = words.iter().find_map(|word| ambiguity(word)) {
        return Err(refusal);
    }
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
    // A day, with a time of day (before or after it) or not.
    let (day, time) = day_and_time(&words);
    if let Some(date) = parse_day(day, today, lean) {
        let at = local(date, time.unwrap_or(NaiveTime::MIN)).ok_or_else(bad)?;
        // A month and day without a year that names today is today, as `today` is, even
        // when its hour has passed ("1 March" typed on March 1 is not a year away: that
        // follow-up would vanish). Back, it is the latest such moment: "mar 1 5pm" typed
        // that morning as a `--since` is last year's.
        if lean == Lean::Back && at > now && yearless_month_day(day) {
            let date = today
                .pred_opt()
                .and_then(|other| parse_day(day, other, lean))
                .ok_or_else(bad)?;
            return local(date, time.unwrap_or(NaiveTime::MIN)).ok_or_else(bad);
        }
        return Ok(at);
    }
    // A time alone ("9am", "at 14:30"): today at that time, or the next (back: the
    // latest) such moment when today's is already past (back: still to come).
    if let ["at", time] | [time] = words.as_slice() {
        if let Some(time) = parse_time_of_day(time) {
            let at = local(today, time).ok_or_else(bad)?;
            let other = match lean {
                Lean::Ahead if at <= now => today.succ_opt(),
                Lean::Back if at > now => today.pred_opt(),
                _ => return Ok(at),
            };
            return other.and_then(|date| local(date, time)).ok_or_else(bad);
        }
    }
    parse_iso(text.trim(), tz).ok_or_else(bad)
}

/// A WHEN's words with "Dec 5, 2027" and "5. December" read as "Dec 5 2027" and "5
/// December"; a numeric date ("15.04.2027") keeps its dots.
fn spaced_words(lower: &str) -> String {
    let words: Vec<String> = lower
        .split_whitespace()
        .map(|word| {
            let bare = word.trim_end_matches([',', '.']);
            if is_numeric_date(bare) {
                bare.to_string()
            } else {
                word.replace([',', '.'], " ")
            }
        })
        .collect();
    words.join(" ")
}

/// The day and the time of day of "friday 3pm", "friday at 3pm", "3pm friday", "at 3pm
/// on friday", "tomorrow morning", "this evening" ("this" with a part of a day is
/// today); all the words and no time when no time of day is there.
fn day_and_time<'a>(words: &'a [&'a str]) -> (&'a [&'a str], Option<NaiveTime>) {
    let (day, time) = match words {
        [day @ .., time] if !day.is_empty() && parse_time_of_day(time).is_some() => {
            (day.strip_suffix(&["at"]).unwrap_or(day), *time)
        }
        ["at", time, day @ ..] | [time, day @ ..]
            if !day.is_empty() && parse_time_of_day(time).is_some() =>
        {
            (day.strip_prefix(&["on"]).unwrap_or(day), *time)
        }
        _ => return (words, None),
    };
    let day: &[&str] = if day == ["this"] && part_of_day(time).is_some() {
        &["today"]
    } else {
        day
    };
    (day, parse_time_of_day(time))
}

/// Words with "9 am" as one word, "9am", as the time reader takes it ("friday 9 am").
fn join_meridiem(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let meridiem =
            matches!(word, "am" | "pm") && joined.ends_with(|c: char| c.is_ascii_digit());
        if !joined.is_empty() && !meridiem {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    joined
}

/// "dec 5", "5 december": a month and day with no year.
fn yearless_month_day(words: &[&str]) -> bool {
    words.len() == 2 && words.iter().any(|word| month_number(word).is_some())
}

/// What "tonight" means: 20:00 today.
const TONIGHT: NaiveTime = match NaiveTime::from_hms_opt(20, 0, 0) {
    Some(time) => time,
    None => NaiveTime::MIN,
};

/// The time a part of a day stands for: morning 09:00, afternoon 14:00, evening 18:00,
/// night 20:00 (as `tonight`). Times a seller would book a call for, not the part's start.
fn part_of_day(word: &str) -> Option<NaiveTime> {
    let hour = match word {
        "morning" => 9,
        "afternoon" => 14,
        "evening" => 18,
        "night" => 20,
        _ => return None,
    };
    NaiveTime::from_hms_opt(hour, 0, 0)
}

/// Days from the latest `weekday` (today included) to `today`: 0 to 6.
fn days_since(today: NaiveDate, weekday: Weekday) -> u32 {
    (7 + today.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7
}

/// "3 days", "a week", "two weeks": the words of an amount, as `parse_interval` reads
/// them.
fn amount_text(words: &[&str]) -> String {
    match words {
        ["a" | "an", unit] => format!("1{unit}"),
        [number, unit] => match number_word(number) {
            Some(n) => format!("{n}{unit}"),
            None => words.concat(),
        },
        _ => words.concat(),
    }
}

/// One to twelve written as words ("in two days", "three weeks ago"): the small amounts
/// people spell out.
fn number_word(word: &str) -> Option<u32> {
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    let index = WORDS.iter().position(|number| *number == word)?;
    u32::try_from(index + 1).ok()
}

/// The Friday of this week ("end of week"); on a weekend, the coming Friday.
fn end_of_week(today: NaiveDate) -> Option<NaiveDate> {
    let weekday = today.weekday().num_days_from_monday();
    let friday = Weekday::Fri.num_days_from_monday();
    let ahead = if weekday <= friday {
        friday - weekday
    } else {
        friday + 7 - weekday
    };
    today.checked_add_days(Days::new(ahead.into()))
}

/// A day named relative to `today`: today, tomorrow, yesterday, next week (its Monday),
/// last week (its Monday), next month (its first day), end of week (its Friday; on a
/// weekend the coming one), end of month (its last day), a weekday (ahead: the coming one,
/// never today, at most a week ahead, "next friday" is the same day; back: the latest one,
/// today included), a month and day ("Dec 5", "5 december", with or without a year), a
/// numeric date ("15.04.2027", "04/15/2027") or an ISO date.
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
        ["end", "of", "week"] | ["end", "of", "the" | "this", "week"] => end_of_week(today),
        ["end", "of", "month"] | ["end", "of", "the" | "this", "month"] => {
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
                NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .ok()
                    .or_else(|| numeric_date(day))
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

/// A time of day after a day: "14:30", "9:05", "9am", "12pm", "9:30pm".
fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    let (clock, afternoon) = if let Some(clock) = text.strip_suffix("am") {
        (clock, Some(false))
    } else if let Some(clock) = text.strip_suffix("pm") {
        (clock, Some(true))
    } else {
        (text, None)
    };
    if let Some(time) = part_of_day(text) {
        return Some(time);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::test_now as now;
    use crate::dates::test_support::at;
    use chrono::FixedOffset;

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
            // Today's date is today, its hour past or not (as `today`), never a year away.
            ("mar 1", "2026-03-01T00:00:00Z"),
            ("1 March", "2026-03-01T00:00:00Z"),
            ("mar 1 5pm", "2026-03-01T17:00:00Z"),
            ("mar 1 9am", "2026-03-01T09:00:00Z"),
            ("feb 28", "2027-02-28T00:00:00Z"),
            // A time alone: today's, or tomorrow's once past; "9 am" as "9am".
            ("9am", "2026-03-02T09:00:00Z"),
            ("9 am", "2026-03-02T09:00:00Z"),
            ("10 AM", "2026-03-01T10:00:00Z"),
            ("at 14:30", "2026-03-01T14:30:00Z"),
            ("14:30", "2026-03-01T14:30:00Z"),
            ("Friday 9 am", "2026-03-06T09:00:00Z"),
            ("friday at 9 pm", "2026-03-06T21:00:00Z"),
            ("tomorrow 9 am", "2026-03-02T09:00:00Z"),
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
            // Still to come today: the latest one is last year's (or yesterday's).
            ("mar 1 5pm", "2025-03-01T17:00:00Z"),
            ("9 am", "2026-03-01T09:00:00Z"),
            ("10am", "2026-02-28T10:00:00Z"),
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
            "in thirteen days",
            "in twelve",
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
            "morning friday afternoon",
            "3pm friday 5pm",
            "this",
            "this 3pm",
            "end of",
            "end of year",
            "15.04.27",
            "31.04.2027",
            "04/31/2027",
            "15/04",
            "april",
            "Q2",
        ] {
            let err = parse_when(input, now(), &Utc).unwrap_err();
            assert!(err.contains(&format!("'{input}'")), "{err}");
            assert!(err.contains("tomorrow") && err.contains("+3d"), "{err}");
        }
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
    fn a_part_of_a_day_after_a_day() {
        // now() is Sunday 2026-03-01 09:30 UTC.
        let cases = [
            ("tomorrow morning", "2026-03-02T09:00:00Z"),
            ("friday afternoon", "2026-03-06T14:00:00Z"),
            ("Monday Evening", "2026-03-02T18:00:00Z"),
            ("friday night", "2026-03-06T20:00:00Z"),
            ("today afternoon", "2026-03-01T14:00:00Z"),
            ("this afternoon", "2026-03-01T14:00:00Z"),
            ("this evening", "2026-03-01T18:00:00Z"),
            // Today's morning has begun: "this morning" is still today's.
            ("this morning", "2026-03-01T09:00:00Z"),
            ("dec 5 morning", "2026-12-05T09:00:00Z"),
            ("15.04.2027 afternoon", "2027-04-15T14:00:00Z"),
            ("end of week afternoon", "2026-03-06T14:00:00Z"),
            // Alone, as a time alone: today's, or tomorrow's once past.
            ("afternoon", "2026-03-01T14:00:00Z"),
            ("morning", "2026-03-02T09:00:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_when(input, now(), &Utc), Ok(at(expected)), "{input}");
        }
    }

    #[test]
    fn a_time_before_or_after_a_day() {
        // now() is Sunday 2026-03-01 09:30 UTC.
        let cases = [
            ("3pm friday", "2026-03-06T15:00:00Z"),
            ("friday 3pm", "2026-03-06T15:00:00Z"),
            ("3 pm Friday", "2026-03-06T15:00:00Z"),
            ("tomorrow 10am", "2026-03-02T10:00:00Z"),
            ("10:30 tomorrow", "2026-03-02T10:30:00Z"),
            ("at 3pm on friday", "2026-03-06T15:00:00Z"),
            ("3pm on friday", "2026-03-06T15:00:00Z"),
            ("noon tomorrow", "2026-03-02T12:00:00Z"),
            ("14:30 dec 5", "2026-12-05T14:30:00Z"),
            ("9am 15.04.2027", "2027-04-15T09:00:00Z"),
            ("04/15/2027 9am", "2027-04-15T09:00:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_when(input, now(), &Utc), Ok(at(expected)), "{input}");
        }
    }

    #[test]
    fn amounts_in_words_from_one_to_twelve() {
        // now() is Sunday 2026-03-01 09:30 UTC.
        let cases = [
            ("in one day", "2026-03-02T09:30:00Z"),
            ("in two days", "2026-03-03T09:30:00Z"),
            ("in three weeks", "2026-03-22T09:30:00Z"),
            ("in Twelve months", "2027-03-01T09:30:00Z"),
            ("in five hours", "2026-03-01T14:30:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_when(input, now(), &Utc), Ok(at(expected)), "{input}");
        }
        assert_eq!(
            parse_past_when("two days ago", now(), &Utc),
            Ok(at("2026-02-27T09:30:00Z"))
        );
        for input in [
            "in zero days",
            "in thirteen days",
            "in two",
            "in two three days",
        ] {
            assert!(parse_when(input, now(), &Utc).is_err(), "{input}");
        }
    }

    #[test]
    fn end_of_week_is_friday_and_on_a_weekend_the_coming_one() {
        let cases = [
            // (now, end of week)
            ("2026-03-02T09:00:00Z", "2026-03-06T00:00:00Z"), // Monday
            ("2026-03-05T09:00:00Z", "2026-03-06T00:00:00Z"), // Thursday
            ("2026-03-06T17:00:00Z", "2026-03-06T00:00:00Z"), // Friday: today
            ("2026-03-07T09:00:00Z", "2026-03-13T00:00:00Z"), // Saturday
            ("2026-03-08T09:00:00Z", "2026-03-13T00:00:00Z"), // Sunday
        ];
        for (now, expected) in cases {
            for text in ["end of week", "End of the week", "end of this week"] {
                assert_eq!(
                    parse_when(text, at(now), &Utc),
                    Ok(at(expected)),
                    "{text} at {now}"
                );
            }
        }
        assert_eq!(
            parse_when("end of this month", now(), &Utc),
            Ok(at("2026-03-31T00:00:00Z"))
        );
    }

    #[test]
    fn numeric_dates_with_dots_and_slashes() {
        let cases = [
            ("15.04.2027", "2027-04-15T00:00:00Z"),
            ("15.04.2027.", "2027-04-15T00:00:00Z"),
            ("04/15/2027", "2027-04-15T00:00:00Z"),
            ("15/04/2027", "2027-04-15T00:00:00Z"),
            ("05/05/2027", "2027-05-05T00:00:00Z"),
            ("15.04.2027, 14:30", "2027-04-15T14:30:00Z"),
            ("15.04.2027 at 2pm", "2027-04-15T14:00:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_when(input, now(), &Utc), Ok(at(expected)), "{input}");
            assert_eq!(
                parse_past_when(input, now(), &Utc),
                Ok(at(expected)),
                "{input}"
            );
        }
        // "5. December" still reads as a month name with a day.
        assert_eq!(
            parse_when("5. December", now(), &Utc),
            Ok(at("2026-12-05T00:00:00Z"))
        );
    }

    #[test]
    fn a_slashed_date_with_two_readings_is_refused_naming_both() {
        let reading = "ambiguous date '05/04/2027': it could be 4 May or 5 April 2027; \
                       write 2027-05-04 or 2027-04-05";
        for input in ["05/04/2027", "05/04/2027 14:30", "friday 05/04/2027"] {
            assert_eq!(
                parse_when(input, now(), &Utc),
                Err(reading.to_string()),
                "{input}"
            );
            assert_eq!(
                parse_past_when(input, now(), &Utc),
                Err(reading.to_string()),
                "{input}"
            );
        }
    }

    #[test]
    fn past_forms_people_write() {
        // now() is Sunday 2026-03-01 09:30 UTC.
        let cases = [
            ("friday afternoon", "2026-02-27T14:00:00Z"),
            ("3pm friday", "2026-02-27T15:00:00Z"),
            ("monday 10:30", "2026-02-23T10:30:00Z"),
            ("two days ago", "2026-02-27T09:30:00Z"),
            ("a week ago", "2026-02-22T09:30:00Z"),
            ("last week", "2026-02-16T00:00:00Z"),
            ("yesterday evening", "2026-02-28T18:00:00Z"),
            ("this morning", "2026-03-01T09:00:00Z"),
            // Still to come today: the latest one is yesterday's.
            ("evening", "2026-02-28T18:00:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_past_when(input, now(), &Utc),
                Ok(at(expected)),
                "{input}"
            );
        }
    }
}
