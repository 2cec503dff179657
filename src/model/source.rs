//! Where leads come from: the known sources, the words other tools use for them, and the
//! reading of a source as typed (synonyms kept as the detail, typos caught, a source named
//! among other words found).
use super::{edit_distance, normalize_key};

/// The sources the scoring profile knows by default.
pub const KNOWN_SOURCES: [&str; 21] = [
    "web_form",
    "referral",
    "trade_show",
    "networking_event",
    "conference",
    "webinar",
    "content_download",
    "newsletter",
    "email_campaign",
    "direct_mail",
    "advertising",
    "social",
    "cold_outreach",
    "partner",
    "purchased_list",
    "third_party",
    "chamber_of_commerce",
    "local_media",
    "sponsorship",
    "inbound_email",
    "other",
];

/// Words other tools and people use for a known source. The word itself is worth keeping
/// (`linkedin` says more than `social`): `parse_source` puts it in `source_detail` when that
/// is empty. Keys are `normalize_key` forms. Add new ones here.
pub const SOURCE_SYNONYMS: &[(&str, &str)] = &[
    ("website", "web_form"),
    ("web", "web_form"),
    ("contact_form", "web_form"),
    ("web_lead", "web_form"),
    ("inbound", "web_form"),
    ("form", "web_form"),
    ("employee_referral", "referral"),
    ("customer_referral", "referral"),
    ("word_of_mouth", "referral"),
    ("referred", "referral"),
    ("external_referral", "referral"),
    ("reference", "referral"),
    ("references", "referral"),
    ("recommendation", "referral"),
    ("personal_referral", "referral"),
    ("friend_referral", "referral"),
    ("trade_fair", "trade_show"),
    ("expo", "trade_show"),
    ("exhibition", "trade_show"),
    ("event", "networking_event"),
    ("networking", "networking_event"),
    ("meetup", "networking_event"),
    ("seminar", "webinar"),
    ("web_seminar", "webinar"),
    ("online_event", "webinar"),
    ("download", "content_download"),
    // Zoho's "Web Download": a download, not a web form (`web` alone would say web_form).
    ("web_download", "content_download"),
    ("ebook", "content_download"),
    ("whitepaper", "content_download"),
    ("white_paper", "content_download"),
    ("content", "content_download"),
    ("email", "email_campaign"),
    ("email_marketing", "email_campaign"),
    ("mailing", "email_campaign"),
    ("mail", "direct_mail"),
    ("postal_mail", "direct_mail"),
    ("ads", "advertising"),
    ("ad", "advertising"),
    ("paid_search", "advertising"),
    ("ppc", "advertising"),
    ("google_ads", "advertising"),
    ("paid_social", "advertising"),
    ("display", "advertising"),
    ("social_media", "social"),
    // A paid post on a social network is advertising, not the network's own reach.
    ("linkedin_ad", "advertising"),
    ("linkedin_ads", "advertising"),
    ("facebook_ad", "advertising"),
    ("facebook_ads", "advertising"),
    ("instagram_ad", "advertising"),
    ("instagram_ads", "advertising"),
    ("twitter_ad", "advertising"),
    ("twitter_ads", "advertising"),
    ("linkedin", "social"),
    ("twitter", "social"),
    ("facebook", "social"),
    ("instagram", "social"),
    ("cold_call", "cold_outreach"),
    ("cold_calling", "cold_outreach"),
    ("outbound", "cold_outreach"),
    ("cold_email", "cold_outreach"),
    ("partner_referral", "partner"),
    ("reseller", "partner"),
    ("channel", "partner"),
    ("list", "purchased_list"),
    ("list_purchase", "purchased_list"),
    ("purchased", "purchased_list"),
    ("bought_list", "purchased_list"),
    ("chamber", "chamber_of_commerce"),
    ("press", "local_media"),
    ("newspaper", "local_media"),
    ("radio", "local_media"),
    ("local_press", "local_media"),
    // German, French, Spanish, Portuguese, Italian and Dutch CRMs' own words.
    ("messe", "trade_show"),
    ("salon", "trade_show"),
    ("feria", "trade_show"),
    ("feira", "trade_show"),
    ("fiera", "trade_show"),
    ("beurs", "trade_show"),
    ("empfehlung", "referral"),
    ("recommandation", "referral"),
    ("recomendación", "referral"),
    ("recomendacion", "referral"),
    ("indicação", "referral"),
    ("indicacao", "referral"),
    ("passaparola", "referral"),
    ("aanbeveling", "referral"),
    ("webseite", "web_form"),
    ("site_web", "web_form"),
    ("sitio_web", "web_form"),
    ("kaltakquise", "cold_outreach"),
    ("veranstaltung", "networking_event"),
];

/// Other spellings of a known source: nothing to keep ("Tradeshow" is `trade_show`).
const SOURCE_SPELLINGS: &[(&str, &str)] = &[
    ("web_site", "web_form"),
    ("webform", "web_form"),
    ("referrals", "referral"),
    ("tradeshow", "trade_show"),
    ("trade_shows", "trade_show"),
    ("webinars", "webinar"),
    ("e_mail", "email_campaign"),
    ("e_mail_campaign", "email_campaign"),
    ("email_campaigns", "email_campaign"),
    ("directmail", "direct_mail"),
    ("partners", "partner"),
    ("thirdparty", "third_party"),
];

/// Normalize a source, mapping the synonyms other tools use onto the known sources.
/// Unknown values are kept (normalized); `is_known_source` tells them apart. For what a
/// person or a file gave, `parse_source` also keeps the synonym and catches typos.
pub fn normalize_source(text: &str) -> String {
    let key = normalize_key(text);
    match known_source_for(&key) {
        Some((known, _)) => known.to_string(),
        None => key,
    }
}

/// The known source a normalized key names, and whether it was a synonym.
fn known_source_for(key: &str) -> Option<(&'static str, bool)> {
    if let Some(known) = KNOWN_SOURCES.iter().find(|known| **known == key) {
        return Some((known, false));
    }
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(word, _)| *word == key)
            .map(|(_, known)| *known)
    };
    find(SOURCE_SPELLINGS)
        .map(|known| (known, false))
        .or_else(|| find(SOURCE_SYNONYMS).map(|known| (known, true)))
}

/// A source as given by a person or a file, read onto the known ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReading {
    /// What to store: lower-case snake case; a known source when one was recognised.
    pub source: String,
    /// The text given, when it was a synonym ("LinkedIn" for `social`) or named a source
    /// among other words ("referral from Jane"): for `source_detail` when the lead has none.
    pub detail: Option<String>,
    /// A near miss taken as a known source: a warning to show, naming it.
    pub warning: Option<String>,
}

/// Read a source: "Trade Show" is `trade_show`; a synonym maps to its known source and is
/// kept as the detail (`linkedin` -> `social`, detail `linkedin`); a near miss of a known
/// source or synonym is taken as it, with a warning that names it (`referal` ->
/// `referral`); a value that names a known source or synonym among other words is that
/// source, the whole value kept as the detail (`referral from Jane` -> `referral`, see
/// `source_among_words`); anything else is kept, normalized. Empty text gives an empty
/// source.
pub fn parse_source(text: &str) -> SourceReading {
    let key = normalize_key(text);
    let reading = |source: &str, detail: bool, warning: Option<String>| SourceReading {
        source: source.to_string(),
        detail: detail.then(|| text.trim().to_string()),
        warning,
    };
    if let Some((known, synonym)) = known_source_for(&key) {
        return reading(known, synonym, None);
    }
    if let Some((word, known, synonym)) = near_miss(&key) {
        let named = if synonym {
            format!("'{word}' ({known})")
        } else {
            format!("'{known}'")
        };
        let warning = format!("source '{}' taken as the known source {named}", text.trim());
        return reading(known, synonym, Some(warning));
    }
    match source_among_words(&key) {
        Some(known) => reading(known, true, None),
        None => reading(&key, false, None),
    }
}

/// The most words a known source, spelling or synonym has (`chamber_of_commerce`).
const LONGEST_NAME_WORDS: usize = 3;

/// The known source a value of several words names among them (`trade_show_booth` ->
/// `trade_show`, `met_at_conference` -> `conference`), so that sources typed in a seller's
/// own words do not splinter the report. When the words name more than one: the name of
/// the most words wins (`linkedin_ad` -> `advertising`, not `social`), then a known
/// source's own name over a synonym (`email_newsletter` -> `newsletter`: the seller named
/// the source itself), then the first in the value (`referral_from_partner` ->
/// `referral`). `other` among words names nothing ("some other event" is an event).
fn source_among_words(key: &str) -> Option<&'static str> {
    let words: Vec<&str> = key.split('_').collect();
    // One word is the whole key, already looked up.
    let longest = LONGEST_NAME_WORDS.min(words.len().saturating_sub(1));
    for length in (1..=longest).rev() {
        let mut synonym_found = None;
        for phrase in words.windows(length) {
            match known_source_for(&phrase.join("_")) {
                Some(("other", _)) | None => {}
                Some((known, false)) => return Some(known),
                Some((known, true)) => {
                    synonym_found.get_or_insert(known);
                }
            }
        }
        if synonym_found.is_some() {
            return synonym_found;
        }
    }
    None
}

/// A source as a person types it (`add --source`, `import --source`, `spend add SOURCE`):
/// its reading, or, when nothing of the text is a source name ("!!!"), an error naming it
/// and what is accepted (`also` adds to that, e.g. how to clear it).
pub fn checked_source(text: &str, also: &str) -> Result<SourceReading, String> {
    let reading = parse_source(text);
    if reading.source.is_empty() {
        return Err(format!(
            "invalid source '{text}' (expected a name such as {}{also})",
            KNOWN_SOURCES.join(", ")
        ));
    }
    Ok(reading)
}

/// The known source or synonym a key is one typo away from (two for long words), when
/// exactly one known source is that close. Short keys are never guessed at.
fn near_miss(key: &str) -> Option<(&'static str, &'static str, bool)> {
    let length = key.chars().count();
    if length < 5 {
        return None;
    }
    let most = if length >= 8 { 2 } else { 1 };
    let candidates = KNOWN_SOURCES
        .iter()
        .map(|known| (*known, *known, false))
        .chain(
            SOURCE_SPELLINGS
                .iter()
                .map(|(word, known)| (*word, *known, false)),
        )
        .chain(
            SOURCE_SYNONYMS
                .iter()
                .map(|(word, known)| (*word, *known, true)),
        );
    let mut best: Option<(usize, (&'static str, &'static str, bool))> = None;
    let mut tied = false;
    for (word, known, synonym) in candidates {
        if word.len().abs_diff(key.len()) > most {
            continue;
        }
        let distance = edit_distance(key, word);
        if distance == 0 || distance > most {
            continue;
        }
        match best {
            Some((shortest, (_, other, _))) if distance == shortest => {
                tied |= other != known;
            }
            Some((shortest, _)) if distance > shortest => {}
            _ => {
                best = Some((distance, (word, known, synonym)));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, found)| found)
}

pub fn is_known_source(source: &str) -> bool {
    KNOWN_SOURCES.contains(&source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_as_given_keep_the_synonym_and_catch_typos() {
        let cases = [
            ("referral", "referral", None, false),
            ("Trade Show", "trade_show", None, false),
            ("Tradeshow", "trade_show", None, false),
            ("LinkedIn", "social", Some("LinkedIn"), false),
            ("Word of mouth", "referral", Some("Word of mouth"), false),
            ("referal", "referral", None, true),
            ("Refferal", "referral", None, true),
            ("webinr", "webinar", None, true),
            ("linkdin", "social", Some("linkdin"), true),
            ("newsleter", "newsletter", None, true),
            ("podcast", "podcast", None, false),
            ("ads", "advertising", Some("ads"), false),
            ("adz", "adz", None, false),
            ("", "", None, false),
        ];
        for (text, source, detail, warned) in cases {
            let reading = parse_source(text);
            assert_eq!(
                (
                    reading.source.as_str(),
                    reading.detail.as_deref(),
                    reading.warning.is_some()
                ),
                (source, detail, warned),
                "{text}"
            );
        }
        assert_eq!(
            parse_source("referal").warning.as_deref(),
            Some("source 'referal' taken as the known source 'referral'")
        );
        for (word, known) in SOURCE_SYNONYMS.iter().chain(SOURCE_SPELLINGS) {
            assert!(is_known_source(known), "{word} -> {known}");
            assert_eq!(normalize_key(word), *word);
        }
    }

    #[test]
    fn a_source_named_among_other_words_is_that_source_with_the_whole_value_kept() {
        // (case, typed, source, detail)
        let cases = [
            (
                "known name first",
                "referral from Jane",
                "referral",
                Some("referral from Jane"),
            ),
            (
                "synonym pair",
                "website form",
                "web_form",
                Some("website form"),
            ),
            (
                "name of two words",
                "Trade Show booth",
                "trade_show",
                Some("Trade Show booth"),
            ),
            (
                "name last",
                "met at conference",
                "conference",
                Some("met at conference"),
            ),
            (
                "synonym of three words",
                "via word of mouth",
                "referral",
                Some("via word of mouth"),
            ),
            (
                "longest name wins",
                "LinkedIn ad campaign",
                "advertising",
                Some("LinkedIn ad campaign"),
            ),
            (
                "known name over synonym",
                "email newsletter",
                "newsletter",
                Some("email newsletter"),
            ),
            (
                "known name over synonym, later",
                "website referral",
                "referral",
                Some("website referral"),
            ),
            (
                "two known names: the first",
                "referral from partner",
                "referral",
                Some("referral from partner"),
            ),
            (
                "two synonyms: the first",
                "linkedin expo",
                "social",
                Some("linkedin expo"),
            ),
            (
                "other names nothing",
                "some other event",
                "networking_event",
                Some("some other event"),
            ),
            ("other alone is other", "other", "other", None),
            ("no known word", "Podcast Guest", "podcast_guest", None),
            (
                "a qualifier and a source",
                "Web Download",
                "content_download",
                Some("Web Download"),
            ),
            (
                "a word inside a word is no word",
                "platform",
                "platform",
                None,
            ),
        ];
        for (case, text, source, detail) in cases {
            let reading = parse_source(text);
            assert_eq!(
                (reading.source.as_str(), reading.detail.as_deref()),
                (source, detail),
                "{case}: {text}"
            );
            assert_eq!(reading.warning, None, "{case}: {text}");
        }
        // A near miss of the whole value is still caught first, with its warning.
        let reading = parse_source("email campain");
        assert_eq!(reading.source, "email_campaign");
        assert!(reading.warning.is_some());
        // The same reading for every reader of a typed source.
        assert_eq!(
            checked_source("referral from Jane", "").map(|r| (r.source, r.detail)),
            Ok((
                "referral".to_string(),
                Some("referral from Jane".to_string())
            ))
        );
    }

    #[test]
    fn no_source_name_has_more_words_than_are_looked_for() {
        let names = KNOWN_SOURCES
            .iter()
            .copied()
            .chain(SOURCE_SYNONYMS.iter().map(|(word, _)| *word))
            .chain(SOURCE_SPELLINGS.iter().map(|(word, _)| *word));
        for name in names {
            assert!(name.split('_').count() <= LONGEST_NAME_WORDS, "{name}");
        }
    }

    #[test]
    fn sources_are_snake_case_and_synonyms_map() {
        assert_eq!(normalize_source("Trade Show"), "trade_show");
        assert_eq!(normalize_source("  Web Form "), "web_form");
        assert_eq!(normalize_source("Employee Referral"), "referral");
        assert_eq!(normalize_source("Podcast Guest!"), "podcast_guest");
        assert!(!is_known_source("podcast_guest"));
    }
}
