//! Lead scoring: a pure function of (lead, activities, profile, clock).
//!
//! No I/O, no reading of the clock: `Clock` (the moment and the user's calendar) is passed in. Every number comes with the reasons behind it, so that `show` and
//! `qualify --explain` can print a form a salesperson can check line by line.
//!
//! - fit (0-100): the sum of the ideal-customer-profile and data-quality points.
//! - engagement (0-100): source warmth plus each activity's points halved every
//!   `half_life_days`; an incentivized lead who was not aware of a sales follow-up counts
//!   `incentive_factor` as much; the first 50 points count one for one, beyond that the
//!   curve bends towards 100 (`100 - 50 * e^-(raw-50)/50`).
//! - readiness (0-100): budget, authority, need and timeline, 25 points each at best.
//! - score: the weighted mean of the three rounded sub-scores, rounded; grade by thresholds.
//!
//! Every line of the form carries its points to one decimal, and a sub-score is the sum
//! of its lines as shown, rounded half up: the form always adds up by hand.
//!
//! `keys` maps the profile to the `leads config` settings (names, parsing, validation).
use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::model::{Activity, ActivityKind, Answer, Grade, Lead, StoredScores, KNOWN_SOURCES};

pub mod keys;
pub mod rules;
pub mod signals;

/// Everything the scores depend on besides the lead: the seller's ideal customer, the
/// weights and thresholds. Stored in the database, changed with `leads config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Target industries (lower case); empty means "any industry".
    pub industries: Vec<String>,
    /// Target company size, in employees, inclusive.
    pub size_min: i64,
    pub size_max: i64,
    /// Target countries (lower case); empty means "any country".
    pub countries: Vec<String>,
    /// Words in a title that mark a decision maker.
    pub senior_titles: Vec<String>,
    /// Words in a title that mark someone who influences the decision.
    pub manager_titles: Vec<String>,
    /// Words in a title (or an occupation) that mark someone who does not buy: a student,
    /// someone out of work. They come first: a "Retired CEO" signs nothing.
    pub non_buyer_titles: Vec<String>,
    pub weight_fit: f64,
    pub weight_engagement: f64,
    pub weight_readiness: f64,
    /// Days after which an activity counts half as much.
    pub half_life_days: f64,
    /// Points per activity kind, when it just happened.
    pub activity_points: BTreeMap<String, f64>,
    /// Points for where the lead came from (do not decay).
    pub source_points: BTreeMap<String, f64>,
    /// Points for a source not in `source_points`.
    pub unknown_source_points: f64,
    /// Engagement multiplier for an incentivized lead who was not aware of a follow-up.
    pub incentive_factor: f64,
    /// Lowest score of each grade.
    pub grade_a: i64,
    pub grade_b: i64,
    pub grade_c: i64,
    /// `qualify` moves a lead to qualified at this score or above...
    pub qualify_at: i64,
    /// ...and to disqualified below this one.
    pub disqualify_below: i64,
    /// The seller's rules on any field or attribute (`leads config rule add`).
    pub rules: Vec<rules::Rule>,
}

impl Default for Profile {
    fn default() -> Self {
        let activity_points = [
            (ActivityKind::EmailSent, 1.0),
            (ActivityKind::EmailOpened, 3.0),
            (ActivityKind::EmailReplied, 20.0),
            (ActivityKind::Call, 15.0),
            (ActivityKind::Meeting, 30.0),
            (ActivityKind::Demo, 35.0),
            (ActivityKind::Visit, 5.0),
            (ActivityKind::Download, 10.0),
            (ActivityKind::Webinar, 15.0),
            (ActivityKind::Event, 15.0),
            (ActivityKind::Form, 20.0),
            (ActivityKind::Note, 0.0),
        ]
        .into_iter()
        .map(|(kind, points)| (kind.as_str().to_string(), points))
        .collect();
        let source_points = KNOWN_SOURCES
            .iter()
            .map(|source| {
                let points = match *source {
                    "referral" => 25.0,
                    "partner" => 20.0,
                    "networking_event" => 15.0,
                    "trade_show" | "conference" | "chamber_of_commerce" => 12.0,
                    "web_form" | "webinar" => 10.0,
                    "content_download" | "sponsorship" => 8.0,
                    "email_campaign" | "newsletter" | "social" | "local_media" => 5.0,
                    "advertising" => 4.0,
                    "direct_mail" | "third_party" | "other" => 3.0,
                    "cold_outreach" => 2.0,
                    _ => 0.0, // purchased_list
                };
                (source.to_string(), points)
            })
            .collect();
        Profile {
            industries: Vec::new(),
            size_min: 10,
            size_max: 500,
            countries: Vec::new(),
            senior_titles: [
                "owner",
                "founder",
                "co-founder",
                "ceo",
                "cto",
                "cfo",
                "coo",
                "cmo",
                "chief",
                "president",
                "vp",
                "vice president",
                "head",
                "director",
                "partner",
                "principal",
            ]
            .map(String::from)
            .to_vec(),
            manager_titles: ["manager", "lead", "supervisor", "buyer", "purchasing"]
                .map(String::from)
                .to_vec(),
            non_buyer_titles: [
                "student",
                "unemployed",
                "retired",
                "intern",
                "trainee",
                "job seeker",
                "homemaker",
                "housewife",
            ]
            .map(String::from)
            .to_vec(),
            weight_fit: 40.0,
            weight_engagement: 35.0,
            weight_readiness: 25.0,
            half_life_days: 30.0,
            activity_points,
            source_points,
            unknown_source_points: 3.0,
            incentive_factor: 0.5,
            grade_a: 70,
            grade_b: 50,
            grade_c: 30,
            qualify_at: 60,
            disqualify_below: 25,
            rules: Vec::new(),
        }
    }
}

/// Which sub-score a reason (or a rule) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Fit,
    Engagement,
    Readiness,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Fit => "fit",
            Part::Engagement => "engagement",
            Part::Readiness => "readiness",
        }
    }
}

/// One line of the form: a factor, what the lead has, and the points it earns.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub part: Part,
    pub factor: String,
    pub value: String,
    pub points: f64,
}

impl Reason {
    pub fn to_json(&self) -> Value {
        json!({
            "part": self.part.as_str(),
            "factor": self.factor,
            "value": self.value,
            "points": (self.points * 10.0).round() / 10.0,
        })
    }
}

/// The scores of a lead and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub fit: i64,
    pub engagement: i64,
    pub readiness: i64,
    pub score: i64,
    pub grade: Grade,
    pub reasons: Vec<Reason>,
}

impl Scores {
    /// Stored scores with no reasons: for a lead whose data is gone (`forget`).
    pub fn frozen(stored: StoredScores) -> Scores {
        Scores {
            fit: stored.fit,
            engagement: stored.engagement,
            readiness: stored.readiness,
            score: stored.score,
            grade: stored.grade,
            reasons: Vec::new(),
        }
    }

    pub fn stored(&self) -> StoredScores {
        StoredScores {
            fit: self.fit,
            engagement: self.engagement,
            readiness: self.readiness,
            score: self.score,
            grade: self.grade,
        }
    }
}

/// When scores are computed: the moment, and the user's calendar. Ages and timelines
/// count whole calendar days in the user's time zone, so every score computed on one
/// local day agrees: the stored scores refreshed once a day, and `show`'s live ones, from
/// morning to evening. The calendar is passed in (a function from a moment to its local
/// date), so scoring stays pure.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: DateTime<Utc>,
    today: NaiveDate,
    local_date: fn(DateTime<Utc>) -> NaiveDate,
}

impl Clock {
    /// `now`, with `local_date` telling the user's calendar day of any moment.
    pub fn new(now: DateTime<Utc>, local_date: fn(DateTime<Utc>) -> NaiveDate) -> Clock {
        Clock {
            now,
            today: local_date(now),
            local_date,
        }
    }

    /// `now` on the UTC calendar.
    pub fn utc(now: DateTime<Utc>) -> Clock {
        Clock::new(now, |at| at.date_naive())
    }

    /// The local calendar day of `at`.
    pub fn date(&self, at: DateTime<Utc>) -> NaiveDate {
        (self.local_date)(at)
    }

    /// Today, on the local calendar.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Local calendar days from `at`'s day to today (negative when `at` is on a later day).
    pub fn days_since(&self, at: DateTime<Utc>) -> i64 {
        (self.today() - self.date(at)).num_days()
    }
}

/// Score a lead as of `clock`.
pub fn score(lead: &Lead, activities: &[Activity], profile: &Profile, clock: Clock) -> Scores {
    score_with(lead, activities, profile, clock, Some(Vec::new()))
}

/// The same numbers as `score(..).stored()`, without the reasons: for scoring many
/// leads at once (imports, rescoring), where nobody reads the form.
pub fn score_numbers(
    lead: &Lead,
    activities: &[Activity],
    profile: &Profile,
    clock: Clock,
) -> StoredScores {
    score_with(lead, activities, profile, clock, None).stored()
}

fn score_with(
    lead: &Lead,
    activities: &[Activity],
    profile: &Profile,
    clock: Clock,
    reasons: Option<Vec<Reason>>,
) -> Scores {
    let mut form = Form { reasons };
    let columns = read_column_signals(lead);
    let fit = fit(lead, profile, &columns, &mut form);
    let engagement = engagement(lead, activities, profile, &columns, clock, &mut form);
    let readiness = readiness(lead, profile, clock, &mut form);
    let score = combine(fit, engagement, readiness, profile);
    Scores {
        fit,
        engagement,
        readiness,
        score,
        grade: grade(score, profile),
        reasons: form.reasons.unwrap_or_default(),
    }
}

/// The weighted mean of the three sub-scores, rounded.
pub fn combine(fit: i64, engagement: i64, readiness: i64, profile: &Profile) -> i64 {
    let total = profile.weight_fit + profile.weight_engagement + profile.weight_readiness;
    if total <= 0.0 {
        return 0;
    }
    let sum = profile.weight_fit * fit as f64
        + profile.weight_engagement * engagement as f64
        + profile.weight_readiness * readiness as f64;
    (sum / total).round().clamp(0.0, 100.0) as i64
}

/// A for the best leads, D for the rest.
pub fn grade(score: i64, profile: &Profile) -> Grade {
    if score >= profile.grade_a {
        Grade::A
    } else if score >= profile.grade_b {
        Grade::B
    } else if score >= profile.grade_c {
        Grade::C
    } else {
        Grade::D
    }
}

/// Add a line to the form. Points are kept to one decimal, as the form shows them, and
/// each sub-score is the sum of its lines as shown (see `sub_score`).
fn push(
    form: &mut Form,
    part: Part,
    factor: &str,
    value: impl FnOnce() -> String,
    points: f64,
) -> i64 {
    let points = tenths(points);
    if let Some(reasons) = &mut form.reasons {
        reasons.push(Reason {
            part,
            factor: factor.to_string(),
            value: value(),
            points: points as f64 / 10.0,
        });
    }
    points
}

/// Where the lines of the form go: kept for `show` and `qualify --explain`, or not
/// written at all when only the numbers are wanted (an import scores a million leads,
/// and the lines were most of its scoring time).
struct Form {
    reasons: Option<Vec<Reason>>,
}

/// Points in tenths, rounded half away from zero: sums of lines are exact integers.
fn tenths(points: f64) -> i64 {
    (points * 10.0).round() as i64
}

/// A sub-score from the sum of its lines (in tenths), rounded half up to a whole number.
/// Summing the shown lines rather than the unrounded points means a salesperson adding up
/// the form by hand always lands on the printed sub-score.
fn sub_score(total_tenths: i64) -> i64 {
    (total_tenths + 5).div_euclid(10).clamp(0, 100)
}

fn fit(lead: &Lead, profile: &Profile, columns: &ColumnSignals<'_>, reasons: &mut Form) -> i64 {
    let part = Part::Fit;
    let mut total = 0;

    let industry = lead
        .industry
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    total += match industry {
        None => push(reasons, part, "industry", || "unknown".into(), 0.0),
        Some(industry) if profile.industries.is_empty() => push(
            reasons,
            part,
            "industry",
            || format!("{industry} (no target industries set)"),
            10.0,
        ),
        Some(industry) if contains_ignoring_case(&profile.industries, industry) => push(
            reasons,
            part,
            "industry",
            || format!("{industry} (a target)"),
            20.0,
        ),
        Some(industry) => push(
            reasons,
            part,
            "industry",
            || format!("{industry} (not a target)"),
            0.0,
        ),
    };

    let (low, high) = (profile.size_min, profile.size_max);
    total += match lead.company_size {
        None => push(reasons, part, "company size", || "unknown".into(), 0.0),
        Some(size) if (profile.size_min..=profile.size_max).contains(&size) => push(
            reasons,
            part,
            "company size",
            || format!("{size} (target {low}-{high})"),
            20.0,
        ),
        Some(size) => push(
            reasons,
            part,
            "company size",
            || format!("{size} (outside {low}-{high})"),
            5.0,
        ),
    };

    let country = lead
        .country
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    total += match country {
        None => push(reasons, part, "country", || "unknown".into(), 0.0),
        Some(country) if profile.countries.is_empty() => push(
            reasons,
            part,
            "country",
            || format!("{country} (no target countries set)"),
            8.0,
        ),
        Some(country) if contains_ignoring_case(&profile.countries, country) => push(
            reasons,
            part,
            "country",
            || format!("{country} (a target)"),
            15.0,
        ),
        Some(country) => push(
            reasons,
            part,
            "country",
            || format!("{country} (not a target)"),
            0.0,
        ),
    };

    let title = lead
        .title
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    total += match title {
        None => push(reasons, part, "title", || "unknown".into(), 0.0),
        Some(title) if title_has(title, &profile.non_buyer_titles) => push(
            reasons,
            part,
            "title",
            || format!("{title} (not a buyer)"),
            0.0,
        ),
        Some(title) if title_has(title, &profile.senior_titles) => push(
            reasons,
            part,
            "title",
            || format!("{title} (decision maker)"),
            20.0,
        ),
        Some(title) if title_has(title, &profile.manager_titles) => push(
            reasons,
            part,
            "title",
            || format!("{title} (influencer)"),
            10.0,
        ),
        Some(title) => push(reasons, part, "title", || title.to_string(), 5.0),
    };

    let data_points = [
        ("email", lead.email.is_some(), 10.0),
        ("phone", lead.phone.is_some(), 5.0),
        ("company", lead.company.is_some(), 5.0),
        ("website", lead.website.is_some(), 5.0),
    ];
    for (factor, present, points) in data_points {
        total += if present {
            push(reasons, part, factor, || "present".into(), points)
        } else {
            push(reasons, part, factor, || "missing".into(), 0.0)
        };
    }
    total += column_signal_points(columns, part, reasons);
    total += rule_points(lead, profile, part, reasons);
    sub_score(total)
}

fn contains_ignoring_case(list: &[String], value: &str) -> bool {
    list.iter()
        .any(|item| item.trim().eq_ignore_ascii_case(value.trim()))
}

/// Does the title contain one of the keywords as whole words ("VP Sales" has "vp")?
fn title_has(title: &str, keywords: &[String]) -> bool {
    // The title's words, lower case, single-spaced and padded: " vp sales ".
    let mut padded = String::with_capacity(title.len() + 2);
    padded.push(' ');
    let mut push_char = |c: char| {
        if c.is_alphanumeric() || c == '-' {
            padded.push(c);
        } else if !padded.ends_with(' ') {
            padded.push(' ');
        }
    };
    if title.is_ascii() {
        // Most titles: lower-cased in place, without a lower-case copy first.
        title
            .bytes()
            .for_each(|b| push_char(char::from(b.to_ascii_lowercase())));
    } else {
        title.to_lowercase().chars().for_each(push_char);
    }
    if !padded.ends_with(' ') {
        padded.push(' ');
    }
    keywords.iter().any(|keyword| {
        let keyword = keyword.trim();
        // The profile's keywords are lower case already: no copy for them.
        let lower = if keyword.is_ascii() {
            !keyword.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            keyword.chars().all(|c| c.to_lowercase().eq([c]))
        };
        let keyword: std::borrow::Cow<'_, str> = if lower {
            keyword.into()
        } else {
            keyword.to_lowercase().into()
        };
        !keyword.is_empty() && has_whole(&padded, &keyword)
    })
}

/// Is `keyword` in `padded` between two spaces? The matches are taken leftmost first and
/// without overlapping (as `str::match_indices` finds them), without setting up a
/// substring searcher for a few short words.
fn has_whole(padded: &str, keyword: &str) -> bool {
    let (hay, needle) = (padded.as_bytes(), keyword.as_bytes());
    let Some(&first) = needle.first() else {
        return false;
    };
    let mut at = 0;
    while at + needle.len() <= hay.len() {
        // The first byte alone rules out most places, without a call to compare.
        if hay[at] == first && hay[at..].starts_with(needle) {
            let end = at + needle.len();
            if at > 0 && hay[at - 1] == b' ' && hay.get(end) == Some(&b' ') {
                return true;
            }
            at = end;
        } else {
            at += 1;
        }
    }
    false
}

/// The signal columns of an export kept in the attributes (see `signals`), read once for
/// both sub-scores: one slot per kind of signal, the first column of each kind counting.
type ColumnSignals<'a> = [Option<signals::Found<'a>>; signals::KINDS];

fn read_column_signals(lead: &Lead) -> ColumnSignals<'_> {
    let mut found: ColumnSignals<'_> = Default::default();
    // A lead without attributes (everything added by hand, most imports) costs nothing.
    for (header, value) in &lead.attributes {
        let Some(signal) = signals::signal_for_header(header) else {
            continue;
        };
        // An opt-out is counted once, by the `do_not_contact` line; a referral once, by
        // the source's.
        if (signal == signals::Signal::Unsubscribed && lead.do_not_contact)
            || (signal == signals::Signal::Referred && lead.source.as_deref() == Some("referral"))
        {
            continue;
        }
        let slot = &mut found[signal as usize];
        if slot.is_none() {
            *slot = signals::read(signal, header, value);
        }
    }
    found
}

/// The lines of the column signals of one sub-score.
fn column_signal_points(columns: &ColumnSignals<'_>, part: Part, reasons: &mut Form) -> i64 {
    let mut total = 0;
    for line in columns.iter().flatten() {
        if line.signal.part() == part {
            total += push(
                reasons,
                part,
                line.signal.factor(),
                || line.value(),
                line.points,
            );
        }
    }
    total
}

/// The lines of the seller's rules on this sub-score that the lead matches.
fn rule_points(lead: &Lead, profile: &Profile, part: Part, reasons: &mut Form) -> i64 {
    let mut total = 0;
    for rule in profile.rules.iter().filter(|rule| rule.axis == part) {
        if let Some(value) = rule.fires(lead) {
            total += push(reasons, part, &rule.factor(), || value, rule.points);
        }
    }
    total
}

/// Where the curve starts to bend: below this, engagement points count one for one.
const LINEAR_UNTIL: f64 = 50.0;

fn engagement(
    lead: &Lead,
    activities: &[Activity],
    profile: &Profile,
    columns: &ColumnSignals<'_>,
    clock: Clock,
    reasons: &mut Form,
) -> i64 {
    let part = Part::Engagement;
    let mut raw = 0; // tenths of a point

    match lead.source.as_deref() {
        Some(source) => {
            let points = profile
                .source_points
                .get(source)
                .copied()
                .unwrap_or(profile.unknown_source_points);
            raw += push(reasons, part, "source", || source.to_string(), points);
        }
        None => {
            push(reasons, part, "source", || "unknown".into(), 0.0);
        }
    }

    // One line per kind of activity: how many, the latest, and their decayed points.
    let mut by_kind: BTreeMap<ActivityKind, (usize, DateTime<Utc>, f64)> = BTreeMap::new();
    for activity in activities {
        let points = activity_points(activity, profile, clock);
        let entry = by_kind
            .entry(activity.kind)
            .or_insert((0, activity.at, 0.0));
        entry.0 += 1;
        entry.1 = entry.1.max(activity.at);
        entry.2 += points;
    }
    for (kind, (count, latest, points)) in by_kind {
        let value = || {
            let mut value = String::new();
            let days = age_days(latest, clock);
            let _ = write!(
                value,
                "{count}, latest {days} day{} ago",
                if days == 1 { "" } else { "s" }
            );
            value
        };
        raw += push(reasons, part, kind.as_str(), value, points);
    }

    raw += column_signal_points(columns, part, reasons);
    if lead.do_not_contact {
        raw += push(
            reasons,
            part,
            "opted out",
            || "do not contact".into(),
            signals::OPTED_OUT_POINTS,
        );
    }

    if lead.incentivized && !lead.aware {
        let lost = raw as f64 / 10.0 * (1.0 - profile.incentive_factor);
        raw += push(
            reasons,
            part,
            "incentivized, not aware of a follow-up",
            || format!("x{}", profile.incentive_factor),
            -lost,
        );
    }

    raw += rule_points(lead, profile, part, reasons);

    let bent = tenths(saturate(raw as f64 / 10.0));
    if bent != raw {
        let value = move || {
            if raw < 0 {
                "no fewer than 0 points".to_string()
            } else {
                format!("{:.1} raw points above {LINEAR_UNTIL}", raw as f64 / 10.0)
            }
        };
        raw += push(
            reasons,
            part,
            "saturation",
            value,
            (bent - raw) as f64 / 10.0,
        );
    }
    sub_score(raw)
}

/// The points of one activity as of `clock`: its kind's points, halved every half-life.
/// Ages are counted in whole local calendar days so that every score computed on one day
/// agrees.
pub fn activity_points(activity: &Activity, profile: &Profile, clock: Clock) -> f64 {
    let base = profile
        .activity_points
        .get(activity.kind.as_str())
        .copied()
        .unwrap_or(0.0);
    let half_life = profile.half_life_days.max(0.001);
    base * 0.5f64.powf(age_days(activity.at, clock) as f64 / half_life)
}

/// Whole local calendar days from `at`'s day to today; an activity in the future counts as
/// today.
fn age_days(at: DateTime<Utc>, clock: Clock) -> i64 {
    clock.days_since(at).max(0)
}

/// Linear up to 50 points, then bending smoothly towards 100.
pub fn saturate(raw: f64) -> f64 {
    if raw <= LINEAR_UNTIL {
        raw.max(0.0)
    } else {
        100.0 - (100.0 - LINEAR_UNTIL) * (-(raw - LINEAR_UNTIL) / (100.0 - LINEAR_UNTIL)).exp()
    }
}

fn readiness(lead: &Lead, profile: &Profile, clock: Clock, reasons: &mut Form) -> i64 {
    let part = Part::Readiness;
    let mut total = 0;
    for (factor, answer) in [("budget", lead.budget), ("authority", lead.authority)] {
        let points = if answer == Answer::Yes { 25.0 } else { 0.0 };
        total += push(reasons, part, factor, || answer.as_str().into(), points);
    }
    total += match lead
        .need
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(need) => push(reasons, part, "need", || need.to_string(), 25.0),
        None => push(reasons, part, "need", || "unknown".into(), 0.0),
    };
    total += match lead.timeline {
        None => push(reasons, part, "timeline", || "unknown".into(), 0.0),
        Some(date) => {
            let days = (-clock.days_since(date)).max(0);
            let points = match days {
                0..=30 => 25.0,
                31..=90 => 15.0,
                91..=180 => 8.0,
                _ => 3.0,
            };
            // A day that has passed still counts as "now": the answer is due a check.
            // The day is the user's, as `show` prints dates.
            let value = || {
                let day = clock.date(date).format("%Y-%m-%d");
                if clock.days_since(date) > 0 {
                    format!("{day} (passed)")
                } else {
                    format!("{day} (in {days} days)")
                }
            };
            push(reasons, part, "timeline", value, points)
        }
    };
    total += rule_points(lead, profile, part, reasons);
    sub_score(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    /// Most cases score on the UTC calendar.
    fn score(
        lead: &Lead,
        activities: &[Activity],
        profile: &Profile,
        now: DateTime<Utc>,
    ) -> Scores {
        super::score(lead, activities, profile, Clock::utc(now))
    }

    fn score_numbers(
        lead: &Lead,
        activities: &[Activity],
        profile: &Profile,
        now: DateTime<Utc>,
    ) -> StoredScores {
        super::score_numbers(lead, activities, profile, Clock::utc(now))
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }

    fn activity(kind: ActivityKind, days_ago: i64) -> Activity {
        Activity {
            id: 0,
            lead_id: 1,
            kind,
            at: now() - Duration::days(days_ago),
            note: None,
        }
    }

    fn vp_referral() -> Lead {
        Lead {
            first_name: Some("Ada".into()),
            email: Some("ada@acme.test".into()),
            phone: Some("+1 555 0100".into()),
            company: Some("Acme".into()),
            title: Some("VP Sales".into()),
            company_size: Some(120),
            source: Some("referral".into()),
            ..Lead::default()
        }
    }

    fn purchased() -> Lead {
        Lead {
            email: Some("someone@list.test".into()),
            source: Some("purchased_list".into()),
            ..Lead::default()
        }
    }

    #[test]
    fn every_score_on_one_local_day_agrees() {
        use crate::test_support::at;
        // Los Angeles in winter (UTC-8): 2026-02-28 runs from 08:00Z to 08:00Z next day.
        fn pacific(at: DateTime<Utc>) -> NaiveDate {
            let offset = chrono::FixedOffset::west_opt(8 * 3600).expect("an offset");
            at.with_timezone(&offset).date_naive()
        }
        let profile = Profile {
            half_life_days: 1.0,
            ..Profile::default()
        };
        let mut lead = vp_referral();
        // 2026-03-10 local midnight in Los Angeles.
        lead.timeline = Some(at("2026-03-10T08:00:00Z"));
        let meeting = Activity {
            at: at("2026-02-27T18:00:00Z"), // 10:00 local, Friday
            ..activity(ActivityKind::Meeting, 0)
        };
        let scores = |now: &str| {
            super::score(
                &lead,
                std::slice::from_ref(&meeting),
                &profile,
                Clock::new(at(now), pacific),
            )
        };
        let morning = scores("2026-02-28T16:00:00Z"); // 08:00 local
        let evening = scores("2026-03-01T07:30:00Z"); // 23:30 local
        assert_eq!(morning.stored(), evening.stored());
        let lines = |scores: &Scores| {
            scores
                .reasons
                .iter()
                .filter(|r| r.factor == "meeting" || r.factor == "timeline")
                .map(|r| r.value.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            lines(&morning),
            ["1, latest 1 day ago", "2026-03-10 (in 10 days)"]
        );
        assert_eq!(lines(&morning), lines(&evening));
        let next_day = scores("2026-03-01T08:30:00Z"); // 00:30 local, Sunday
        assert_eq!(
            lines(&next_day),
            ["1, latest 2 days ago", "2026-03-10 (in 9 days)"]
        );
    }

    #[test]
    fn vp_referral_with_recent_meeting_outranks_purchased_list_lead() {
        let profile = Profile::default();
        let warm = score(
            &vp_referral(),
            &[activity(ActivityKind::Meeting, 2)],
            &profile,
            now(),
        );
        let cold = score(&purchased(), &[], &profile, now());
        assert!(warm.score > cold.score, "{} vs {}", warm.score, cold.score);
        assert_eq!(warm.fit, 20 + 20 + 10 + 5 + 5); // size, title, email, phone, company
        assert_eq!(cold.fit, 10);
        assert_eq!(cold.engagement, 0);
        assert_eq!(cold.grade, Grade::D);
    }

    #[test]
    fn engagement_halves_after_one_half_life() {
        let profile = Profile::default();
        let lead = Lead {
            first_name: Some("Bo".into()),
            ..Lead::default()
        };
        let fresh = score(
            &lead,
            &[activity(ActivityKind::Meeting, 0)],
            &profile,
            now(),
        );
        let later = score(
            &lead,
            &[activity(ActivityKind::Meeting, 30)],
            &profile,
            now(),
        );
        assert_eq!(fresh.engagement, 30);
        assert_eq!(later.engagement, 15);
        let two = score(
            &lead,
            &[activity(ActivityKind::Meeting, 60)],
            &profile,
            now(),
        );
        assert_eq!(two.engagement, 8); // 7.5 rounds up
    }

    #[test]
    fn weights_change_the_combined_score_as_documented() {
        let mut profile = Profile::default();
        assert_eq!(combine(80, 40, 20, &profile), 51); // (40*80 + 35*40 + 25*20) / 100 = 51
        profile.weight_fit = 1.0;
        profile.weight_engagement = 0.0;
        profile.weight_readiness = 0.0;
        assert_eq!(combine(80, 40, 20, &profile), 80);
        profile.weight_engagement = 1.0;
        assert_eq!(combine(80, 40, 20, &profile), 60);
    }

    #[test]
    fn grades_follow_thresholds() {
        let profile = Profile::default();
        let cases = [
            (100, Grade::A),
            (70, Grade::A),
            (69, Grade::B),
            (50, Grade::B),
            (49, Grade::C),
            (30, Grade::C),
            (29, Grade::D),
            (0, Grade::D),
        ];
        for (score, expected) in cases {
            assert_eq!(grade(score, &profile), expected, "score {score}");
        }
    }

    #[test]
    fn unaware_incentivized_lead_counts_half() {
        let profile = Profile::default();
        let mut lead = vp_referral();
        let base = score(&lead, &[], &profile, now()).engagement;
        lead.incentivized = true;
        let unaware = score(&lead, &[], &profile, now()).engagement;
        lead.aware = true;
        let aware = score(&lead, &[], &profile, now()).engagement;
        assert_eq!((base, unaware, aware), (25, 13, 25)); // 12.5 rounds up
    }

    #[test]
    fn an_opt_out_counts_once_and_export_columns_do_not_decay() {
        let mut lead = purchased();
        lead.do_not_contact = true;
        for (header, value) in [
            ("Unsubscribed from all email", "true"),
            ("Total Time Spent on Website", "1200"),
            ("Favourite Colour", "green"),
        ] {
            lead.attributes.insert(header.into(), value.into());
        }
        let profile = Profile::default();
        let scores = score(&lead, &[], &profile, now());
        let lines: Vec<(&str, &str, f64)> = scores
            .reasons
            .iter()
            .filter(|r| r.part == Part::Engagement)
            .map(|r| (r.factor.as_str(), r.value.as_str(), r.points))
            .collect();
        assert_eq!(
            lines,
            vec![
                ("source", "purchased_list", 0.0),
                (
                    "time on website",
                    "1200 seconds (Total Time Spent on Website)",
                    20.0
                ),
                ("opted out", "do not contact", -10.0),
            ]
        );
        assert_eq!(scores.engagement, 10);
        let year_later = score(&lead, &[], &profile, now() + Duration::days(365));
        assert_eq!(year_later.engagement, 10);
    }

    #[test]
    fn engagement_bends_towards_100() {
        assert_eq!(saturate(50.0), 50.0);
        assert!(saturate(100.0) > 80.0 && saturate(100.0) < 100.0);
        assert!(saturate(1000.0) <= 100.0);
    }

    #[test]
    fn readiness_counts_answers_and_timeline() {
        let lead = Lead {
            budget: Answer::Yes,
            authority: Answer::No,
            need: Some("CRM replacement".into()),
            timeline: Some(now() + Duration::days(45)),
            ..vp_referral()
        };
        let scores = score(&lead, &[], &Profile::default(), now());
        assert_eq!(scores.readiness, 25 + 25 + 15); // budget, need, timeline; authority no
    }

    #[test]
    fn reasons_add_up_to_each_sub_score() {
        let profile = Profile::default();
        let acts = [
            activity(ActivityKind::Call, 3),
            activity(ActivityKind::Demo, 10),
        ];
        let scores = score(&vp_referral(), &acts, &profile, now());
        for (part, value) in [
            (Part::Fit, scores.fit),
            (Part::Engagement, scores.engagement),
            (Part::Readiness, scores.readiness),
        ] {
            let sum: f64 = scores
                .reasons
                .iter()
                .filter(|r| r.part == part)
                .map(|r| r.points)
                .sum();
            assert_eq!(sum.round() as i64, value, "{part:?}");
        }
    }

    /// The fit lines of a form, as (factor, value, points).
    fn fit_lines(scores: &Scores) -> Vec<(String, String, f64)> {
        scores
            .reasons
            .iter()
            .filter(|r| r.part == Part::Fit)
            .map(|r| (r.factor.clone(), r.value.clone(), r.points))
            .collect()
    }

    #[test]
    fn students_and_people_out_of_work_are_not_buyers() {
        let profile = Profile::default();
        let title_points = |title: &str| {
            let lead = Lead {
                title: Some(title.into()),
                ..Lead::default()
            };
            let scores = score(&lead, &[], &profile, now());
            fit_lines(&scores)
                .into_iter()
                .find(|(factor, _, _)| factor == "title")
                .map(|(_, value, points)| (value, points))
        };
        let not_a_buyer = |title: &str| Some((format!("{title} (not a buyer)"), 0.0));
        assert_eq!(title_points("Student"), not_a_buyer("Student"));
        assert_eq!(title_points("Unemployed"), not_a_buyer("Unemployed"));
        assert_eq!(title_points("Retired CEO"), not_a_buyer("Retired CEO"));
        assert_eq!(title_points("Sales Intern"), not_a_buyer("Sales Intern"));
        assert_eq!(
            title_points("Working Professional"),
            Some(("Working Professional".into(), 5.0))
        );
        // Whole words: an internal auditor is no intern.
        assert_eq!(
            title_points("Internal Auditor"),
            Some(("Internal Auditor".into(), 5.0))
        );
    }

    #[test]
    fn data_completeness_is_fit_and_a_referral_flag_is_engagement() {
        let mut lead = Lead::default();
        lead.attributes
            .insert("Profile Completed".into(), "Medium".into());
        lead.attributes.insert("Referral".into(), "Yes".into());
        let scores = score(&lead, &[], &Profile::default(), now());
        assert_eq!(
            fit_lines(&scores).last(),
            Some(&(
                "data completeness".to_string(),
                "Medium (Profile Completed)".to_string(),
                5.0
            ))
        );
        assert_eq!(scores.fit, 5);
        let referred: Vec<_> = scores
            .reasons
            .iter()
            .filter(|r| r.factor == "referred")
            .map(|r| (r.part, r.value.as_str(), r.points))
            .collect();
        assert_eq!(referred, vec![(Part::Engagement, "Yes (Referral)", 20.0)]);
        assert_eq!(scores.engagement, 20);
        // A referral source counts once: the flag adds nothing to it.
        lead.source = Some("referral".into());
        let scores = score(&lead, &[], &Profile::default(), now());
        assert!(scores.reasons.iter().all(|r| r.factor != "referred"));
        assert_eq!(scores.engagement, 25);
    }

    #[test]
    fn title_keywords_match_whole_words() {
        let keywords = Profile::default().senior_titles;
        assert!(title_has("VP Sales", &keywords));
        assert!(title_has("Co-Founder & CEO", &keywords));
        assert!(title_has("Vice President, Operations", &keywords));
        assert!(!title_has("Directory Assistant", &keywords));
        assert!(!title_has("Sales Representative", &keywords));
    }

    /// A small seeded generator (xorshift64*): property tests without a new crate,
    /// reproducible from the seed printed on failure.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn range(&mut self, low: i64, high: i64) -> i64 {
            low + self.below((high - low + 1) as u64) as i64
        }
        fn coin(&mut self) -> bool {
            self.below(2) == 0
        }
        fn real(&mut self, high: f64) -> f64 {
            (self.below(10_001) as f64 / 10_000.0) * high
        }
        fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
            items[self.below(items.len() as u64) as usize]
        }
    }

    fn random_lead(rng: &mut Rng) -> Lead {
        let mut lead = random_fields(rng);
        random_columns(rng, &mut lead);
        lead
    }

    fn random_fields(rng: &mut Rng) -> Lead {
        let maybe = |rng: &mut Rng, items: &[&str]| rng.coin().then(|| rng.pick(items).to_string());
        let answers = [Answer::Yes, Answer::No, Answer::Unknown];
        let mut sources: Vec<&str> = KNOWN_SOURCES.to_vec();
        sources.push("podcast");
        Lead {
            first_name: Some("Lee".into()),
            email: maybe(rng, &["a@b.test"]),
            phone: maybe(rng, &["+1 555"]),
            company: maybe(rng, &["Acme"]),
            website: maybe(rng, &["acme.test"]),
            title: maybe(
                rng,
                &["VP Sales", "Buyer", "Intern", "Head of IT", "Student", ""],
            ),
            industry: maybe(rng, &["software", "retail", "mining"]),
            country: maybe(rng, &["GB", "US", "FR"]),
            company_size: rng.coin().then(|| rng.range(0, 5000)),
            source: maybe(rng, &sources),
            incentivized: rng.coin(),
            aware: rng.coin(),
            budget: answers[rng.below(3) as usize],
            authority: answers[rng.below(3) as usize],
            need: maybe(rng, &["a CRM", " "]),
            timeline: rng
                .coin()
                .then(|| now() + Duration::hours(rng.range(-2000, 10_000))),
            ..Lead::default()
        }
    }

    /// Signal columns of exports, some of them against the lead, some unreadable.
    fn random_columns(rng: &mut Rng, lead: &mut Lead) {
        let columns: [(&str, &[&str]); 10] = [
            (
                "Total Time Spent on Website",
                &["0", "674", "99999", "x", "0:02:30"],
            ),
            ("TotalVisits", &["5", "1,234", "-3"]),
            ("Page Views Per Visit", &["2.5", ""]),
            (
                "Last Activity",
                &["Email Bounced", "SMS Sent", "Unsubscribed", "2024-01-01"],
            ),
            ("MEMBER_RATING", &["1", "5", "7"]),
            ("Email Invalid", &["true", "false"]),
            ("Lead Origin", &["Lead Add Form", "API"]),
            ("Unsubscribed from all email", &["true", "no"]),
            ("Referral", &["Yes", "No", "Karin"]),
            ("Profile Completed", &["High", "Low", "85%", "200"]),
        ];
        for (header, values) in columns {
            if rng.coin() {
                let value = rng.pick(values).to_string();
                lead.attributes.insert(header.to_string(), value);
            }
        }
        lead.do_not_contact = rng.coin();
    }

    /// Rules on fields and attributes, on every axis, for and against.
    fn random_rules(rng: &mut Rng) -> Vec<rules::Rule> {
        let conditions = [
            "industry = software",
            "company_size < 100",
            "\"Total Time Spent on Website\" >= 600",
            "\"Last Activity\" contains sms",
            "tags != vip",
            "title contains vp",
        ];
        let axes = [Part::Fit, Part::Engagement, Part::Readiness];
        (0..rng.below(4))
            .map(|i| {
                let condition = rules::parse_condition(rng.pick(&conditions)).expect("a condition");
                rules::Rule {
                    id: i as u32 + 1,
                    subject: condition.subject,
                    op: condition.op,
                    value: condition.value,
                    axis: axes[rng.below(3) as usize],
                    points: rng.real(100.0) - 50.0,
                }
            })
            .collect()
    }

    fn random_activity(rng: &mut Rng) -> Activity {
        Activity {
            id: 0,
            lead_id: 1,
            kind: ActivityKind::ALL[rng.below(12) as usize],
            // Some in the future: a mistyped --at must not break the properties.
            at: now() - Duration::hours(rng.range(-200, 5000)),
            note: None,
        }
    }

    fn random_profile(rng: &mut Rng) -> Profile {
        let mut profile = Profile::default();
        if rng.coin() {
            return profile;
        }
        profile.industries = ["software", "mining"]
            .iter()
            .filter(|_| rng.coin())
            .map(|s| s.to_string())
            .collect();
        profile.countries = ["gb", "us"]
            .iter()
            .filter(|_| rng.coin())
            .map(|s| s.to_string())
            .collect();
        profile.size_min = rng.range(0, 100);
        profile.size_max = profile.size_min + rng.range(0, 1000);
        profile.weight_fit = rng.real(100.0);
        profile.weight_engagement = rng.real(100.0);
        profile.weight_readiness = rng.real(100.0) + 0.01;
        profile.half_life_days = rng.real(120.0) + 0.5;
        for points in profile.activity_points.values_mut() {
            *points = rng.real(100.0);
        }
        for points in profile.source_points.values_mut() {
            *points = rng.real(100.0);
        }
        profile.unknown_source_points = rng.real(100.0);
        profile.incentive_factor = rng.real(1.0);
        profile.grade_c = rng.range(0, 97);
        profile.grade_b = rng.range(profile.grade_c + 1, 98);
        profile.grade_a = rng.range(profile.grade_b + 1, 100);
        profile.rules = random_rules(rng);
        profile
    }

    const CASES: u64 = 3000;

    #[test]
    fn property_score_numbers_are_the_scores_of_the_form() {
        for seed in 1..=CASES {
            let mut rng = Rng(seed);
            let (mut lead, mut profile) = (random_lead(&mut rng), random_profile(&mut rng));
            lead.title = maybe_title(&mut rng);
            if rng.coin() {
                profile.senior_titles.push("Vice  President".into());
            }
            let activities: Vec<Activity> = (0..rng.below(30))
                .map(|_| random_activity(&mut rng))
                .collect();
            let at = now() + Duration::hours(rng.range(-100, 3000));
            assert_eq!(
                score_numbers(&lead, &activities, &profile, at),
                score(&lead, &activities, &profile, at).stored(),
                "seed {seed}"
            );
        }
    }

    /// Titles that test the whole-word matching: punctuation, case, non-ASCII, spaces.
    fn maybe_title(rng: &mut Rng) -> Option<String> {
        let titles = [
            "VP Sales",
            "vp",
            "Co-Founder & CEO",
            "Vice President, Operations",
            "VICE   PRESIDENT",
            "Directory Assistant",
            "Head-of-IT",
            "  Purchasing/Buyer ",
            "ΟΔΥΣΣΕΥΣ Director",
            "İstanbul Manager",
            "Leader",
            "",
        ];
        rng.coin().then(|| rng.pick(&titles).to_string())
    }

    #[test]
    fn title_keywords_in_any_case_and_spacing() {
        let keywords = ["Vice President".to_string(), "cto".to_string()];
        assert!(title_has("vice   president, sales", &keywords));
        assert!(title_has("(CTO)", &keywords));
        assert!(!title_has("ctoffice", &keywords));
        assert!(!title_has("", &keywords));
        assert!(!title_has("vice", &keywords));
    }

    #[test]
    fn whole_words_are_found_as_match_indices_finds_them() {
        let old = |padded: &str, keyword: &str| {
            padded.match_indices(keyword).any(|(at, _)| {
                padded[..at].ends_with(' ') && padded[at + keyword.len()..].starts_with(' ')
            })
        };
        for (padded, keyword) in [
            (" ba a a ", "a a"),
            (" a-a-a ", "a-a"),
            (" vp sales ", "vp"),
            (" svp ", "vp"),
            (" ceo ", "ceo"),
            (" ", "x"),
            (" ódyssée directeur ", "directeur"),
            (" aaa aa ", "aa"),
        ] {
            assert_eq!(
                has_whole(padded, keyword),
                old(padded, keyword),
                "{padded:?} {keyword:?}"
            );
        }
    }

    #[test]
    fn property_more_engagement_never_lowers_engagement_or_score() {
        for seed in 1..=CASES {
            let mut rng = Rng(seed);
            let (lead, profile) = (random_lead(&mut rng), random_profile(&mut rng));
            let mut activities: Vec<Activity> = (0..rng.below(8))
                .map(|_| random_activity(&mut rng))
                .collect();
            let before = score(&lead, &activities, &profile, now());
            activities.push(random_activity(&mut rng));
            let after = score(&lead, &activities, &profile, now());
            assert!(after.engagement >= before.engagement, "seed {seed}");
            assert!(after.score >= before.score, "seed {seed}");
        }
    }

    #[test]
    fn property_a_later_now_never_raises_engagement() {
        for seed in 1..=CASES {
            let mut rng = Rng(seed);
            let (lead, profile) = (random_lead(&mut rng), random_profile(&mut rng));
            let activities: Vec<Activity> = (0..rng.below(8))
                .map(|_| random_activity(&mut rng))
                .collect();
            let earlier = score(&lead, &activities, &profile, now());
            let later_now = now() + Duration::hours(rng.range(0, 3000));
            let later = score(&lead, &activities, &profile, later_now);
            assert!(later.engagement <= earlier.engagement, "seed {seed}");
        }
    }

    #[test]
    fn property_every_score_stays_within_0_and_100_and_the_form_adds_up() {
        for seed in 1..=CASES {
            let mut rng = Rng(seed);
            let (lead, profile) = (random_lead(&mut rng), random_profile(&mut rng));
            let activities: Vec<Activity> = (0..rng.below(30))
                .map(|_| random_activity(&mut rng))
                .collect();
            let scores = score(&lead, &activities, &profile, now());
            for value in [
                scores.fit,
                scores.engagement,
                scores.readiness,
                scores.score,
            ] {
                assert!((0..=100).contains(&value), "seed {seed}: {scores:?}");
            }
            assert!(Grade::ALL.contains(&scores.grade), "seed {seed}");
            for (part, value) in [
                (Part::Fit, scores.fit),
                (Part::Engagement, scores.engagement),
                (Part::Readiness, scores.readiness),
            ] {
                let shown: i64 = scores
                    .reasons
                    .iter()
                    .filter(|r| r.part == part)
                    .map(|r| tenths(r.points))
                    .sum();
                assert_eq!(sub_score(shown), value, "seed {seed} {part:?}");
            }
        }
    }

    #[test]
    fn property_the_grade_never_drops_as_the_score_rises() {
        let rank = |grade: Grade| "DCBA".find(grade.letter()).unwrap_or(0);
        for seed in 1..=CASES {
            let mut rng = Rng(seed);
            let profile = random_profile(&mut rng);
            for score in 0..100 {
                assert!(
                    rank(grade(score + 1, &profile)) >= rank(grade(score, &profile)),
                    "seed {seed} score {score}"
                );
            }
            assert_eq!(grade(100, &profile), Grade::A, "seed {seed}");
        }
    }
}
