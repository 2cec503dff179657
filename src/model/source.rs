//! Where leads come from: the known sources, the words other tools use for them, and the
//! reading of a source as typed (synonyms kept as the detail, typos caught).
use super::{edit_distance, normalize_key};

/// The sources the scoring profile knows by default.
pub const KNOWN_SOURCES: [&str; 20] = [
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
    /// The word given, when it was a synonym ("LinkedIn" for `social`): for
    /// `source_detail` when the lead has none.
    pub detail: Option<String>,
    /// A near miss taken as a known source: a warning to show, naming it.
    pub warning: Option<String>,
}

/// Read a source: "Trade Show" is `trade_show`; a synonym maps to its known source and is
/// kept as the detail (`linkedin` -> `social`, detail `linkedin`); a near miss of a known
/// source or synonym is taken as it, with a warning that names it (`referal` ->
/// `referral`); anything else is kept, normalized. Empty text gives an empty source.
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
    match near_miss(&key) {
        Some((word, known, synonym)) => {
            let named = if synonym {
                format!("'{word}' ({known})")
            } else {
                format!("'{known}'")
            };
            let warning = format!("source '{}' taken as the known source {named}", text.trim());
            reading(known, synonym, Some(warning))
        }
        None => reading(&key, false, None),
    }
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
    fn sources_are_snake_case_and_synonyms_map() {
        assert_eq!(normalize_source("Trade Show"), "trade_show");
        assert_eq!(normalize_source("  Web Form "), "web_form");
        assert_eq!(normalize_source("Employee Referral"), "referral");
        assert_eq!(normalize_source("Podcast Guest!"), "podcast_guest");
        assert!(!is_known_source("podcast_guest"));
    }
}
