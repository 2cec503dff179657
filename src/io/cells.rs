//! A cell of text as exports write it and as leads writes it back: what reads as nothing
//! (a null word, a placeholder), a yes/no flag, tags joined into one cell, and the
//! apostrophe that keeps a spreadsheet from running a cell as a formula — put on by the
//! writers, taken off by the readers. One home, so reading and writing agree.
use std::borrow::Cow;

/// What lead lists and spreadsheets write where they have nothing (or will not say):
/// `Upgrade to reveal`, `N/A`, `-`, `unknown`, `not provided`, `[hidden]`, `#N/A`.
pub fn is_placeholder(text: &str) -> bool {
    // Most cells are longer than any placeholder, or start otherwise: no lower-casing.
    if text.len() > 20
        || !matches!(
            text.as_bytes().first(),
            Some(b'-' | b'?' | b'#' | b'[' | b'(' | b'n' | b'N' | b'u' | b'U' | b'c' | b'C' | 0xE2)
        )
    {
        return false;
    }
    let lower = text.to_lowercase();
    matches!(
        lower.as_str(),
        "-" | "--"
            | "---"
            | "\u{2014}"
            | "\u{2013}"
            | "?"
            | "n/a"
            | "n.a."
            | "#n/a"
            | "#value!"
            | "#ref!"
            | "#name?"
            | "#div/0!"
            | "#num!"
            | "#null!"
            | "unknown"
            | "not provided"
            | "not available"
            | "not specified"
            | "not given"
            | "upgrade to reveal"
            | "upgrade to view"
            | "upgrade to unlock"
            | "click to reveal"
            | "[hidden]"
            | "(hidden)"
            | "[redacted]"
            | "[private]"
            | "(not set)"
    )
}

/// `null`, `NULL`, `Null`, `(null)`: what some exports write for nothing.
pub fn is_null(text: &str) -> bool {
    text.len() <= 6 && matches!(text, "null" | "NULL" | "Null" | "(null)")
}

/// Undo a spreadsheet's text mark and `leads export`'s protection against formulas: one
/// apostrophe before a digit or a formula sign is not the value's (`'=SUM(A1)` ->
/// `=SUM(A1)`, `'+1 555` -> `+1 555`, Excel's and Shopify's `'0712345` -> `0712345`).
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if starts_a_formula(rest.as_bytes())
                || rest.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => cell,
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading
/// apostrophe, which spreadsheets show as text; `leads import` takes it off again. So that
/// a round trip is exact, a value that itself begins with an apostrophe gets one more, and
/// so does a value an import would read as nothing (`Null`: see `leads_in::is_null`).
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    if needs_apostrophe(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Does leads' own export mark this value with a leading apostrophe (`neutralize`)?
pub fn needs_apostrophe(cell: &str) -> bool {
    starts_a_formula(cell.as_bytes()) || cell.starts_with('\'') || is_null(cell.trim())
}

/// Tags as one cell: joined with `;`, a `;` or `\\` inside a tag escaped with a `\\`
/// (`leads_in` splits them back).
pub fn join_tags(tags: &[String]) -> String {
    let mut joined = String::new();
    for (index, tag) in tags.iter().enumerate() {
        if index > 0 {
            joined.push(';');
        }
        for c in tag.chars() {
            if matches!(c, ';' | '\\') {
                joined.push('\\');
            }
            joined.push(c);
        }
    }
    joined
}

/// Does a spreadsheet read this cell as a formula? `=`, `+`, `-`, `@`; tab and CR too: some
/// spreadsheets skip them and read the formula behind. The one list for writing and for
/// reading back (`leads_in::unneutralize`).
pub fn starts_a_formula(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// `neutralize` for a cell that may not be UTF-8 (a rejected line goes back as it came).
pub fn neutralize_bytes(cell: &[u8]) -> Cow<'_, [u8]> {
    if starts_a_formula(cell) {
        Cow::Owned([b"'", cell].concat())
    } else {
        Cow::Borrowed(cell)
    }
}
