//! iCalendar (RFC 5545) for calendar and task apps: one VTODO per follow-up.
//!
//! Pure: follow-ups and `now` in, the file's text out. Lines end in CRLF, text is
//! escaped, and lines longer than 75 octets are folded without splitting a character.
use chrono::{DateTime, Utc};

use crate::dates::Interval;
use crate::model::FollowUp;

/// The calendar of these follow-ups, stamped at `now`. Each follow-up keeps its UID from
/// one export to the next, so re-importing updates the calendar instead of duplicating.
pub fn calendar(follow_ups: &[FollowUp], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(&fold(text));
        out.push_str("\r\n");
    };
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//leads//follow-ups//EN");
    line("CALSCALE:GREGORIAN");
    line("X-WR-CALNAME:Follow-ups");
    let stamp = utc_time(now);
    for follow_up in follow_ups {
        let due = utc_time(follow_up.due_at);
        line("BEGIN:VTODO");
        line(&format!("UID:{}", uid(follow_up.id)));
        line(&format!("DTSTAMP:{stamp}"));
        // DUE must be later than a DTSTART (RFC 5545 3.8.2.3), and a follow-up has no
        // start of its own: a one-off has DUE alone. A recurrence counts from DTSTART
        // (3.8.5.3), so a repeating one starts at its due time and lasts no time
        // (DURATION, which may not come with DUE: 3.6.2), which is due at that moment too.
        if follow_up.every.is_some() {
            line(&format!("DTSTART:{due}"));
            line("DURATION:PT0S");
        } else {
            line(&format!("DUE:{due}"));
        }
        let cadence = follow_up.step_of.as_ref().map_or(String::new(), |s| {
            format!(" (cadence {}, step {})", s.cadence, s.step)
        });
        line(&format!(
            "SUMMARY:{}",
            escape(&format!("Follow up: {}{cadence}", follow_up.name))
        ));
        if let Some(step_of) = &follow_up.step_of {
            line(&format!("CATEGORIES:{}", escape(&step_of.cadence)));
        }
        if let Some(note) = follow_up.note.as_deref().filter(|n| !n.is_empty()) {
            line(&format!("DESCRIPTION:{}", escape(note)));
        }
        if let Some(every) = follow_up.every {
            line(&format!("RRULE:{}", recurrence_rule(every)));
        }
        match follow_up.done_at {
            Some(done) => {
                line("STATUS:COMPLETED");
                line(&format!("COMPLETED:{}", utc_time(done)));
            }
            None => line("STATUS:NEEDS-ACTION"),
        }
        line("END:VTODO");
    }
    line("END:VCALENDAR");
    out
}

/// The stable UID of a follow-up.
pub fn uid(id: i64) -> String {
    format!("follow-up-{id}@leads")
}

/// A UTC date-time in iCalendar's basic form: 20260305T143000Z.
fn utc_time(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A recurrence as an RRULE value.
fn recurrence_rule(every: Interval) -> String {
    let (freq, n) = match every {
        Interval::Minutes(n) => ("MINUTELY", n),
        Interval::Hours(n) => ("HOURLY", n),
        Interval::Days(n) => ("DAILY", n),
        Interval::Weeks(n) => ("WEEKLY", n),
        Interval::Months(n) => ("MONTHLY", n),
    };
    format!("FREQ={freq};INTERVAL={n}")
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped;
/// other control characters, which the format does not allow, dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (RFC 5545 3.1): each continuation starts with a
/// space, and a break never falls inside a UTF-8 character.
pub fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / LIMIT * 3);
    let mut width = 0;
    for c in line.chars() {
        let size = c.len_utf8();
        if width + size > LIMIT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += size;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::test_support::at;

    fn follow_up(id: i64, note: Option<&str>, every: Option<Interval>) -> FollowUp {
        FollowUp {
            id,
            lead_id: 7,
            name: "Ada Lovelace".into(),
            due_at: at("2026-03-05T14:30:00Z"),
            note: note.map(String::from),
            every,
            local_time: None,
            done_at: None,
            step_of: None,
            kind: None,
        }
    }

    #[test]
    fn a_calendar_of_one_follow_up() {
        let text = calendar(
            &[follow_up(
                3,
                Some("Call back, re: pricing"),
                Some(Interval::Weeks(2)),
            )],
            at("2026-03-01T09:00:00Z"),
        );
        let expected = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//leads//follow-ups//EN",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:Follow-ups",
            "BEGIN:VTODO",
            "UID:follow-up-3@leads",
            "DTSTAMP:20260301T090000Z",
            "DTSTART:20260305T143000Z",
            "DURATION:PT0S",
            "SUMMARY:Follow up: Ada Lovelace",
            "DESCRIPTION:Call back\\, re: pricing",
            "RRULE:FREQ=WEEKLY;INTERVAL=2",
            "STATUS:NEEDS-ACTION",
            "END:VTODO",
            "END:VCALENDAR",
            "",
        ]
        .join("\r\n");
        assert_eq!(text, expected);
    }

    #[test]
    fn an_empty_calendar_is_still_a_calendar() {
        let text = calendar(&[], at("2026-03-01T09:00:00Z"));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("X-WR-CALNAME:Follow-ups\r\nEND:VCALENDAR\r\n"));
    }

    #[test]
    fn recurrence_rules() {
        let cases = [
            (Interval::Minutes(90), "FREQ=MINUTELY;INTERVAL=90"),
            (Interval::Hours(4), "FREQ=HOURLY;INTERVAL=4"),
            (Interval::Days(3), "FREQ=DAILY;INTERVAL=3"),
            (Interval::Weeks(1), "FREQ=WEEKLY;INTERVAL=1"),
            (Interval::Months(2), "FREQ=MONTHLY;INTERVAL=2"),
        ];
        for (every, rule) in cases {
            assert_eq!(recurrence_rule(every), rule, "{every}");
        }
    }

    #[test]
    fn text_is_escaped() {
        let cases = [
            ("plain", "plain"),
            ("a,b;c\\d", "a\\,b\\;c\\\\d"),
            ("one\ntwo", "one\\ntwo"),
            ("one\r\ntwo\rthree", "one\\ntwo\\nthree"),
            ("bell\u{7}tab\t", "belltab\t"),
            ("Zoë: café", "Zoë: café"),
        ];
        for (input, expected) in cases {
            assert_eq!(escape(input), expected, "{input:?}");
        }
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let ascii = format!("DESCRIPTION:{}", "x".repeat(200));
        let folded = fold(&ascii);
        let parts: Vec<&str> = folded.split("\r\n").collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].len(), 75);
        assert_eq!(parts[1].len(), 75);
        assert!(parts[1].starts_with(' ') && parts[2].starts_with(' '));
        assert_eq!(folded.replace("\r\n ", ""), ascii);

        // Two-octet characters from an odd offset: a break would land mid-character.
        let accents = format!("SUMMARY:{}", "é".repeat(100));
        let folded = fold(&accents);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), accents);

        let four = format!("SUMMARY:{}", "🦀".repeat(40));
        let folded = fold(&four);
        assert!(folded.split("\r\n").all(|part| part.len() <= 75));
        assert_eq!(folded.replace("\r\n ", ""), four);

        assert_eq!(fold("SHORT:line"), "SHORT:line");
        let exactly = "x".repeat(75);
        assert_eq!(fold(&exactly), exactly);
    }

    #[test]
    fn a_cadence_step_names_its_cadence_and_step() {
        let mut step = follow_up(5, Some("call: ask how it went"), None);
        step.step_of = Some(crate::cadence::StepOf {
            enrollment_id: 1,
            cadence: "e-book, then call".into(),
            step: 2,
        });
        let text = calendar(&[step], at("2026-03-01T09:00:00Z"));
        assert!(
            text.contains(
                "\r\nSUMMARY:Follow up: Ada Lovelace (cadence e-book\\, then call\\, step 2)\r\n\
                 CATEGORIES:e-book\\, then call\r\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_done_follow_up_is_completed() {
        let mut done = follow_up(4, None, None);
        done.done_at = Some(at("2026-03-02T10:00:00Z"));
        let text = calendar(&[done], at("2026-03-03T09:00:00Z"));
        assert!(text.contains("\r\nSTATUS:COMPLETED\r\nCOMPLETED:20260302T100000Z\r\n"));
        assert!(!text.contains("DESCRIPTION"));
        assert!(!text.contains("RRULE"));
    }
}
