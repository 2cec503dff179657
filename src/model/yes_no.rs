//! Yes and no as people and files write them: the one word list, for an import's flag
//! columns, the qualification answers, a rule's flag value, a prompt's reply and the
//! scoring signals that say whether something happened.

/// Words that say yes (lower case): spreadsheets' `TRUE`, Salesforce's `1`, a form's
/// ticked `x`, `checked` and `on`.
const YES: [&str; 8] = ["yes", "y", "true", "t", "1", "x", "on", "checked"];
/// Words that say no (lower case).
const NO: [&str; 7] = ["no", "n", "false", "f", "0", "off", "unchecked"];

/// Yes or no, whatever the case and surrounding spaces; `None` for any other text.
pub fn read_yes_no(text: &str) -> Option<bool> {
    let word = text.trim().to_ascii_lowercase();
    if YES.contains(&word.as_str()) {
        Some(true)
    } else if NO.contains(&word.as_str()) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_words() {
        for word in ["yes", "Y", " TRUE ", "t", "1", "x", "On", "checked"] {
            assert_eq!(read_yes_no(word), Some(true), "{word}");
        }
        for word in ["no", "N", "False", "f", "0", "OFF", "unchecked"] {
            assert_eq!(read_yes_no(word), Some(false), "{word}");
        }
        for word in ["", "maybe", "yes please", "2", "-1", "oui", "unknown"] {
            assert_eq!(read_yes_no(word), None, "{word}");
        }
    }
}
