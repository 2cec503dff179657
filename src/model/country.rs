//! Countries as people and exports write them: "NZ", "NZL", "New Zealand", "new zealand";
//! "US", "USA", "United States", "United States of America". The lead keeps the country as
//! it was written; comparisons (a target country of the profile, a rule) go through the
//! ISO 3166 code, so a seller who targets `NZ` finds the leads a file says are in "New
//! Zealand".
use std::collections::HashMap;
use std::sync::OnceLock;

use isocountry::CountryCode;

/// Names in everyday use that the ISO names do not start with, each with its alpha-2 code.
/// (The ISO names themselves, their part before a comma or a bracket, and the alpha-2 and
/// alpha-3 codes are read from the ISO table.)
const EVERYDAY_NAMES: [(&str, &str); 37] = [
    ("united states", "US"),
    ("U.S.A.", "US"),
    ("U.S.", "US"),
    ("U.K.", "GB"),
    ("america", "US"),
    ("uk", "GB"),
    ("united kingdom", "GB"),
    ("great britain", "GB"),
    ("britain", "GB"),
    ("england", "GB"),
    ("scotland", "GB"),
    ("wales", "GB"),
    ("northern ireland", "GB"),
    ("south korea", "KR"),
    ("korea", "KR"),
    ("republic of korea", "KR"),
    ("north korea", "KP"),
    ("russia", "RU"),
    ("vietnam", "VN"),
    ("czech republic", "CZ"),
    ("laos", "LA"),
    ("syria", "SY"),
    ("iran", "IR"),
    ("macedonia", "MK"),
    ("north macedonia", "MK"),
    ("eswatini", "SZ"),
    ("ivory coast", "CI"),
    ("holland", "NL"),
    ("the netherlands", "NL"),
    ("vatican", "VA"),
    ("vatican city", "VA"),
    ("brunei", "BN"),
    ("dr congo", "CD"),
    ("democratic republic of the congo", "CD"),
    ("uae", "AE"),
    ("turkiye", "TR"),
    ("cape verde", "CV"),
];

/// The ISO 3166 alpha-2 code of a country written as a code (alpha-2 or alpha-3), its ISO
/// name or the part of it before a comma or a bracket ("Bolivia", "Taiwan"), or a name in
/// everyday use ("USA", "UK", "South Korea"); ignoring case, accents and punctuation.
/// None for anything else.
pub fn country_code(text: &str) -> Option<&'static str> {
    names().get(&name_key(text)).copied()
}

/// Do two countries as written name the same one: the same ISO code, or (neither known)
/// the same text ignoring case.
pub fn same_country(a: &str, b: &str) -> bool {
    match (country_code(a), country_code(b)) {
        (Some(a), Some(b)) => a == b,
        _ => name_key(a) == name_key(b),
    }
}

fn names() -> &'static HashMap<String, &'static str> {
    static NAMES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = HashMap::new();
        for country in CountryCode::iter() {
            let code = country.alpha2();
            let full = country.name();
            // "Bolivia (Plurinational State of)", "Taiwan, Province of China".
            let short = full.split([',', '(']).next().unwrap_or(full);
            for name in [code, country.alpha3(), full, short] {
                names.entry(name_key(name)).or_insert(code);
            }
        }
        for (name, code) in EVERYDAY_NAMES {
            names.insert(name_key(name), code);
        }
        names
    })
}

/// Lower-case words without accents or punctuation, one space apart: "Côte d'Ivoire" ->
/// "cote d ivoire".
fn name_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with(' ') {
            key.push(' ');
        }
    }
    key.truncate(key.trim_end().len());
    key
}

/// The letter without its accent, for the accented letters of country names.
fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_iso_names_and_everyday_names() {
        let cases = [
            ("NZ", Some("NZ")),
            ("nzl", Some("NZ")),
            ("New Zealand", Some("NZ")),
            ("  new   zealand ", Some("NZ")),
            ("USA", Some("US")),
            ("United States", Some("US")),
            ("United States of America", Some("US")),
            ("U.S.A.", Some("US")),
            ("U.K.", Some("GB")),
            ("UK", Some("GB")),
            ("United Kingdom", Some("GB")),
            ("Germany", Some("DE")),
            ("DEU", Some("DE")),
            ("Bolivia", Some("BO")),
            ("Taiwan", Some("TW")),
            ("Côte d'Ivoire", Some("CI")),
            ("Cote d'Ivoire", Some("CI")),
            ("South Korea", Some("KR")),
            ("North Korea", Some("KP")),
            ("Russia", Some("RU")),
            ("Viet Nam", Some("VN")),
            ("Vietnam", Some("VN")),
            ("India", Some("IN")),
            ("Atlantis", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(country_code(text), expected, "{text}");
        }
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1_000))]

        /// Letters of many scripts, accents, punctuation, spaces: read without panic, and
        /// nothing of 40 characters or more is a country (no name is that long), however
        /// long the text (a pasted paragraph is read in linear time).
        #[test]
        fn any_text_is_read_without_panic(
            text in prop_oneof![0..40usize, 40..2_000usize].prop_flat_map(|length| {
                let alphabet: Vec<char> = "aZé ô'(),.-\u{0}\u{1b}ßİ東京ñ\u{202e}ÿ9".chars().collect();
                proptest::collection::vec(proptest::sample::select(alphabet), length)
                    .prop_map(|chars| chars.into_iter().collect::<String>())
            })
        ) {
            let started = std::time::Instant::now();
            let code = country_code(&text);
            let _ = same_country(&text, "NZ");
            if text.chars().count() >= 40 {
                prop_assert_eq!(code, None);
            }
            prop_assert!(started.elapsed() < std::time::Duration::from_secs(2));
        }
    }

    #[test]
    fn a_hundred_thousand_characters_are_no_country() {
        let text = "aZé ô'(),.-ßİ東京ñÿ9".repeat(6_000);
        assert_eq!(country_code(&text), None);
        assert!(!same_country(&text, "NZ"));
    }

    #[test]
    fn the_same_country_however_written() {
        assert!(same_country("NZ", "New Zealand"));
        assert!(same_country("gb", "England"));
        assert!(!same_country("NZ", "Australia"));
        // Unknown to the table: the text decides, ignoring case.
        assert!(same_country("Atlantis", "ATLANTIS"));
        assert!(!same_country("Atlantis", "Lemuria"));
    }
}
