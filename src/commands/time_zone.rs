//! The user's calendar: `TZ` as the clock library reads it, and a warning when it names
//! no zone (the library would quietly use the system's).
use std::path::Path;

use chrono::{DateTime, Local, Utc};

use crate::scoring::Clock;

/// The value of `TZ` when it names no zone this system has and is no POSIX rule: the
/// clock library would quietly fall back to the system's zone. (Its own search, repeated.)
pub(super) fn unknown_time_zone() -> Option<String> {
    let tz = std::env::var("TZ").ok()?;
    let name = tz.strip_prefix(':').unwrap_or(&tz).trim();
    if name.is_empty() || matches!(name, "UTC" | "GMT") {
        return None;
    }
    let path = Path::new(name);
    let known = if path.is_absolute() {
        path.is_file()
    } else {
        [
            "/usr/share/zoneinfo",
            "/share/zoneinfo",
            "/etc/zoneinfo",
            "/usr/share/lib/zoneinfo",
        ]
        .iter()
        .any(|folder| Path::new(folder).join(path).is_file())
    };
    // A leading ':' names a file only; otherwise a rule is tried after the files.
    let rule = !tz.starts_with(':') && is_posix_rule(name);
    (!known && !rule).then_some(tz)
}

/// "EST5EDT", "CET-1CEST,M3.5.0,M10.5.0/3", "<+03>-3": a zone abbreviation, then an offset.
fn is_posix_rule(text: &str) -> bool {
    let rest = if let Some(quoted) = text.strip_prefix('<') {
        match quoted.split_once('>') {
            Some((abbreviation, rest)) if !abbreviation.is_empty() => rest,
            _ => return false,
        }
    } else {
        let letters = text.chars().take_while(char::is_ascii_alphabetic).count();
        if letters < 3 {
            return false;
        }
        &text[letters..]
    };
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    rest.starts_with(|c: char| c.is_ascii_digit())
}

/// `now` on the user's calendar (`TZ`): what scores count days with.
pub fn local_clock(now: DateTime<Utc>) -> Clock {
    Clock::new(now, |at| at.with_timezone(&Local).date_naive())
}
