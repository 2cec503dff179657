//! Matching what people type against the names we know: snake-case keys and "did you mean".

/// " (did you mean 'qualified'?)" when one of `names` is a small typo away from `word`.
pub fn did_you_mean(word: &str, names: &[&str]) -> String {
    names
        .iter()
        // Optimal string alignment: a swap of two neighbours ("lsot") is one typo, not two.
        .map(|name| (strsim::osa_distance(word, name), *name))
        .filter(|(distance, name)| *distance > 0 && *distance <= 1.max(name.len() / 3))
        .min()
        .map(|(_, name)| format!(" (did you mean '{name}'?)"))
        .unwrap_or_default()
}

/// Levenshtein distance (in characters), for "did you mean".
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// Lower-case snake case: "Trade Show" -> "trade_show", "E-mail Campaign" -> "e_mail_campaign".
pub fn normalize_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        // ASCII first: the same answer without the Unicode tables (an import asks per row).
        if ch.is_ascii_alphanumeric() {
            key.push(ch.to_ascii_lowercase());
        } else if ch.is_ascii() {
            if !key.is_empty() && !key.ends_with('_') {
                key.push('_');
            }
        } else if ch.is_alphanumeric() {
            key.extend(ch.to_lowercase());
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    while key.ends_with('_') {
        key.pop();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActivityKind, Status};

    #[test]
    fn typos_get_a_suggestion() {
        let err = "qualifed".parse::<Status>().unwrap_err();
        assert!(
            err.starts_with("unknown status 'qualifed' (did you mean 'qualified'?) (expected"),
            "{err}"
        );
        let err = "meting".parse::<ActivityKind>().unwrap_err();
        assert!(err.contains("(did you mean 'meeting'?)"), "{err}");
        assert_eq!(did_you_mean("hot", &Status::ALL.map(|s| s.as_str())), "");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
