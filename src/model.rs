//! The salesperson's vocabulary: leads, statuses, sources, activities, follow-ups.
//! Types, parsing from user text, and the JSON shape of the contract. No I/O.
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use crate::cadence::StepOf;
use crate::dates::Interval;

/// A place in the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    New,
    Contacted,
    Nurturing,
    Qualified,
    Won,
    Lost,
    Disqualified,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::Contacted,
        Status::Nurturing,
        Status::Qualified,
        Status::Won,
        Status::Lost,
        Status::Disqualified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Contacted => "contacted",
            Status::Nurturing => "nurturing",
            Status::Qualified => "qualified",
            Status::Won => "won",
            Status::Lost => "lost",
            Status::Disqualified => "disqualified",
        }
    }

    /// Won, lost and disqualified leads are closed: no more scoring or follow-ups.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Won | Status::Lost | Status::Disqualified)
    }

    /// The status with exactly this name ("won"), if any.
    fn named(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Read a status the way other CRMs write it ("Closed - Converted", "Working - Contacted").
    /// Returns None for a value we do not recognise.
    pub fn from_synonym(text: &str) -> Option<Status> {
        // Not through `parse`: its error (with a did-you-mean) costs more than the lookup,
        // and an import asks this for every row.
        let key = normalize_key(text);
        if let Some(status) = Status::named(&key) {
            return Some(status);
        }
        let status = match key.as_str() {
            // Salesforce, HubSpot, Zoho and SuiteCRM default lead statuses included.
            "open" | "open_not_contacted" | "not_contacted" | "fresh" | "unworked" | "assigned" => {
                Status::New
            }
            "working"
            | "working_contacted"
            | "attempted_to_contact"
            | "attempted"
            | "in_progress"
            | "in_process"
            | "pre_qualified"
            | "prequalified"
            | "connected" => Status::Contacted,
            "nurture"
            | "nurturing"
            | "marketing_qualified"
            | "mql"
            | "engaged"
            | "bad_timing"
            | "contact_in_future"
            | "recycled" => Status::Nurturing,
            "sales_qualified"
            | "sql"
            | "prospect"
            | "opportunity"
            | "converted_to_opportunity"
            | "open_deal" => Status::Qualified,
            "closed_converted" | "converted" | "closed_won" | "customer" => Status::Won,
            "closed_not_converted" | "closed_lost" | "not_converted" | "lost_lead" | "dead" => {
                Status::Lost
            }
            "unqualified" | "junk" | "junk_lead" | "bad_data" | "not_interested"
            | "not_qualified" => Status::Disqualified,
            _ => return None,
        };
        Some(status)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        Status::named(&wanted).ok_or_else(|| {
            let names = Status::ALL.map(|s| s.as_str());
            format!(
                "unknown status '{text}'{} (expected one of: {})",
                did_you_mean(&wanted, &names),
                names.join(", ")
            )
        })
    }
}

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

/// Something that happened with a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActivityKind {
    EmailSent,
    EmailOpened,
    EmailReplied,
    Call,
    Meeting,
    Demo,
    Visit,
    Download,
    Webinar,
    Event,
    Form,
    Note,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 12] = [
        ActivityKind::EmailSent,
        ActivityKind::EmailOpened,
        ActivityKind::EmailReplied,
        ActivityKind::Call,
        ActivityKind::Meeting,
        ActivityKind::Demo,
        ActivityKind::Visit,
        ActivityKind::Download,
        ActivityKind::Webinar,
        ActivityKind::Event,
        ActivityKind::Form,
        ActivityKind::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::EmailSent => "email_sent",
            ActivityKind::EmailOpened => "email_opened",
            ActivityKind::EmailReplied => "email_replied",
            ActivityKind::Call => "call",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Demo => "demo",
            ActivityKind::Visit => "visit",
            ActivityKind::Download => "download",
            ActivityKind::Webinar => "webinar",
            ActivityKind::Event => "event",
            ActivityKind::Form => "form",
            ActivityKind::Note => "note",
        }
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ActivityKind {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = normalize_key(text);
        let key = match key.as_str() {
            "email" => "email_sent",
            "reply" | "replied" => "email_replied",
            "opened" | "open" => "email_opened",
            "phone" | "phone_call" => "call",
            "website_visit" | "site_visit" => "visit",
            other => other,
        };
        ActivityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == key)
            .ok_or_else(|| {
                let names = ActivityKind::ALL.map(|k| k.as_str());
                format!(
                    "unknown activity '{text}'{} (expected one of: {})",
                    did_you_mean(key, &names),
                    names.join(", ")
                )
            })
    }
}

/// A yes/no/unknown qualification answer (budget, authority).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Answer {
    Yes,
    No,
    #[default]
    Unknown,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "unknown",
        }
    }
}

impl FromStr for Answer {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" => Ok(Answer::Yes),
            "no" | "n" | "false" => Ok(Answer::No),
            "unknown" | "?" | "" => Ok(Answer::Unknown),
            _ => Err(format!(
                "unknown answer '{text}' (expected yes, no or unknown)"
            )),
        }
    }
}

/// The stored scores of a lead (see `scoring` for how they are computed).
/// A lead's grade, from its score and the profile's thresholds: A for the best leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grade {
    A,
    B,
    C,
    #[default]
    D,
}

impl Grade {
    /// Best first.
    pub const ALL: [Grade; 4] = [Grade::A, Grade::B, Grade::C, Grade::D];

    pub fn letter(self) -> char {
        match self {
            Grade::A => 'A',
            Grade::B => 'B',
            Grade::C => 'C',
            Grade::D => 'D',
        }
    }

    /// The grade a stored letter names (`None` for anything else).
    pub fn from_letter(letter: &str) -> Option<Grade> {
        Grade::ALL
            .into_iter()
            .find(|grade| letter.len() == 1 && letter.starts_with(grade.letter()))
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StoredScores {
    pub fit: i64,
    pub engagement: i64,
    pub readiness: i64,
    pub score: i64,
    pub grade: Grade,
}

/// A lead as stored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lead {
    pub id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub industry: Option<String>,
    pub company_size: Option<i64>,
    pub country: Option<String>,
    pub website: Option<String>,
    pub source: Option<String>,
    pub source_detail: Option<String>,
    pub status: Option<Status>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub external_id: Option<String>,
    pub incentivized: bool,
    pub aware: bool,
    pub do_not_contact: bool,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub budget: Answer,
    pub authority: Answer,
    pub need: Option<String>,
    pub timeline: Option<DateTime<Utc>>,
    pub scores: StoredScores,
    pub win_probability: Option<f64>,
    pub next_follow_up: Option<DateTime<Utc>>,
    /// What the won deal brought (`status ID won --value`, `edit --value`).
    pub deal_value: Option<f64>,
    /// The lead's data was erased by `forget`; only an anonymous row is left.
    pub forgotten: bool,
}

impl Lead {
    pub fn status(&self) -> Status {
        self.status.unwrap_or(Status::New)
    }

    /// The display name: first + last, or the company when there is no person.
    pub fn name(&self) -> String {
        let person = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !person.is_empty() {
            person
        } else if let Some(company) = self.company.as_deref() {
            company.to_string()
        } else if let Some(email) = self.email.as_deref() {
            email.to_string()
        } else if self.forgotten {
            "(forgotten)".to_string()
        } else {
            self.phone
                .clone()
                .or_else(|| self.external_id.clone())
                .unwrap_or_default()
        }
    }

    /// A lead needs something to recognise it by.
    pub fn has_identity(&self) -> bool {
        [
            &self.first_name,
            &self.last_name,
            &self.company,
            &self.email,
            &self.phone,
            &self.external_id,
        ]
        .iter()
        .any(|field| field.as_deref().is_some_and(|v| !v.trim().is_empty()))
    }

    /// The lead in the contract's JSON shape.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("id".into(), json!(self.id));
        object.insert("first_name".into(), json!(self.first_name));
        object.insert("last_name".into(), json!(self.last_name));
        object.insert("name".into(), json!(self.name()));
        object.insert("email".into(), json!(self.email));
        object.insert("phone".into(), json!(self.phone));
        object.insert("company".into(), json!(self.company));
        object.insert("title".into(), json!(self.title));
        object.insert("industry".into(), json!(self.industry));
        object.insert("company_size".into(), json!(self.company_size));
        object.insert("country".into(), json!(self.country));
        object.insert("website".into(), json!(self.website));
        object.insert("source".into(), json!(self.source));
        object.insert("source_detail".into(), json!(self.source_detail));
        object.insert("status".into(), json!(self.status().as_str()));
        object.insert("tags".into(), json!(self.tags));
        object.insert("notes".into(), json!(self.notes));
        object.insert("attributes".into(), json!(self.attributes));
        object.insert("external_id".into(), json!(self.external_id));
        object.insert("incentivized".into(), json!(self.incentivized));
        object.insert("aware".into(), json!(self.aware));
        object.insert("do_not_contact".into(), json!(self.do_not_contact));
        object.insert("created_at".into(), json!(self.created_at.map(rfc3339)));
        object.insert("updated_at".into(), json!(self.updated_at.map(rfc3339)));
        object.insert("budget".into(), json!(self.budget.as_str()));
        object.insert("authority".into(), json!(self.authority.as_str()));
        object.insert("need".into(), json!(self.need));
        object.insert("timeline".into(), json!(self.timeline.map(rfc3339)));
        object.insert("fit".into(), json!(self.scores.fit));
        object.insert("engagement".into(), json!(self.scores.engagement));
        object.insert("readiness".into(), json!(self.scores.readiness));
        object.insert("score".into(), json!(self.scores.score));
        object.insert("grade".into(), json!(self.scores.grade.to_string()));
        object.insert(
            "win_probability".into(),
            // Only open leads have one: a closed lead's is stale until the next `learn`.
            json!(self
                .win_probability
                .filter(|_| !self.status().is_closed())
                .map(|p| round_to(p, 3))),
        );
        object.insert(
            "next_follow_up".into(),
            json!(self.next_follow_up.map(rfc3339)),
        );
        object.insert("deal_value".into(), json!(self.deal_value));
        object.insert("forgotten".into(), json!(self.forgotten));
        Value::Object(object)
    }
}

/// `value` rounded to `decimals` places, for figures people read (a probability to three
/// places, a percentage to one, an amount to two): the one rounding rule of the contract.
pub fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// An amount of money (a spend, a deal's value): a non-negative decimal number, as people
/// write it: `5000`, `1250.50`, `12,000.00`, `$800`, `800 €`. No currency conversion: the
/// symbol is only dropped. Errors name the value and what is accepted.
pub fn parse_amount(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let bare = trimmed
        .trim_start_matches(['$', '€', '£', '¥'])
        .trim_end_matches(['$', '€', '£', '¥'])
        .trim();
    let invalid = || {
        format!(
            "invalid amount '{trimmed}' (expected a number of at least 0, such as 5000, \
             1250.50 or 12,000.00)"
        )
    };
    let (whole, fraction) = match bare.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (bare, None),
    };
    // Commas only as thousands separators: 12,000 and 1,250,000, never 12,5.
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|group| group.len() == 3));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !grouped
        || !groups.iter().all(|group| digits(group))
        || fraction.is_some_and(|fraction| !digits(fraction))
    {
        return Err(invalid());
    }
    let number = format!("{}.{}", groups.concat(), fraction.unwrap_or("0"));
    match number.parse::<f64>() {
        Ok(amount) if amount.is_finite() => Ok(amount),
        _ => Err(invalid()),
    }
}

/// Dates in the contract: RFC 3339, UTC, whole seconds.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Split a full name into first and last name.
///
/// - "Ada King Lovelace" -> ("Ada", "King Lovelace"): the first word is the first name and
///   the rest the last name (a middle name cannot be told from a compound surname such as
///   "García Márquez", and this way nothing typed is lost).
/// - "Lovelace, Ada" -> ("Ada", "Lovelace").
/// - An honorific (Dr., Mr, Mrs, Ms, Prof., Sir, ...) is dropped: it is no name, and the
///   lead's title is the job title. "Dr. Smith" is a last name alone.
/// - A suffix (Jr., Sr., II, III, PhD, MD, Esq.) stays at the end of the last name: it tells
///   a father from his son. "Dr. Martin Luther King Jr." -> ("Martin", "Luther King Jr.").
/// - A name that starts with surname particles ("van der Berg", "de la Cruz", "von Trapp",
///   "al-Rashid") is a last name alone; particles after the first name stay in the last
///   name ("Ludwig van Beethoven" -> "van Beethoven"). A capitalised "Van" followed by a
///   plain word is a first name ("Van Morrison").
pub fn split_name(full: &str) -> (Option<String>, Option<String>) {
    let join = |words: &[&str]| (!words.is_empty()).then(|| words.join(" "));
    // Stray commas ("Lovelace, ", ", Ada") are punctuation, not part of a name.
    let full = full
        .trim()
        .trim_matches(|c: char| c == ',' || c.is_whitespace());
    if full.is_empty() {
        return (None, None);
    }
    // "Lovelace, Ada" (but "King, Jr." is a suffix, not a first name).
    if let Some((last, first)) = full.split_once(',') {
        let (first, last) = (first.trim(), last.trim());
        let suffix_only = first.split_whitespace().all(is_name_suffix);
        if !first.is_empty() && !last.is_empty() && !first.contains(',') && !suffix_only {
            let given: Vec<&str> = first
                .split_whitespace()
                .filter(|word| !is_honorific(word))
                .collect();
            return (join(&given), Some(last.to_string()));
        }
    }
    let mut words: Vec<&str> = full
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty())
        .collect();
    let mut honorific = false;
    while words.len() > 1 && is_honorific(words[0]) {
        words.remove(0);
        honorific = true;
    }
    let names_end = words
        .iter()
        .rposition(|word| !is_name_suffix(word))
        .map_or(words.len(), |last_name| last_name + 1)
        .max(1);
    let (names, suffixes) = words.split_at(names_end);
    let last_name = |words: &[&str]| join(&[words, suffixes].concat());
    let leading_particle = match names {
        [first, second, ..] => {
            is_particle(first) && (first.starts_with(char::is_lowercase) || is_particle(second))
        }
        _ => false,
    } || names
        .first()
        .is_some_and(|first| is_hyphenated_particle(first));
    if leading_particle || (honorific && names.len() == 1) {
        return (None, last_name(names));
    }
    match names {
        [first, rest @ ..] => (Some(first.to_string()), last_name(rest)),
        [] => (None, None),
    }
}

/// "Dr", "Dr.", "mrs", "Prof.", "Mme": a form of address, not a name (nor, in an Outlook
/// "Title" column, a job title). The one list of them.
pub fn is_honorific(word: &str) -> bool {
    let key: String = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        key.as_str(),
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "mx"
            | "dr"
            | "prof"
            | "professor"
            | "sir"
            | "dame"
            | "rev"
            | "revd"
            | "fr"
            | "hon"
            | "lord"
            | "lady"
            | "herr"
            | "frau"
            | "madam"
            | "mme"
            | "mlle"
    )
}

/// "Jr.", "III", "PhD": after a surname, part of it.
fn is_name_suffix(word: &str) -> bool {
    let word = word.trim_end_matches('.').replace('.', "").to_lowercase();
    matches!(
        word.as_str(),
        "jr" | "sr" | "ii" | "iii" | "iv" | "phd" | "md" | "esq" | "mba" | "dds" | "cpa"
    )
}

/// Surname particles: "van", "der", "de", "la", "von", "bin", "al-Rashid" ...
fn is_particle(word: &str) -> bool {
    let lower = word.to_lowercase();
    is_hyphenated_particle(word)
        || matches!(
            lower.as_str(),
            "van"
                | "von"
                | "der"
                | "den"
                | "de"
                | "del"
                | "della"
                | "la"
                | "le"
                | "du"
                | "di"
                | "da"
                | "dos"
                | "das"
                | "ter"
                | "ten"
                | "bin"
                | "ibn"
                | "al"
                | "el"
                | "zu"
        )
}

/// "al-Rashid", "el-Amin": a surname by its form.
fn is_hyphenated_particle(word: &str) -> bool {
    let lower = word.to_lowercase();
    (lower.starts_with("al-") || lower.starts_with("el-")) && lower.len() > 3
}

/// A valid bare email address: trimmed, the domain lower-cased (domains are case-insensitive),
/// the local part kept as typed (RFC 5321 lets a server tell `Bob` from `bob`).
pub fn check_email(email: &str) -> Result<String, String> {
    let email = email.trim();
    match email.rsplit_once('@') {
        Some((local, domain))
            if email_address::EmailAddress::is_valid(email) && domain.contains('.') =>
        {
            Ok(format!("{local}@{}", domain.to_lowercase()))
        }
        _ => Err(format!(
            "invalid email '{email}' (expected an address like name@example.com)"
        )),
    }
}

/// The one reader of an email address as people paste it: `bob@x.com`,
/// `Bob Smith <bob@x.com>`, `"Smith, Bob" <bob@x.com>`, `<bob@x.com>`, `mailto:bob@x.com`.
/// Returns the display name when one is given (quotes removed) and the checked address.
/// Used by `add`, `edit` and import alike, so the same person is recognised however written.
pub fn parse_email_address(text: &str) -> Result<(Option<String>, String), String> {
    let text = text.trim();
    let (name, address) = match (text.rfind('<'), text.ends_with('>')) {
        (Some(open), true) => (&text[..open], &text[open + 1..text.len() - 1]),
        _ => ("", text),
    };
    let address = address.trim();
    let address = address
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
        .map_or(address, |_| &address[7..]);
    let address = check_email(address).map_err(|_| {
        format!(
            "invalid email '{text}' (expected an address like name@example.com \
             or Name <name@example.com>)"
        )
    })?;
    let name = name.trim().trim_matches('"').trim();
    Ok(((!name.is_empty()).then(|| name.to_string()), address))
}

/// Something that happened with a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: i64,
    pub lead_id: i64,
    pub kind: ActivityKind,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

impl Activity {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "lead_id": self.lead_id,
            "kind": self.kind.as_str(),
            "at": rfc3339(self.at),
            "note": self.note,
        })
    }
}

/// A move in the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub from: Option<Status>,
    pub to: Status,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

impl StatusChange {
    pub fn to_json(&self) -> Value {
        json!({
            "from": self.from.map(|s| s.as_str()),
            "to": self.to.as_str(),
            "at": rfc3339(self.at),
            "reason": self.reason,
        })
    }
}

/// What must happen next with a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: i64,
    pub lead_id: i64,
    /// The lead's display name.
    pub name: String,
    pub due_at: DateTime<Utc>,
    pub note: Option<String>,
    /// How often it repeats once done, if it does.
    pub every: Option<Interval>,
    pub done_at: Option<DateTime<Utc>>,
    /// The cadence step it is, if it is one (`leads nurture`).
    pub step_of: Option<StepOf>,
}

impl FollowUp {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "lead_id": self.lead_id,
            "name": self.name,
            "due_at": rfc3339(self.due_at),
            "note": self.note,
            "every": self.every.map(|every| every.to_string()),
            "done_at": self.done_at.map(rfc3339),
            "cadence": self.step_of.as_ref().map(|s| s.cadence.as_str()),
            "step": self.step_of.as_ref().map(|s| s.step),
        })
    }
}

/// A company size as a person or an export writes it: a whole number of employees,
/// thousands grouped or not ("1200", "1,200", "1 200", "1.200", "12,000,000"); empty is
/// None. The one parser for `add`/`edit --size` and import: "1.5", "2,5" and "1,2,3" are
/// refused, never read as 15, 25 or 123.
pub fn parse_company_size(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || {
        format!(
            "invalid company size '{text}' (expected a whole number of employees, e.g. 120 \
             or 1,200)"
        )
    };
    let separators = [',', '.', ' ', '_', '\u{a0}', '\u{202f}', '\''];
    let separator = text.chars().find(|c| separators.contains(c));
    let groups: Vec<&str> = match separator {
        Some(separator) => text.split(separator).collect(),
        None => vec![text],
    };
    let digits = |group: &str| !group.is_empty() && group.chars().all(|c| c.is_ascii_digit());
    let grouped = groups.len() == 1
        || (groups[0].len() <= 3
            && digits(groups[0])
            && groups[1..]
                .iter()
                .all(|group| group.len() == 3 && digits(group)));
    if !grouped || !groups.iter().all(|group| digits(group)) {
        return Err(bad());
    }
    groups.concat().parse::<i64>().map(Some).map_err(|_| bad())
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
    fn company_sizes_are_whole_numbers_with_optional_thousands() {
        let cases = [
            ("120", Ok(Some(120))),
            ("1,200", Ok(Some(1200))),
            ("1 200", Ok(Some(1200))),
            ("1.200", Ok(Some(1200))),
            ("12,000,000", Ok(Some(12_000_000))),
            ("", Ok(None)),
            ("  ", Ok(None)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_company_size(text), expected, "{text}");
        }
        for text in [
            "1.5", "2,5", "1,2,3", "-3", "many", "1,2000", "12,00", "1,200.5", "1e3",
        ] {
            assert!(parse_company_size(text).is_err(), "{text}");
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

    #[test]
    fn statuses_from_other_crms() {
        assert_eq!(
            Status::from_synonym("Closed - Converted"),
            Some(Status::Won)
        );
        assert_eq!(
            Status::from_synonym("Closed - Not Converted"),
            Some(Status::Lost)
        );
        assert_eq!(
            Status::from_synonym("Working - Contacted"),
            Some(Status::Contacted)
        );
        assert_eq!(
            Status::from_synonym("Unqualified"),
            Some(Status::Disqualified)
        );
        assert_eq!(Status::from_synonym("QUALIFIED"), Some(Status::Qualified));
        assert_eq!(Status::from_synonym("Sleeping"), None);
    }

    #[test]
    fn names_split_into_first_and_last() {
        let cases = [
            ("Ada Lovelace", Some("Ada"), Some("Lovelace")),
            ("Ada King Lovelace", Some("Ada"), Some("King Lovelace")),
            ("Lovelace, Ada", Some("Ada"), Some("Lovelace")),
            ("Cher", Some("Cher"), None),
            ("Lovelace, ", Some("Lovelace"), None),
            (", Ada", Some("Ada"), None),
            ("  ", None, None),
            (
                "Dr. Martin Luther King Jr.",
                Some("Martin"),
                Some("Luther King Jr."),
            ),
            (
                "Martin Luther King, Jr.",
                Some("Martin"),
                Some("Luther King Jr."),
            ),
            ("Sammy Davis Jr", Some("Sammy"), Some("Davis Jr")),
            (
                "Prof. Dr. Ada Lovelace PhD",
                Some("Ada"),
                Some("Lovelace PhD"),
            ),
            ("Mrs Lovelace", None, Some("Lovelace")),
            ("Lovelace, Dr. Ada", Some("Ada"), Some("Lovelace")),
            ("van der Berg", None, Some("van der Berg")),
            ("Van der Berg", None, Some("Van der Berg")),
            ("Anna van der Berg", Some("Anna"), Some("van der Berg")),
            ("de la Cruz", None, Some("de la Cruz")),
            ("María de la Cruz", Some("María"), Some("de la Cruz")),
            ("von Trapp", None, Some("von Trapp")),
            ("al-Rashid", None, Some("al-Rashid")),
            ("Van Morrison", Some("Van"), Some("Morrison")),
            ("Dr.", Some("Dr."), None),
            ("Henry III", Some("Henry"), Some("III")),
        ];
        for (full, first, last) in cases {
            let (f, l) = split_name(full);
            assert_eq!((f.as_deref(), l.as_deref()), (first, last), "{full}");
        }
    }

    #[test]
    fn display_name_falls_back_to_company() {
        let lead = Lead {
            company: Some("Acme".into()),
            ..Lead::default()
        };
        assert_eq!(lead.name(), "Acme");
    }

    #[test]
    fn amounts_are_non_negative_decimals() {
        for (text, amount) in [
            ("5000", 5000.0),
            ("1250.50", 1250.5),
            (" 12,000.00 ", 12000.0),
            ("1,250,000", 1_250_000.0),
            ("$800", 800.0),
            ("800 €", 800.0),
            ("0", 0.0),
        ] {
            assert_eq!(parse_amount(text), Ok(amount), "{text}");
        }
        for text in [
            "-5", "", "abc", "12,5", "1,2345", "5e3", "1.2.3", "NaN", "inf", ".5",
        ] {
            let err = parse_amount(text).unwrap_err();
            assert!(err.contains(&format!("'{}'", text.trim())), "{err}");
            assert!(err.contains("at least 0"), "{err}");
        }
    }

    #[test]
    fn emails_are_checked() {
        assert!(check_email("ada@example.com").is_ok());
        assert!(check_email("not-an-email").is_err());
        assert!(check_email("a@b").is_err());
        assert!(check_email("a.b@c").is_err());
        assert_eq!(check_email(" Ada@Example.COM ").unwrap(), "Ada@example.com");
    }

    #[test]
    fn email_addresses_as_people_paste_them() {
        let cases = [
            ("bob@smith.example", None, "bob@smith.example"),
            (
                "Bob Smith <bob@smith.example>",
                Some("Bob Smith"),
                "bob@smith.example",
            ),
            (
                "\"Smith, Bob\" <bob@Smith.Example>",
                Some("Smith, Bob"),
                "bob@smith.example",
            ),
            ("<bob@smith.example>", None, "bob@smith.example"),
            ("  mailto:bob@smith.example ", None, "bob@smith.example"),
            (
                "Bob <MAILTO:bob@smith.example>",
                Some("Bob"),
                "bob@smith.example",
            ),
        ];
        for (text, name, address) in cases {
            let (n, a) = parse_email_address(text).unwrap();
            assert_eq!((n.as_deref(), a.as_str()), (name, address), "{text}");
        }
        for bad in [
            "Bob Smith",
            "Bob <bob@>",
            "<>",
            "",
            "bob@x.com>",
            "urn:li:member:1",
        ] {
            assert!(parse_email_address(bad).is_err(), "{bad}");
        }
    }
}

/// The qualification answers as given at one time (`leads qualify`).
#[derive(Debug, Clone, PartialEq)]
pub struct Qualification {
    pub at: DateTime<Utc>,
    pub budget: Answer,
    pub authority: Answer,
    pub need: Option<String>,
    pub timeline: Option<DateTime<Utc>>,
}

impl Qualification {
    /// The answers a lead holds now, as recorded at `at`.
    pub fn of(lead: &Lead, at: DateTime<Utc>) -> Qualification {
        Qualification {
            at,
            budget: lead.budget,
            authority: lead.authority,
            need: lead.need.clone(),
            timeline: lead.timeline,
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "at": rfc3339(self.at),
            "budget": self.budget.as_str(),
            "authority": self.authority.as_str(),
            "need": self.need,
            "timeline": self.timeline.map(rfc3339),
        })
    }
}
