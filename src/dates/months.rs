//! Month names, the one reader of them (WHEN and imported dates).

/// 1-12 for a month's English name, full or in three or more letters ("sept" too), any
/// case. The one reader of month names, for WHEN and for imported dates.
pub fn month_number(word: &str) -> Option<u32> {
    let word = word.to_ascii_lowercase();
    let word = word.as_str();
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
