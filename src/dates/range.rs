//! The years leads accepts and stores, and the checks that keep every date inside them.
use chrono::{DateTime, Datelike, TimeZone, Utc};

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
